import autocannon from 'autocannon'
import { startHostileApp } from '../../test/security/support/hostileApp.js'
import { rawCall } from '../../test/security/support/rawRequest.js'
import { printTable, saveFigure } from '../lib/results.js'
import { round } from '../lib/stats.js'

// The production server a user runs (`node dist/server/index.js`, the security suite's fixture app)
// under load: 50 000 calls at 200 concurrent connections must all succeed with the right answer,
// and the server's RSS after 200 000 calls must stay within 20 MB of its RSS after 10 000.
// Run `npx -y pnpm@10 build` first.

const CONNECTIONS = 200
const MEASURED = 50_000
const TOTAL = 200_000
const WARM_UP = 10_000
const RSS_GROWTH_LIMIT = 20 * 1024 * 1024

const app = await startHostileApp()
try {
  const calls = (amount: number) =>
    autocannon({
      url: `${app.origin}/_server/${app.ids.add}`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '[[1,2],2,3]',
      expectBody: '[{"value":1},5]',
      connections: CONNECTIONS,
      amount,
      timeout: 10,
    })
  const rss = async () => ((await rawCall(app.origin, app.ids.observed!, '[[]]')).envelope!.value as { rss: number }).rss
  const failures = (result: Awaited<ReturnType<typeof calls>>) => result.errors + result.timeouts + result.mismatches + result.non2xx

  const warmUp = await calls(WARM_UP)
  const rssAfterWarmUp = await rss()
  const measured = await calls(MEASURED)
  const rest = await calls(TOTAL - WARM_UP - MEASURED)
  const rssAtEnd = await rss()

  const growth = rssAtEnd - rssAfterWarmUp
  const failed = failures(warmUp) + failures(measured) + failures(rest)
  const mb = (bytes: number) => round(bytes / 1024 / 1024, 1)
  const rows = [
    { figure: `calls at ${CONNECTIONS} connections (measured run)`, value: measured.requests.total },
    { figure: 'calls per second', value: round(measured.requests.average, 0) },
    { figure: 'latency p50 ms', value: measured.latency.p50 },
    { figure: 'latency p99 ms', value: measured.latency.p99 },
    { figure: 'latency max ms', value: measured.latency.max },
    { figure: `failed calls of all ${TOTAL} (errors, timeouts, wrong answers, non-2xx)`, value: failed },
    { figure: `server RSS after ${WARM_UP} calls, MB`, value: mb(rssAfterWarmUp) },
    { figure: `server RSS after ${TOTAL} calls, MB`, value: mb(rssAtEnd) },
    { figure: 'RSS growth, MB (limit 20)', value: mb(growth) },
  ]
  const passed = failed === 0 && growth <= RSS_GROWTH_LIMIT
  printTable(`load on node dist/server/index.js: ${passed ? 'PASS' : 'FAIL'}`, rows)
  saveFigure('security-load', {
    connections: CONNECTIONS,
    calls: measured.requests.total,
    callsPerSecond: round(measured.requests.average, 0),
    latencyMs: { p50: measured.latency.p50, p99: measured.latency.p99, max: measured.latency.max },
    failedCalls: failed,
    totalCalls: TOTAL,
    rssAfterWarmUpMB: mb(rssAfterWarmUp),
    rssAtEndMB: mb(rssAtEnd),
    rssGrowthMB: mb(growth),
    passed,
  })
  if (!passed) process.exitCode = 1
} finally {
  await app.remove()
}
