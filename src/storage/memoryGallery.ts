// The gallery in memory, for Node (no IndexedDB there): the same contract as idbGallery.
import type { GalleryEntry, GalleryStorage } from './gallery';

export function memoryGallery(): GalleryStorage & { entries: Map<string, GalleryEntry> } {
  const entries = new Map<string, GalleryEntry>();
  return {
    entries,
    save: async (entry) => void entries.set(entry.id, entry),
    list: async () => [...entries.values()].sort((a, b) => b.createdAt - a.createdAt),
    delete: async (id) => void entries.delete(id),
    deleteMany: async (ids) => ids.forEach((id) => entries.delete(id)),
  };
}
