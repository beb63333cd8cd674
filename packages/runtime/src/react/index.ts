// React helpers for the browser (and SSR-safe): hydrating forms posted without JavaScript, and
// keeping server data fresh after revalidations.
export { readClientData, readFormState } from './readClientData.js'
export { useRevalidatedValue, type RevalidationFilter } from './useRevalidatedValue.js'
export { useQuery, usePageData, type QueryState } from './useQuery.js'
