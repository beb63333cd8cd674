import { readClientData, readFormState } from '@use-server/runtime/react'
import { hydrateRoot } from 'react-dom/client'
import { App } from './App'

const data = readClientData<{ formError?: string }>()
if (data) hydrateRoot(document.getElementById('root')!, <App formError={data.formError} />, { formState: readFormState() })
