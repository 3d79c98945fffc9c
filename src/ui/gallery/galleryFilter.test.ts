import { withDefaultBlocks } from '../../shared/settings';
import { describe, expect, it } from 'vitest';
import type { GalleryEntry } from '../../storage/gallery';
import { filterGallery, galleryBytes, galleryModels } from './galleryFilter';

const entry = (id: string, prompt: string, modelName: string, size: number): GalleryEntry => ({
  id,
  createdAt: 0,
  modelName,
  backend: 'wasm',
  width: 4,
  height: 4,
  settings: withDefaultBlocks({ prompt, negativePrompt: 'blurry', seed: 1, steps: 4, guidance: 7, sampler: 'euler' }),
  png: new Blob([new Uint8Array(size)]),
});
const entries = [
  entry('1', 'A red Cat and a blue dog', 'Tiny SD', 10),
  entry('2', 'a yellow star', 'SD-Turbo', 20),
  entry('3', 'a red star', 'Tiny SD', 5),
];

describe('filterGallery', () => {
  it('matches every word of the filter in any order and case, within the chosen model', () => {
    expect(filterGallery(entries, { text: 'dog red', model: '' }).map((e) => e.id)).toEqual(['1']);
    expect(filterGallery(entries, { text: 'STAR', model: '' }).map((e) => e.id)).toEqual(['2', '3']);
    expect(filterGallery(entries, { text: 'star', model: 'Tiny SD' }).map((e) => e.id)).toEqual(['3']);
    expect(filterGallery(entries, { text: '  ', model: '' })).toHaveLength(3);
    expect(filterGallery(entries, { text: 'blurry', model: 'SD-Turbo' }).map((e) => e.id)).toEqual(['2']);
  });

  it('lists the models once each and adds up the PNG sizes', () => {
    expect(galleryModels(entries)).toEqual(['SD-Turbo', 'Tiny SD']);
    expect(galleryBytes(entries)).toBe(35);
  });
});
