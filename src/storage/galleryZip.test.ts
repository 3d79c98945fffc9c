import { unzipSync } from 'fflate';
import { withDefaultBlocks } from '../shared/settings';
import { describe, expect, it } from 'vitest';
import type { GalleryEntry } from './gallery';
import { zipGalleryEntries } from './galleryZip';

const entry = (id: string, seed: number, bytes: number[]): GalleryEntry => ({
  id,
  createdAt: Date.UTC(2026, 10, 30),
  modelName: 'Tiny SD',
  backend: 'wasm',
  width: 4,
  height: 4,
  settings: withDefaultBlocks({ prompt: 'a cat', negativePrompt: '', seed, steps: 4, guidance: 7, sampler: 'euler' }),
  png: new Blob([new Uint8Array(bytes)], { type: 'image/png' }),
});

describe('zipGalleryEntries', () => {
  it('stores every PNG byte for byte under a name with its seed, two images of one seed kept apart', async () => {
    const entries = [entry('aaaaaaaa-1', 7, [1, 2, 3]), entry('bbbbbbbb-2', 7, [4, 5]), entry('aaaaaaaa-3', 7, [6])];
    const files = unzipSync(new Uint8Array(await (await zipGalleryEntries(entries)).arrayBuffer()));
    expect(Object.keys(files)).toEqual(['studio-7-aaaaaaaa.png', 'studio-7-bbbbbbbb.png', 'studio-7-aaaaaaaa-2.png']);
    expect([...files['studio-7-aaaaaaaa.png']]).toEqual([1, 2, 3]);
    expect([...files['studio-7-bbbbbbbb.png']]).toEqual([4, 5]);
    expect([...files['studio-7-aaaaaaaa-2.png']]).toEqual([6]);
  });
});
