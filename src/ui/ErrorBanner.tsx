// Shows the last error (stage, cause, remedy) until dismissed.
import { useStudio } from '../app/store';

export function ErrorBanner() {
  const error = useStudio((s) => s.error);
  const dismiss = useStudio((s) => s.dismissError);
  if (!error) return null;
  return (
    <div className="error-banner" role="alert" data-testid="error">
      <span>{error}</span>
      <button type="button" onClick={dismiss} aria-label="Dismiss error">
        ×
      </button>
    </div>
  );
}
