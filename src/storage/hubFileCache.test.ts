// transformers.js loads a tokenizer through the store-backed custom cache: from the hub once, then with the hub gone.
import { AutoTokenizer, env } from '@huggingface/transformers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HubServer } from '../../scripts/hub-server/server.mjs';
import { createHubFileCache, hostGuardedFetch, hubFilesModelId } from './hubFileCache';
import { MemoryModelStore } from './memoryModelStore';
import { pinKey } from './modelStore';
import { listInstalledModels } from './storedModels';
import { downloadModel } from './download/downloadModel';
import { fileStats, manifestFile, startHubServer, testDownload, tinyManifest } from './download/hubFixture.test-support';

const TOKENIZER_REPO = 'test-org/tiny-tokenizer';
let hub: HubServer;

beforeEach(async () => {
  hub = await startHubServer({
    repos: { 'test-org/tiny-sd': 'public/models/tiny-sd', [TOKENIZER_REPO]: 'public/models/tiny-sd/tokenizer' },
  });
});
afterEach(() => hub.close());

/** Points transformers.js at this hub and this store, with its own caches and local files off. */
function useStore(store: MemoryModelStore, hubUrl: string) {
  const hosts = { hubBase: hubUrl };
  Object.assign(env, {
    remoteHost: `${hubUrl}/`,
    allowLocalModels: false,
    useFSCache: false,
    useBrowserCache: false,
    useCustomCache: true,
    customCache: createHubFileCache(store, hosts),
    fetch: hostGuardedFetch(hosts),
  });
}

const tokenize = async (repo: string) => {
  const tokenizer = await AutoTokenizer.from_pretrained(repo);
  return tokenizer.encode('a red circle');
};

describe('hub file cache for transformers.js', () => {
  it('stores what transformers.js fetches, verified but never pinned, and serves it again with the hub gone', async () => {
    const store = new MemoryModelStore();
    useStore(store, hub.url);
    const ids = await tokenize(TOKENIZER_REPO);
    expect(ids.length).toBeGreaterThan(2);
    expect(fileStats(hub, 'tokenizer.json', TOKENIZER_REPO).bytesServed).toBe(manifestFile('tokenizer/tokenizer.json').size);

    const record = await store.getFile(hubFilesModelId(TOKENIZER_REPO, 'main'), 'tokenizer.json');
    expect(record).toMatchObject({ verified: true, expectedSha256: manifestFile('tokenizer/tokenizer.json').sha256 });
    expect(record?.pinKey).toBeUndefined();
    expect(await store.getPin(pinKey(TOKENIZER_REPO, 'main', 'tokenizer.json'))).toBeUndefined();
    expect((await listInstalledModels(store)).find((m) => m.id === hubFilesModelId(TOKENIZER_REPO, 'main'))).toMatchObject({ ready: true });

    const url = hub.url;
    await hub.close();
    useStore(store, url); // a fresh cache object over the same store, as after a reload
    expect(await tokenize(TOKENIZER_REPO)).toEqual(ids);
    hub = await startHubServer(); // for afterEach
  });

  it('serves tokenizer files a model manifest installed, without fetching them again', async () => {
    const store = new MemoryModelStore();
    await downloadModel(testDownload(store, hub, tinyManifest(), { variantIds: ['int8'] }));
    const cache = createHubFileCache(store, { hubBase: hub.url });
    const response = await cache.match(`${hub.url}/test-org/tiny-sd/resolve/main/tokenizer/tokenizer_config.json`);
    expect(response?.headers.get('content-length')).toBe(String(manifestFile('tokenizer/tokenizer_config.json').size));
    expect(JSON.parse(await response!.text())).toBeTypeOf('object');
    expect(await cache.match(`${hub.url}/test-org/tiny-sd/resolve/other-revision/tokenizer/tokenizer_config.json`)).toBeUndefined();
    expect(await cache.match('/models/test-org/tiny-sd/tokenizer/tokenizer_config.json')).toBeUndefined();
    expect(await cache.match(`http://localhost:1/test-org/tiny-sd/resolve/main/tokenizer/tokenizer_config.json`)).toBeUndefined();
  });

  it('refuses to fetch or store from a host that is neither the hub nor the mirror', async () => {
    const store = new MemoryModelStore();
    const hosts = { hubBase: hub.url };
    const elsewhere = hub.url.replace('127.0.0.1', 'localhost'); // the same server under another host name
    await expect(hostGuardedFetch(hosts)(`${elsewhere}/${TOKENIZER_REPO}/resolve/main/tokenizer.json`)).rejects.toThrow(
      `Refused to download from ${elsewhere}`,
    );
    const cache = createHubFileCache(store, hosts);
    await expect(cache.put(`${elsewhere}/${TOKENIZER_REPO}/resolve/main/tokenizer.json`, new Response('{}'))).rejects.toThrow('Refused');
    expect(hub.stats().files).toEqual({});
    expect(await store.listModels()).toEqual([]);
  });

  it('refuses a response redirected off the hub before anyone reads it', async () => {
    const elsewhere = hub.url.replace('127.0.0.1', 'localhost');
    hub.setFaults([{ type: 'redirect', origin: elsewhere }]);
    const url = `${hub.url}/${TOKENIZER_REPO}/resolve/main/tokenizer.json`;
    await expect(hostGuardedFetch({ hubBase: hub.url })(url)).rejects.toThrow(
      `Refused the download of ${url}: it was redirected to ${new URL(elsewhere).host}`,
    );
    hub.setFaults([]);
    expect((await hostGuardedFetch({ hubBase: hub.url })(url)).ok).toBe(true); // the hub's own redirect (to its /cdn/) is fine
  });

  it('holds a copy to the sha256 a manifest recorded for it, and pins nothing itself', async () => {
    const store = new MemoryModelStore();
    const cache = createHubFileCache(store, { hubBase: hub.url });
    const url = `${hub.url}/${TOKENIZER_REPO}/resolve/main/tokenizer_config.json`;
    const { size, sha256 } = manifestFile('tokenizer/tokenizer_config.json');
    const changed = () => new Response(`{"padded": "${'x'.repeat(size - 14)}"}`); // valid JSON of the same size, other bytes
    await cache.put(url, changed()); // no known hash: stored as served ...
    await cache.put(url, await fetch(url)); // ... and a later, different copy is not held to it
    expect(await cache.match(url)).toBeDefined();

    await store.putPin(pinKey(TOKENIZER_REPO, 'main', 'tokenizer_config.json'), { size, sha256, pinnedAt: 0 }); // as installCheckerModel records a manifest's hash
    await expect(cache.put(url, changed())).rejects.toThrow('Model file tokenizer_config.json failed its checksum');
    expect(await cache.match(url)).toBeUndefined();
  });
});
