import { Expose } from './expose'

export default function Page() {
  return (
    <main>
      <h1>Server functions</h1>
      <Expose />
    </main>
  )
}
