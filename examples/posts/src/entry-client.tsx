import { connectRevalidations } from '@use-server/runtime/client'
import { readClientData, readFormState } from '@use-server/runtime/react'
import { hydrateRoot } from 'react-dom/client'
import { App } from './App'

const data = readClientData<{ formError?: string }>()
if (data) hydrateRoot(document.getElementById('root')!, <App formError={data.formError} />, { formState: readFormState() })
// What anyone changes, in any browser, refreshes this page's data (another tab of this browser follows
// without it, through BroadcastChannel).
connectRevalidations()
