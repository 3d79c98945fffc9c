// transformers.js' custom cache (env.customCache) over the model store: one verified store for every hub file.
import { StudioError } from '../shared/errors';
import { assertAllowedFinalUrl, assertAllowedHost, parseHubFileUrl, type HubHosts } from './libraryManifest';
import { hubFileKey, pinKey, type InstalledModelRecord, type ModelStore, type StoredFileRecord } from './modelStore';
import { readStoredFileBlob } from './storedModels';
import { DEFAULT_CHUNK_BYTES } from './download/downloadModel';
import { StoredFileWriter } from './download/storedFileWriter';

/** The shape transformers.js wants for env.customCache (match and put of the Web Cache API, keyed by URL). */
export interface HubFileCache {
  match(request: string): Promise<Response | undefined>;
  put(request: string, response: Response, progress?: (data: { progress: number; loaded: number; total: number }) => void): Promise<void>;
}

/** Files transformers.js stores are grouped per repo and revision, listed and deleted like models. */
export function hubFilesModelId(repo: string, revision: string): string {
  return `hub:${repo}@${revision}`;
}

/**
 * match() answers from any verified file whose hub identity (repo, revision, path) is the URL's, whether a
 * model manifest installed it or an earlier put() did, so nothing touches the network after install.
 * put() stores a fetched file through the same checks as a download: content sniffing, the size the
 * server declared, and the sha256 a manifest gave for it (installCheckerModel records those). It never pins
 * what it stores: transformers.js fetches from whichever host and revision it was told, so its copy says
 * nothing about what the hub serves (filePins.ts).
 */
export function createHubFileCache(store: ModelStore, hosts: HubHosts, options: { chunkBytes?: number } = {}): HubFileCache {
  return {
    async match(request) {
      const hub = locate(request, hosts);
      if (!hub) return undefined;
      const key = hubFileKey(hub.repo, hub.revision, hub.path);
      for (const model of await store.listModels()) {
        // A denoiser patched at install no longer holds the hub's bytes, so it cannot answer for the hub file.
        const record = (await store.listFiles(model.id)).find(
          (r) => r.source === key && r.verified && r.attentionPatch?.state !== 'patched',
        );
        if (!record) continue;
        const blob = await readStoredFileBlob(store, model.id, record.path);
        return new Response(blob, { headers: { 'content-length': String(blob.size), 'content-type': contentType(record.path) } });
      }
      return undefined;
    },

    async put(request, response, progress) {
      const hub = parseHubFileUrl(request, hosts); // refuses hosts other than the hub and the mirror
      if (!hub) {
        throw new StudioError({
          code: 'storage',
          stage: 'load',
          message: `${request} is not a hub file URL ({base}/{owner}/{name}/resolve/{revision}/{path}).`,
          remedy: 'Load models by hub id.',
        });
      }
      const modelId = hubFilesModelId(hub.repo, hub.revision);
      const key = hubFileKey(hub.repo, hub.revision, hub.path);
      await addToGroup(store, modelId, `${hub.repo} (${hub.revision})`, hub.path);

      const known = await store.getPin(pinKey(hub.repo, hub.revision, hub.path)); // a manifest's hash, never set here
      const record: StoredFileRecord = {
        modelId,
        path: hub.path,
        storedBytes: 0,
        chunkCount: 0,
        verified: false,
        expectedSize: known?.size ?? declaredLength(response),
        expectedSha256: known?.sha256,
        sha256PinnedHere: false,
        source: key,
      };
      await store.resetFile(record);
      const total = record.expectedSize ?? 0;
      const reader = response.body?.getReader();
      const writing = { chunkBytes: options.chunkBytes ?? DEFAULT_CHUNK_BYTES, origin: request };
      await StoredFileWriter.using(store, record, writing, async (writer) => {
        for (let part = await reader?.read(); part && !part.done; part = await reader?.read()) {
          await writer.write(part.value);
          progress?.({ progress: total ? (100 * writer.position) / total : 0, loaded: writer.position, total });
        }
        await writer.finish();
      });
    },
  };
}

/**
 * A fetch that refuses any host other than the hub and the mirror before sending anything, and a response
 * redirected off the host it was sent to (except to the public hub's CDN) before anyone reads it.
 */
export function hostGuardedFetch(hosts: HubHosts, fetchFn: typeof fetch = (input, init) => fetch(input, init)): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    assertAllowedHost(url, hosts);
    const response = await fetchFn(input, init);
    try {
      assertAllowedFinalUrl(url, response);
    } catch (error) {
      await response.body?.cancel();
      throw error;
    }
    return response;
  };
}

function locate(request: string, hosts: HubHosts) {
  try {
    return parseHubFileUrl(request, hosts);
  } catch {
    return undefined; // a local path or another host: not in this cache
  }
}

async function addToGroup(store: ModelStore, id: string, name: string, path: string): Promise<void> {
  const group: InstalledModelRecord = (await store.getModel(id)) ?? { id, name, variantIds: [], files: [], createdAt: Date.now() };
  if (!group.files.includes(path)) await store.putModel({ ...group, files: [...group.files, path] });
}

function declaredLength(response: Response): number | undefined {
  const length = response.headers.get('content-length');
  if (length === null || response.headers.get('content-encoding')) return undefined;
  return Number(length);
}

function contentType(path: string): string {
  return path.endsWith('.json') ? 'application/json' : 'application/octet-stream';
}
