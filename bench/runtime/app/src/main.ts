import { add, echo, slow, upload } from './actions'

Object.assign(window, { add, echo, upload, slow })
