import { BLOB_TAG, FILE_TAG, FORM_DATA_TAG } from '../codec/devalueFormat.js'
import { writeDevalue } from '../codec/writeDevalue.js'
import { BOUND_FIELD, filePartName, PAYLOAD_FIELD } from '../shared/protocol.js'
import { referenceTag } from './clientReference.js'

/**
 * The request body for a call: devalue text, or multipart when files travel (each File or Blob is
 * a part, referenced from the payload by index) or a server-issued bound token rides along.
 */
export function encodeRequest(args: unknown[], token: string | undefined): string | FormData {
  const files: Blob[] = []
  const payload = writeDevalue(
    args,
    (value) => {
      if (value instanceof Blob) {
        files.push(value)
        const index = files.length - 1
        return value instanceof File ? [FILE_TAG, [index, value.lastModified]] : [BLOB_TAG, [index]]
      }
      if (value instanceof FormData) return [FORM_DATA_TAG, [...value]]
      return referenceTag(value)
    },
    'args',
  )
  if (files.length === 0 && token === undefined) return payload
  const body = new FormData()
  body.set(PAYLOAD_FIELD, payload)
  if (token !== undefined) body.set(BOUND_FIELD, token)
  files.forEach((file, index) => body.set(filePartName(index), file))
  return body
}
