// The gallery: generated PNGs (with their settings) kept in IndexedDB so a reload loses nothing.
import { createStore, del, delMany, get, set, values, type UseStore } from 'idb-keyval';
import { StudioError } from '../shared/errors';
import { withDefaultBlocks, type GenerationSettings } from '../shared/settings';

export interface GalleryEntry {
  id: string;
  createdAt: number;
  settings: GenerationSettings;
  modelName: string;
  backend: 'webgpu' | 'wasm';
  width: number;
  height: number;
  /** The PNG exactly as downloaded, with its A1111 `parameters` chunk. */
  png: Blob;
}

let galleryStore: UseStore | null = null;
const store = () => (galleryStore ??= createStore('studio-gallery', 'entries'));

export async function saveToGallery(entry: GalleryEntry): Promise<void> {
  try {
    await set(entry.id, entry, store());
  } catch (error) {
    const quota = error instanceof DOMException && error.name === 'QuotaExceededError';
    throw new StudioError({
      code: 'storage',
      stage: 'gallery',
      message: quota
        ? 'The browser has no space left to keep this image in the gallery.'
        : `The image could not be saved to the gallery (${String(error)}).`,
      remedy: quota
        ? 'Delete some gallery images or free disk space; the image is still shown and can be downloaded.'
        : 'Download the image to keep it.',
    });
  }
}

/** Newest first; entries saved before a settings block existed get its defaults here, as they are read. */
export async function listGallery(): Promise<GalleryEntry[]> {
  const all = await values<GalleryEntry>(store());
  return all.map(withCompleteSettings).sort((a, b) => b.createdAt - a.createdAt);
}

export async function getGalleryEntry(id: string): Promise<GalleryEntry | undefined> {
  const entry = await get<GalleryEntry>(id, store());
  return entry && withCompleteSettings(entry);
}

function withCompleteSettings(entry: GalleryEntry): GalleryEntry {
  return { ...entry, settings: withDefaultBlocks(entry.settings) };
}

export function deleteFromGallery(id: string): Promise<void> {
  return del(id, store());
}

/** One transaction: a multi-select delete removes all of the images or none. */
export function deleteManyFromGallery(ids: readonly string[]): Promise<void> {
  return delMany([...ids], store());
}

/** Where the gallery is kept: IndexedDB on the page (idbGallery), memory in Node tests (memoryGallery.ts). */
export interface GalleryStorage {
  save(entry: GalleryEntry): Promise<void>;
  /** Newest first. */
  list(): Promise<GalleryEntry[]>;
  delete(id: string): Promise<void>;
  deleteMany(ids: readonly string[]): Promise<void>;
}

export const idbGallery: GalleryStorage = {
  save: saveToGallery,
  list: listGallery,
  delete: deleteFromGallery,
  deleteMany: deleteManyFromGallery,
};
