import type { ReactNode } from 'react'

/** A labelled field on the form's grid, with its errors under it. */
export function Field({ label, name, errors, children }: { label: string; name: string; errors?: string[]; children: ReactNode }) {
  return (
    <>
      <label htmlFor={name}>{label}</label>
      <div className="field">
        {children}
        {errors?.map((message) => (
          <p key={message} className="error" id={`${name}-error`} data-testid={`${name}-error`}>
            {message}
          </p>
        ))}
      </div>
    </>
  )
}
