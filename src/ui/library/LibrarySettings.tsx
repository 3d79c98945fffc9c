// Where downloads come from (hub, mirror), space used and free with persistence, and adding a manifest by URL.
import { useState } from 'react';
import { useStudio } from '../../app/store';
import { formatBytes } from './libraryFormat';

export function StorageSummary() {
  const storage = useStudio((s) => s.storage);
  if (!storage) return null;
  return (
    <p className="storage-summary" data-testid="storage-summary" data-usage={storage.usage} data-quota={storage.quota}>
      Space used {storage.usage !== undefined ? formatBytes(storage.usage) : 'unknown'}, free{' '}
      {storage.free !== undefined ? formatBytes(storage.free) : 'unknown'}
      {' · '}
      {storage.persisted
        ? 'kept by the browser when disk space runs low'
        : 'may be evicted under disk pressure (a download asks the browser to keep it)'}
    </p>
  );
}

export function HostSettings() {
  const hosts = useStudio((s) => s.hubHosts);
  const setHubHosts = useStudio((s) => s.setHubHosts);
  return (
    <fieldset className="library-hosts">
      <legend>Download from</legend>
      <label>
        Hub
        <input type="url" data-testid="hub-base" value={hosts.hubBase} onChange={(e) => setHubHosts({ hubBase: e.target.value })} />
      </label>
      <label>
        Mirror (intranet host with the hub's layout)
        <input
          type="url"
          data-testid="mirror-base"
          placeholder="https://models.example.internal"
          value={hosts.mirrorBase ?? ''}
          onChange={(e) => setHubHosts({ mirrorBase: e.target.value || undefined })}
        />
      </label>
      <label className="inline">
        <input
          type="checkbox"
          data-testid="use-mirror"
          checked={Boolean(hosts.useMirror)}
          disabled={!hosts.mirrorBase}
          onChange={(e) => setHubHosts({ useMirror: e.target.checked })}
        />
        Use the mirror
      </label>
    </fieldset>
  );
}

export function AddManifestForm() {
  const addManifestFromUrl = useStudio((s) => s.addManifestFromUrl);
  const [url, setUrl] = useState('');
  return (
    <form
      className="add-manifest"
      onSubmit={(e) => {
        e.preventDefault();
        void addManifestFromUrl(url);
      }}
    >
      <label>
        Add a model manifest from the hub or the mirror
        <input
          type="url"
          data-testid="manifest-url"
          placeholder="https://huggingface.co/owner/repo/resolve/main/studio-manifest.json"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
        />
      </label>
      <button type="submit" data-testid="add-manifest" disabled={!url}>
        Add
      </button>
    </form>
  );
}
