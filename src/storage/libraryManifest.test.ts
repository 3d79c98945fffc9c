// The shipped manifests are consistent, and file URLs resolve only to the configured hub or mirror.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ModelManifest } from '../shared/manifest';
import {
  assertAllowedFinalUrl,
  assertAllowedHost,
  DEFAULT_HUB_HOSTS,
  externalDataFor,
  filesForVariant,
  parseHubFileUrl,
  resolveFileUrl,
  toModelManifest,
  type LibraryManifest,
} from './libraryManifest';

const MANIFEST_DIR = 'models/manifests';
const manifests: LibraryManifest[] = readdirSync(MANIFEST_DIR)
  .filter((name) => name.endsWith('.json'))
  .map((name) => JSON.parse(readFileSync(`${MANIFEST_DIR}/${name}`, 'utf8')) as LibraryManifest);
const byId = (id: string) => manifests.find((m) => m.id === id)!;

describe('shipped manifests', () => {
  it('include the tiny model, SD-Turbo (ORT example), SD-Turbo (WebNN) and SD 1.5 with distinct ids', () => {
    expect(manifests.map((m) => m.repo).sort()).toEqual(
      ['microsoft/sd-turbo-webnn', 'microsoft/stable-diffusion-v1.5-webnn', 'schmuell/sd-turbo-ort-web', 'test-org/tiny-sd'].sort(),
    );
    expect(new Set(manifests.map((m) => m.id)).size).toBe(manifests.length);
  });

  it.each(manifests.map((m) => [m.id, m] as const))('%s: every file is listed once, pinned or marked to be pinned', (_id, manifest) => {
    const paths = manifest.files.map((f) => f.path);
    expect(new Set(paths).size).toBe(paths.length);
    for (const file of manifest.files) {
      if (file.toBePinned) continue;
      expect(file.size, file.path).toBeGreaterThan(0);
      expect(file.sha256, file.path).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(manifest.repo).toMatch(/^[\w.-]+\/[\w.-]+$/);
    expect(manifest.revision).not.toBe('');
  });

  it.each(manifests.map((m) => [m.id, m] as const))('%s: variants point at listed files and fp16 needs shader-f16', (_id, manifest) => {
    const paths = new Set(manifest.files.map((f) => f.path));
    expect(paths.has(`${manifest.tokenizer.dir}/tokenizer.json`)).toBe(true);
    expect(paths.has(`${manifest.tokenizer.dir}/tokenizer_config.json`)).toBe(true);
    for (const variant of manifest.variants) {
      for (const path of [...Object.values(variant.files), ...Object.values(variant.externalData ?? {}).flat()])
        expect(paths.has(path), path).toBe(true);
      if (variant.dtype === 'fp16' || variant.dtype === 'q4f16') expect(variant.requires).toContain('shader-f16');
      for (const path of Object.values(variant.files)) expect(path.endsWith('.onnx'), path).toBe(true);
    }
  });

  it('the tiny model manifest agrees with the one served with the app', () => {
    const served = JSON.parse(readFileSync('public/models/tiny-sd/manifest.json', 'utf8')) as ModelManifest;
    const tiny = byId(served.id);
    const asLoaded = toModelManifest(tiny, new Map());
    expect({ ...asLoaded, description: '' }).toEqual({ ...served, description: '' });
  });
});

describe('file URLs', () => {
  const turbo = () => byId('sd-turbo-ort-web');
  const unet = () => turbo().files.find((f) => f.path === 'unet/model.onnx')!;

  it('resolve as {hub}/{repo}/resolve/{revision}/{path} by default', () => {
    expect(resolveFileUrl(turbo(), unet(), DEFAULT_HUB_HOSTS)).toBe(
      'https://huggingface.co/schmuell/sd-turbo-ort-web/resolve/main/unet/model.onnx',
    );
  });

  it('resolve on the mirror, keeping its path prefix, when told to', () => {
    const hosts = { hubBase: 'https://huggingface.co', mirrorBase: 'https://models.intranet.example/hf/', useMirror: true };
    expect(resolveFileUrl(turbo(), unet(), hosts)).toBe(
      'https://models.intranet.example/hf/schmuell/sd-turbo-ort-web/resolve/main/unet/model.onnx',
    );
  });

  it('resolve a file from another repo (a tokenizer the export lacks) there', () => {
    const tokenizer = turbo().files.find((f) => f.path === 'tokenizer/tokenizer.json')!;
    expect(resolveFileUrl(turbo(), tokenizer, DEFAULT_HUB_HOSTS)).toBe(
      'https://huggingface.co/Xenova/clip-vit-base-patch16/resolve/main/tokenizer.json',
    );
  });

  it('refuse a host that is neither the hub nor the mirror, naming both', () => {
    const hosts = { hubBase: 'https://huggingface.co', mirrorBase: 'https://models.intranet.example/hf' };
    expect(() => assertAllowedHost('https://huggingface.co/a/b/resolve/main/x.onnx', hosts)).not.toThrow();
    expect(() => assertAllowedHost('https://models.intranet.example/hf/a/b/resolve/main/x.onnx', hosts)).not.toThrow();
    expect(() => assertAllowedHost('https://evil.example/a/b/resolve/main/x.onnx', hosts)).toThrow(
      'Refused to download from https://evil.example: it is neither the configured hub (https://huggingface.co) nor the configured mirror (https://models.intranet.example).',
    );
    expect(() => assertAllowedHost('http://huggingface.co/a/b/resolve/main/x.onnx', hosts)).toThrow('Refused'); // another scheme is another origin
    expect(() => assertAllowedHost('https://huggingface.co.evil.example/x', hosts)).toThrow('Refused');
    expect(() => assertAllowedHost('not a url', DEFAULT_HUB_HOSTS)).toThrow('nor the configured mirror (none set)');
  });

  it('accept a redirect from the public hub to its CDN, and nothing else off the host the request went to', () => {
    const hub = 'https://huggingface.co/a/b/resolve/main/x.onnx';
    for (const cdn of [
      'https://cdn-lfs.huggingface.co/repos/x',
      'https://cdn-lfs-us-1.hf.co/x',
      'https://cas-bridge.xethub.hf.co/xet/x',
      'https://huggingface.co/api/x',
    ]) {
      expect(() => assertAllowedFinalUrl(hub, { url: cdn }), cdn).not.toThrow();
    }
    for (const [finalUrl, host] of [
      ['https://evil.example/x', 'evil.example'],
      ['http://cdn-lfs.hf.co/x', 'cdn-lfs.hf.co'], // not https
      ['https://cdn-lfs.hf.co:8443/x', 'cdn-lfs.hf.co:8443'],
      ['https://hf.co.evil.example/x', 'hf.co.evil.example'],
      ['https://evilhf.co/x', 'evilhf.co'],
    ]) {
      expect(() => assertAllowedFinalUrl(hub, { url: finalUrl }), finalUrl).toThrow(
        `Refused the download of ${hub}: it was redirected to ${host}, which is not https://huggingface.co or the hub's CDN (*.huggingface.co, *.hf.co).`,
      );
    }
    // A mirror's redirects stay on the mirror: not even the public hub's CDN.
    const mirror = 'https://models.intranet.example/hf/a/b/resolve/main/x.onnx';
    expect(() => assertAllowedFinalUrl(mirror, { url: 'https://models.intranet.example/blobs/123' })).not.toThrow();
    expect(() => assertAllowedFinalUrl(mirror, { url: 'https://cdn-lfs.hf.co/x' })).toThrow(
      'which is not https://models.intranet.example.',
    );
    expect(() => assertAllowedFinalUrl(mirror, { url: '' })).not.toThrow(); // a Response made in memory: not redirected
  });

  it('parse a pasted hub or mirror URL into repo, revision and path, and refuse other hosts', () => {
    const hosts = { hubBase: 'https://huggingface.co', mirrorBase: 'https://models.intranet.example/hf/' };
    expect(parseHubFileUrl('https://huggingface.co/microsoft/sd-turbo-webnn/resolve/main/unet/model_layernorm.onnx', hosts)).toEqual({
      repo: 'microsoft/sd-turbo-webnn',
      revision: 'main',
      path: 'unet/model_layernorm.onnx',
    });
    expect(parseHubFileUrl('https://models.intranet.example/hf/a/b/resolve/0123abc/tokenizer/tokenizer.json', hosts)).toEqual({
      repo: 'a/b',
      revision: '0123abc',
      path: 'tokenizer/tokenizer.json',
    });
    expect(parseHubFileUrl('https://huggingface.co/a/b/blob/main/x.onnx', hosts)).toBeUndefined();
    expect(() => parseHubFileUrl('https://cdn.example/a/b/resolve/main/x.onnx', hosts)).toThrow(
      'Refused to download from https://cdn.example',
    );
  });
});

describe('variants', () => {
  it('a variant needs its own graphs plus the files no variant claims', () => {
    const tiny = byId('tiny-sd-random');
    expect(filesForVariant(tiny, 'int8').map((f) => f.path)).toEqual([
      'text_encoder/model_int8.onnx',
      'tokenizer/tokenizer.json',
      'tokenizer/tokenizer_config.json',
      'unet/model_int8.onnx',
      'vae_decoder/model_int8.onnx',
    ]);
    expect(() => filesForVariant(tiny, 'fp64')).toThrow(`${tiny.name} has no variant "fp64" (it has fp32, int8).`);
  });

  it('external-data files come with their variant and are named as the graph refers to them', () => {
    const manifest: LibraryManifest = {
      ...byId('tiny-sd-random'),
      variants: [
        {
          id: 'fp32',
          dtype: 'fp32',
          requires: [],
          files: { textEncoder: 'text_encoder/model.onnx', unet: 'unet/model.onnx', vaeDecoder: 'vae_decoder/model.onnx' },
          externalData: { unet: ['unet/model.onnx_data'] },
        },
      ],
      files: [...byId('tiny-sd-random').files, { path: 'unet/model.onnx_data', toBePinned: true }],
    };
    expect(filesForVariant(manifest, 'fp32').map((f) => f.path)).toContain('unet/model.onnx_data');
    expect(externalDataFor(manifest.variants[0], 'unet')).toEqual([{ storedPath: 'unet/model.onnx_data', graphName: 'model.onnx_data' }]);
    expect(externalDataFor(manifest.variants[0], 'vaeDecoder')).toEqual([]);
  });
});
