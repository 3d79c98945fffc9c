// Says which backend runs and why, and lets the user force one.
import { useStudio } from '../app/store';
import { BACKEND_PREFERENCE_LABELS, valuesOf, type BackendPreference } from '../shared/settings';

export function BackendBadge() {
  const backend = useStudio((s) => s.backend);
  const status = useStudio((s) => s.engineStatus);
  const preference = useStudio((s) => s.backendPreference);
  const setPreference = useStudio((s) => s.setBackendPreference);
  // No switch while a model loads or an image is made: a switch starts a new load on the same worker.
  const busy = useStudio((s) => s.running || s.engineStatus === 'loading' || s.engineStatus === 'starting');
  return (
    <div className="backend">
      <span className={`backend-badge backend-${backend?.ep ?? 'none'}`} data-testid="backend" title={backend?.reason}>
        {status === 'ready' && backend ? backend.ep.toUpperCase() : status === 'error' ? 'No backend' : 'Starting…'}
      </span>
      <span className="backend-reason" data-testid="backend-reason">
        {backend?.reason}
      </span>
      <label>
        Backend{' '}
        <select
          value={preference}
          disabled={busy}
          data-testid="backend-select"
          onChange={(e) => setPreference(e.target.value as BackendPreference)}
        >
          {valuesOf(BACKEND_PREFERENCE_LABELS).map((p) => (
            <option key={p} value={p}>
              {BACKEND_PREFERENCE_LABELS[p]}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
