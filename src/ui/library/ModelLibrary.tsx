// The Models panel: downloadable and custom manifests, installed models, storage space and download settings.
import { useEffect } from 'react';
import { useStudio } from '../../app/store';
import { SHIPPED_MANIFESTS } from '../../storage/libraryCatalog';
import { ErrorBoundary } from '../ErrorBoundary';
import { CatalogEntry } from './CatalogEntry';
import { InstalledModels } from './InstalledModels';
import { AddManifestForm, HostSettings, StorageSummary } from './LibrarySettings';
import './library.css';

export function ModelLibrary() {
  const open = useStudio((s) => s.libraryOpen);
  const setOpen = useStudio((s) => s.setLibraryOpen);
  const custom = useStudio((s) => s.customManifests);
  const error = useStudio((s) => s.libraryError);
  const dismiss = useStudio((s) => s.dismissLibraryError);
  const refresh = useStudio((s) => s.refreshLibrary);
  const removeCustom = useStudio((s) => s.removeCustomManifest);
  useEffect(() => {
    if (open) void refresh();
  }, [open, refresh]);
  if (!open) return null;
  const manifests = [...SHIPPED_MANIFESTS, ...custom.filter((c) => !SHIPPED_MANIFESTS.some((m) => m.id === c.id))];
  return (
    <section className="model-library" role="dialog" aria-label="Models" data-testid="model-library">
      <header>
        <h2>Models</h2>
        <button type="button" aria-label="Close the Models panel" data-testid="close-library" onClick={() => setOpen(false)}>
          ×
        </button>
      </header>
      <StorageSummary />
      {error && (
        <p className="install-error" role="alert" data-testid="library-error">
          {error}{' '}
          <button type="button" onClick={dismiss}>
            Dismiss
          </button>
        </p>
      )}
      <InstalledModels />
      <section className="library-section">
        <h3>Available</h3>
        <ul className="catalog">
          {manifests.map((m) => {
            const added = !SHIPPED_MANIFESTS.includes(m);
            const remove = added && (
              <button type="button" data-testid={`remove-manifest-${m.id}`} onClick={() => removeCustom(m.id)}>
                Remove this manifest
              </button>
            );
            return (
              <ErrorBoundary key={m.id} area={`The entry of ${m.name}`} actions={remove}>
                <CatalogEntry manifest={m} />
                {remove}
              </ErrorBoundary>
            );
          })}
        </ul>
      </section>
      <HostSettings />
      <AddManifestForm />
    </section>
  );
}
