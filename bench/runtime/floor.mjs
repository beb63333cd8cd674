// The floor: a bare node:http server doing the same work as the functions, with no framework. It
// reads the body, parses JSON, and answers JSON (for an upload, the number of bytes received; for
// `slow`, after a 5 ms timer).
import { createServer } from 'node:http'

const server = createServer((req, res) => {
  const chunks = []
  req.on('data', (chunk) => chunks.push(chunk))
  req.on('end', () => {
    const body = Buffer.concat(chunks)
    const answer = (text) => res.writeHead(200, { 'content-type': 'application/json' }).end(text)
    if (req.url === '/add') {
      const [a, b] = JSON.parse(body.toString('utf8'))
      answer(JSON.stringify(a + b))
    } else if (req.url === '/echo') {
      answer(JSON.stringify(JSON.parse(body.toString('utf8'))))
    } else if (req.url === '/slow') {
      setTimeout(() => answer(JSON.stringify('done')), 5)
    } else {
      answer(JSON.stringify(body.length))
    }
  })
})
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`))
