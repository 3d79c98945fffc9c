// Gallery images as one zip file. PNGs are already deflated, so entries are stored, not compressed again:
// the zip is built as fast as the bytes can be copied, and every entry is the PNG byte for byte.
import { zipSync } from 'fflate';
import type { GalleryEntry } from './gallery';

/** "studio-<seed>-<id>.png": the seed a person looks for first, the id so two images of one seed never collide. */
export function galleryFileName(entry: Pick<GalleryEntry, 'id' | 'settings'>): string {
  return `studio-${entry.settings.seed}-${entry.id.slice(0, 8)}.png`;
}

export async function zipGalleryEntries(entries: readonly GalleryEntry[]): Promise<Blob> {
  const files: Record<string, [Uint8Array, { level: 0; mtime: number }]> = {};
  for (const entry of entries) {
    let name = galleryFileName(entry);
    for (let n = 2; name in files; n++) name = galleryFileName(entry).replace(/\.png$/, `-${n}.png`);
    files[name] = [new Uint8Array(await entry.png.arrayBuffer()), { level: 0, mtime: entry.createdAt }];
  }
  return new Blob([zipSync(files)], { type: 'application/zip' });
}
