import { Component, type ReactNode } from 'react'

interface State {
  error: (Error & { digest?: string }) | null
}

/** Shows an error thrown below it (a failed server function inside a transition, say) instead of crashing the page. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null }

  static getDerivedStateFromError(error: Error): State {
    return { error }
  }

  override render() {
    const { error } = this.state
    if (!error) return this.props.children
    return (
      <div role="alert" className="error" data-testid="error-boundary">
        <p>Something went wrong: {error.message}</p>
        {error.digest && <p className="meta">Error digest: {error.digest}</p>}
        <button onClick={() => this.setState({ error: null })}>Try again</button>
      </div>
    )
  }
}
