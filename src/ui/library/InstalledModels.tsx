// Installed models with their sizes and MaskDiffusion state: use one, resume an interrupted one, delete one.
import { useStudio } from '../../app/store';
import { formatBytes } from './libraryFormat';

export function InstalledModels() {
  const installed = useStudio((s) => s.installed);
  const activeModelId = useStudio((s) => s.activeModelId);
  const engineStatus = useStudio((s) => s.engineStatus);
  const running = useStudio((s) => s.running);
  const installs = useStudio((s) => s.installs);
  const switchToModel = useStudio((s) => s.useModel); // a store action, not a React hook
  const deleteModel = useStudio((s) => s.deleteModel);
  const busy = running || engineStatus === 'loading';
  return (
    <section className="library-section">
      <h3>Installed</h3>
      <ul className="installed-list">
        <li data-testid="installed-builtin">
          <strong>Built-in tiny model</strong> <span className="hint">served with the app</span>
          <button
            type="button"
            data-testid="use-builtin"
            disabled={busy || activeModelId === null}
            onClick={() => void switchToModel(null)}
          >
            {activeModelId === null ? 'In use' : 'Use'}
          </button>
        </li>
        {installed.map((m) => (
          <li key={m.id} data-testid={`installed-${m.id}`} data-ready={m.ready} data-variants={m.readyVariantIds.join(',')}>
            <strong>{m.name}</strong>{' '}
            <span data-testid="installed-size">
              {formatBytes(m.storedBytes)}
              {m.totalBytes !== undefined && m.totalBytes !== m.storedBytes ? ` of ${formatBytes(m.totalBytes)}` : ''}
            </span>{' '}
            <span className="hint">
              {!m.manifest
                ? 'hub files stored for transformers.js (e.g. the checker)'
                : m.readyVariantIds.length > 0
                  ? `variants ${m.readyVariantIds.join(', ')}`
                  : 'not usable yet'}{' '}
              · {m.verifiedFiles}/{m.fileCount} files verified
              {m.attentionControl.state === 'unpatchable' ? ` · MaskDiffusion unavailable: ${m.attentionControl.reason}` : ''}
              {m.attentionControl.state === 'patched' ? ' · denoiser patched for MaskDiffusion' : ''}
            </span>
            {m.manifest && (
              <button
                type="button"
                data-testid={`use-${m.id}`}
                disabled={busy || m.readyVariantIds.length === 0 || activeModelId === m.id || installs[m.id]?.status === 'running'}
                onClick={() => void switchToModel(m.id)}
              >
                {activeModelId === m.id ? 'In use' : 'Use'}
              </button>
            )}
            <button type="button" data-testid={`delete-${m.id}`} disabled={busy} onClick={() => void deleteModel(m.id)}>
              Delete
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
