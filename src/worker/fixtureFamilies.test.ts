// Every real-model fixture family installed as a user would (manifest by URL from the hub test server, files through
// the model store), patched at install, and its three sessions opened from the store; the patched UNet, fed from the
// store with the downloaded UNet as its external data, equals the unpatched one with neutral inputs.
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubServer } from '../../scripts/hub-server/server.mjs';
import { checkLibraryManifest } from '../storage/manifestSchema';
import { patchInstalledDenoisers } from './installDenoiserPatch';
import { MemoryModelStore } from '../storage/memoryModelStore';
import { downloadModel } from '../storage/download/downloadModel';
import { startHubServer, testDownload } from '../storage/download/hubFixture.test-support';
import {
  denoiserFeeds,
  familyReferenceUnet,
  familyUnet,
  feedsFor,
  FIXTURE_FAMILIES,
  floats,
  maxAbsDiffAny,
  neutralPatchBound,
  neutralPatchFeeds,
  session,
} from '../core/onnx/patchTesting.test-support';
import { openModelSource } from './modelSource';

let hub: HubServer;
beforeAll(async () => {
  hub = await startHubServer();
});
afterAll(() => hub.close());

/** Node's fetch may reuse a keep-alive socket the server is just closing (ECONNRESET): one more try, as the downloader does. */
async function fetchJson(url: string): Promise<unknown> {
  try {
    return await (await fetch(url)).json();
  } catch {
    return (await fetch(url)).json();
  }
}

describe.each(FIXTURE_FAMILIES)('%s from the hub test server', (family) => {
  it('installs, patches at install, and opens its sessions from the store; the patched UNet is neutral', async () => {
    const manifest = checkLibraryManifest(
      await fetchJson(`${hub.url}/test-org/${family}/resolve/main/manifest.json`),
      'the hub test server',
    );
    const store = new MemoryModelStore();
    await downloadModel(testDownload(store, hub, manifest, { variantIds: [manifest.variants[0].id] }));
    expect(await patchInstalledDenoisers(store, manifest.id)).toEqual([{ path: 'unet/model.onnx', state: 'patched' }]);

    const source = await openModelSource({ kind: 'store', modelId: manifest.id }, () => store);
    const variant = source.manifest.variants[0];
    expect(await source.denoiserPatch(variant)).toMatchObject({ state: 'patched' });
    const open = async (component: 'textEncoder' | 'unet' | 'vaeDecoder') =>
      ort.InferenceSession.create(await source.modelFiles.read(variant.files[component]), {
        externalData: await source.externalData(variant, component),
      });
    const [textEncoder, unet, vae] = [await open('textEncoder'), await open('unet'), await open('vaeDecoder')];
    expect(textEncoder.outputNames).toEqual(['last_hidden_state', 'pooler_output']);
    expect(vae.inputNames).toEqual(['latent_sample']);
    expect(unet.outputNames).toEqual(['out_sample', 'attn_maps']);

    const plain = await session(familyReferenceUnet(family));
    const { feeds, batch } = denoiserFeeds(plain, 2);
    const all = { ...feeds, ...neutralPatchFeeds(batch) };
    const a = await plain.run(feedsFor(plain, all));
    const b = await unet.run(feedsFor(unet, all));
    expect(floats(b.out_sample).every(Number.isFinite)).toBe(true);
    expect(maxAbsDiffAny(a.out_sample, b.out_sample)).toBeLessThanOrEqual(neutralPatchBound(familyUnet(family)));
    await Promise.all([textEncoder, unet, vae, plain].map((s) => s.release()));
  });
});
