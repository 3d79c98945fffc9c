// Keeps a rendering error inside one part of the page: the rest (gallery, models) stays usable, and the part can be retried.
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface ErrorBoundaryProps {
  /** What the part is, for the message: "The Models panel", "This model's entry". */
  area: string;
  children: ReactNode;
  /** Extra ways out shown with the message, e.g. removing the manifest that broke an entry. */
  actions?: ReactNode;
}

interface ErrorBoundaryState {
  error: Error | null;
}

export class ErrorBoundary extends Component<ErrorBoundaryProps, ErrorBoundaryState> {
  override state: ErrorBoundaryState = { error: null };

  static getDerivedStateFromError(error: Error): ErrorBoundaryState {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`${this.props.area} failed to render`, error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <div className="error-banner" role="alert" data-testid="render-error">
        <span>
          {this.props.area} could not be shown: {this.state.error.message}. The rest of the studio still works.
        </span>
        {this.props.actions}
        <button type="button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    );
  }
}
