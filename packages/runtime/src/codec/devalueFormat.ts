// devalue's wire format (https://github.com/sveltejs/devalue): a JSON array of flattened values in
// which every reference is an index into the array; negative indices stand for values JSON lacks.
export const UNDEFINED = -1
export const HOLE = -2
export const NAN = -3
export const POSITIVE_INFINITY = -4
export const NEGATIVE_INFINITY = -5
export const NEGATIVE_ZERO = -6
export const SPARSE = -7

/** The values the negative indices stand for (HOLE and SPARSE are array markers, not values). */
export const SENTINEL_VALUES: Readonly<Record<number, unknown>> = {
  [UNDEFINED]: undefined,
  [NAN]: NaN,
  [POSITIVE_INFINITY]: Infinity,
  [NEGATIVE_INFINITY]: -Infinity,
  [NEGATIVE_ZERO]: -0,
}

/** devalue's tags for typed arrays and DataView, whose payload is an ArrayBuffer (and a window on it). */
export const VIEW_TAG = /^(?:(?:Big)?(?:Int|Uint|Float)(?:8|16|32|64)(?:Clamped)?Array|DataView)$/

/** Tags of the custom types use-server adds to devalue's own (reducers and revivers). */
export const FILE_TAG = 'File'
export const BLOB_TAG = 'Blob'
export const FORM_DATA_TAG = 'FormData'
export const REFERENCE_TAG = 'ServerReference'
