// One downloadable model: licence, size, variants (greyed with the reason when this GPU cannot run them), download, import.
import { useState, type DragEvent } from 'react';
import { useStudio } from '../../app/store';
import type { LibraryManifest } from '../../storage/libraryManifest';
import { InstallProgressView } from './InstallProgressView';
import { variantSize, variantUnavailableReason } from './libraryFormat';
import { filesFromDrop, filesFromInput } from './pickedFiles';

export function CatalogEntry({ manifest }: { manifest: LibraryManifest }) {
  const backend = useStudio((s) => s.backend);
  const install = useStudio((s) => s.installs[manifest.id]);
  const installed = useStudio((s) => s.installed.find((m) => m.id === manifest.id));
  const downloadModel = useStudio((s) => s.downloadModel);
  const pauseModel = useStudio((s) => s.pauseModel);
  const resumeModel = useStudio((s) => s.resumeModel);
  const importModel = useStudio((s) => s.importModel);
  const usable = manifest.variants.filter((v) => !variantUnavailableReason(manifest, v, backend));
  const [variantId, setVariantId] = useState(usable[0]?.id ?? manifest.variants[0].id);
  const [dragging, setDragging] = useState(false);
  const running = install?.status === 'running';
  const partial = installed && !installed.ready && !running;

  const onDrop = async (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    if (!running) await importModel(manifest, await filesFromDrop(event.dataTransfer));
  };

  return (
    <li
      className={`catalog-entry ${dragging ? 'dropping' : ''}`}
      data-testid={`catalog-${manifest.id}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => void onDrop(e)}
    >
      <div className="catalog-head">
        <strong>{manifest.name}</strong>
        <span className="catalog-licence">
          Licence:{' '}
          {manifest.licenceUrl ? (
            <a href={manifest.licenceUrl} target="_blank" rel="noreferrer">
              {manifest.licence}
            </a>
          ) : (
            manifest.licence
          )}
        </span>
        <span className="catalog-repo">
          {manifest.repo}@{manifest.revision}
        </span>
      </div>
      <p className="hint">{manifest.description}</p>
      <ul className="catalog-variants">
        {manifest.variants.map((v) => {
          const reason = variantUnavailableReason(manifest, v, backend);
          return (
            <li
              key={v.id}
              className={reason ? 'variant-unavailable' : ''}
              data-testid={`variant-${manifest.id}-${v.id}`}
              data-available={!reason}
            >
              <label>
                <input
                  type="radio"
                  name={`variant-${manifest.id}`}
                  value={v.id}
                  checked={variantId === v.id}
                  disabled={Boolean(reason) || running}
                  onChange={() => setVariantId(v.id)}
                />
                {v.id} ({v.dtype}), {variantSize(manifest, v.id)}
                {v.requires.length > 0 && <span className="variant-needs"> · needs {v.requires.join(', ')}</span>}
                {reason && <span className="variant-reason"> — unavailable: {reason}</span>}
                {installed?.readyVariantIds.includes(v.id) && <span className="variant-installed"> · installed</span>}
              </label>
            </li>
          );
        })}
      </ul>
      <div className="catalog-actions">
        {running ? (
          <button type="button" data-testid={`pause-${manifest.id}`} onClick={() => void pauseModel(manifest.id)}>
            Pause
          </button>
        ) : partial ? (
          <button type="button" className="primary" data-testid={`resume-${manifest.id}`} onClick={() => void resumeModel(manifest.id)}>
            Resume
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            data-testid={`download-${manifest.id}`}
            disabled={usable.length === 0}
            onClick={() => void downloadModel(manifest, [variantId])}
          >
            Download {variantId}
          </button>
        )}
        <label className="file-button">
          Import files…
          <input
            type="file"
            multiple
            hidden
            disabled={running}
            data-testid={`import-files-${manifest.id}`}
            onChange={(e) => void importModel(manifest, filesFromInput(e.target.files))}
          />
        </label>
        <label className="file-button">
          Import folder…
          <input
            type="file"
            hidden
            disabled={running}
            data-testid={`import-folder-${manifest.id}`}
            ref={(input) => input?.setAttribute('webkitdirectory', '')}
            onChange={(e) => void importModel(manifest, filesFromInput(e.target.files))}
          />
        </label>
        <span className="hint">or drop the model's files or folder here</span>
      </div>
      {install && <InstallProgressView modelId={manifest.id} install={install} />}
      {install?.error && (
        <p className="install-error" role="alert" data-testid={`install-error-${manifest.id}`}>
          {install.error}
        </p>
      )}
    </li>
  );
}
