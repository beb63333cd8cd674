'use client'
import React from 'react'
import { add, echo, slow, upload } from './actions.js'

export function ClientCounter() {
  const [count, setCount] = React.useState(0)
  return <button onClick={() => setCount((count) => count + 1)}>Client Counter: {count}</button>
}

/** Puts the server functions on window, for the bench's browser to call through the starter's client. */
export function Expose() {
  React.useEffect(() => {
    Object.assign(window, { add, echo, upload, slow })
    document.title = 'ready'
  }, [])
  return null
}
