import { readClientData, readFormState } from '@use-server/runtime/react'
import { hydrateRoot } from 'react-dom/client'
import { App, type AppProps } from './App'

const data = readClientData<{ props: AppProps }>()
if (data) hydrateRoot(document.getElementById('root')!, <App {...data.props} />, { formState: readFormState() })
