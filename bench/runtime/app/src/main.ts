import { add, echo, rss, upload } from './actions'

Object.assign(window, { add, echo, upload, rss })
