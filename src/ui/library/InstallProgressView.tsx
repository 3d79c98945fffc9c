// Per-file and total progress of an install: bytes, speed, time left.
import type { InstallState } from '../../app/slices/types';
import { ProgressBar } from '../ProgressBar';
import { formatBytes, formatDuration, formatSpeed } from './libraryFormat';

const PHASE_LABEL = { download: 'Downloading', import: 'Importing', patch: 'Patching the denoiser for MaskDiffusion' } as const;

export function InstallProgressView({ modelId, install }: { modelId: string; install: InstallState }) {
  const p = install.progress;
  const fraction = p?.total ? p.loaded / p.total : 0;
  return (
    <div className="install-progress" data-testid={`install-progress-${modelId}`} data-status={install.status} data-phase={install.phase}>
      <div className="install-total">
        <span>{install.status === 'paused' ? 'Paused' : PHASE_LABEL[install.phase]}</span>
        {p && (
          <span data-testid="install-bytes">
            {formatBytes(p.loaded)}
            {p.total !== undefined ? ` of ${formatBytes(p.total)}` : ''} · {formatSpeed(p.bytesPerSecond)} · {formatDuration(p.secondsLeft)}{' '}
            left
          </span>
        )}
      </div>
      <ProgressBar value={fraction} label={`Total progress of ${modelId}`} />
      {p && p.files.length > 0 && (
        <ul className="install-files">
          {p.files.map((f) => (
            <li key={f.path} data-state={f.state}>
              <span className="install-file-name">{f.path}</span>
              <span className="install-file-bytes">
                {formatBytes(f.loaded)}
                {f.total !== undefined ? ` / ${formatBytes(f.total)}` : ''} · {f.state}
              </span>
              <ProgressBar value={f.total ? f.loaded / f.total : 0} label={`Progress of ${f.path}`} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
