// The README's example of `serverFunction`, as written there.
import { serverFunction } from '@use-server/runtime/server'

export const openReport = serverFunction(async (id: number, options: { onDone?: () => void }) => ({ id, render: () => '…' }))

export async function browser() {
  // @ts-expect-error '() => void' is not assignable to 'NotSendable<"a function: …">'
  await openReport(1, { onDone: () => {} })
  // @ts-expect-error 'NotSendable<"a function: …">' has no call signatures
  ;(await openReport(1, {})).render()
  ;(await openReport(1, {})).id satisfies number
}
