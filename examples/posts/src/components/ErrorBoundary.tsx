import { Component, type ReactNode } from 'react'

interface State {
  error: (Error & { digest?: string }) | null
}

/**
 * Shows an error thrown below it (a failed server function inside a transition, say) instead of
 * crashing the page. In production the message of an unexpected error already names its digest.
 */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null }

  static getDerivedStateFromError(error: Error): State {
    return { error }
  }

  override render() {
    const { error } = this.state
    if (!error) return this.props.children
    return (
      <div role="alert" className="notice error" data-testid="error-boundary">
        <p className="error">Something went wrong: {error.message}</p>
        <button className="secondary" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    )
  }
}
