import { parse } from 'devalue'
import { runInNewContext } from 'node:vm'
import { describe, expect, test } from 'vitest'
import { CLIENT_DATA_GLOBAL } from '../shared/protocol.js'
import { clientDataScript } from './clientDataScript.js'

/** What the browser's `self.<global>` holds after the script runs, read back with devalue. */
function readBack(script: string): unknown {
  const self: Record<string, string> = {}
  runInNewContext(script, { self })
  return parse(self[CLIENT_DATA_GLOBAL]!)
}

describe('clientDataScript', () => {
  // The text is written into a <script> element: nothing in it may close that element or open a
  // comment. devalue escapes `<` in strings, but writes a Date's toISOString() as it is; the writer
  // hands a value to devalue when it holds a URL, a RegExp or a typed array.
  test.each([
    ['alone', {}],
    ['beside a URL (written by devalue)', { link: new URL('https://shop.example/<b>') }],
  ])('markup from a Date whose toISOString was replaced cannot close the script (%s)', async (_, extra) => {
    const date = Object.assign(new Date(0), { toISOString: () => '</script><script>alert(1)</script><!--' })
    const script = await clientDataScript({ ...extra, date, note: '</script><!-- \u2028' })
    expect(script).not.toMatch(/<\/script|<!--/i)
    expect(readBack(script)).toMatchObject({ note: '</script><!-- \u2028' })
  })
})
