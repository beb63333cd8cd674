'use client'
import { useEffect } from 'react'
import { add, echo, slow, upload } from './actions'

/** Puts the server functions on window, for the bench's browser to call through Next's own client. */
export function Expose() {
  useEffect(() => {
    Object.assign(window, { add, echo, upload, slow })
    document.title = 'ready'
  }, [])
  return null
}
