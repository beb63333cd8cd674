import type { Revivers } from '../codec/readDevalue.js'
import { BLOB_TAG, FILE_TAG, FORM_DATA_TAG, REFERENCE_TAG } from '../codec/devalueFormat.js'
import { filePartName, type ReferencePayload } from '../shared/protocol.js'
import type { ClientReference } from './clientReference.js'

/** The revivers for an answer, given its multipart parts (if any). */
export type AnswerRevivers = (files: FormData | undefined) => Revivers

/** Makes the callable stub of a server function the answer refers to. */
export type StubMaker = (reference: ClientReference) => Function

/** How the browser revives use-server's custom types; files come from the multipart parts, if any. */
export function clientRevivers(files: FormData | undefined, createStub: StubMaker): Revivers {
  const file = (index: number) => files?.get(filePartName(index)) as File
  return {
    [FILE_TAG]: ([index, lastModified]: [number, number]) => {
      const part = file(index)
      return new File([part], part.name, { type: part.type, lastModified })
    },
    [BLOB_TAG]: ([index]: [number]) => {
      const part = file(index)
      return new Blob([part], { type: part.type })
    },
    [FORM_DATA_TAG]: (entries: Array<[string, string | File]>) => {
      const form = new FormData()
      for (const [name, value] of entries) form.append(name, value)
      return form
    },
    [REFERENCE_TAG]: ({ id, token, bound }: ReferencePayload) => createStub({ id, name: '', token, bound: bound ?? [] }),
  }
}
