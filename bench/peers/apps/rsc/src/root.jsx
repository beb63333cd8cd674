// The starter's page, trimmed: a client counter and a server counter form, rendered on every call.
import { getServerCounter, updateServerCounter } from './counter.jsx'
import { ClientCounter, Expose } from './client.jsx'

export function Root() {
  return (
    <html lang="en">
      <head>
        <meta charSet="UTF-8" />
        <title>Vite + RSC</title>
      </head>
      <body>
        <div id="root">
          <h1>Vite + RSC</h1>
          <div className="card">
            <ClientCounter />
          </div>
          <div className="card">
            <form action={updateServerCounter.bind(null, 1)}>
              <button>Server Counter: {getServerCounter()}</button>
            </form>
          </div>
          <Expose />
        </div>
      </body>
    </html>
  )
}
