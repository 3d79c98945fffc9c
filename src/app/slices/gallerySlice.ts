// The gallery mirrored from IndexedDB.
import { describeError, StudioError } from '../../shared/errors';
import { deleteFromGallery, deleteManyFromGallery, listGallery } from '../../storage/gallery';
import type { GallerySlice, GetState, SetState } from './types';

export function createGallerySlice(set: SetState, _get: GetState): GallerySlice {
  return {
    gallery: [],
    loadGallery: async () => {
      try {
        set({ gallery: await listGallery() });
      } catch (error) {
        set({ error: describeError(StudioError.from(error, 'gallery', 'The gallery could not be read; reload the page.')) });
      }
    },
    deleteGalleryEntry: async (id) => {
      await deleteFromGallery(id);
      set((s) => ({ gallery: s.gallery.filter((e) => e.id !== id) }));
    },
    deleteGalleryEntries: async (ids) => {
      await deleteManyFromGallery(ids);
      const gone = new Set(ids);
      set((s) => ({ gallery: s.gallery.filter((e) => !gone.has(e.id)) }));
    },
  };
}
