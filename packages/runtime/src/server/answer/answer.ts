/**
 * What the handler answers, before it becomes a Fetch API Response (or, in the Node adapter, is
 * written straight to the socket): status, headers, and a body that is text, multipart or a stream.
 */
export interface Answer {
  status: number
  headers: Array<[name: string, value: string]>
  body: string | FormData | ReadableStream<Uint8Array>
}

export function answerToResponse(answer: Answer): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers })
}
