// Which gallery images a filter shows: words of the prompt (any order, any case) and the model.
import type { GalleryEntry } from '../../storage/gallery';

export interface GalleryFilter {
  text: string;
  /** A model name, or '' for every model. */
  model: string;
}

export function filterGallery(entries: readonly GalleryEntry[], filter: GalleryFilter): GalleryEntry[] {
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
  return entries.filter((e) => {
    if (filter.model && e.modelName !== filter.model) return false;
    const text = `${e.settings.prompt}\n${e.settings.negativePrompt}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

export function galleryModels(entries: readonly GalleryEntry[]): string[] {
  return [...new Set(entries.map((e) => e.modelName))].sort();
}

export function galleryBytes(entries: readonly GalleryEntry[]): number {
  return entries.reduce((sum, e) => sum + e.png.size, 0);
}
