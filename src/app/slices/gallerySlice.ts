// The gallery mirrored from its storage (IndexedDB on the page).
import { describeError, StudioError } from '../../shared/errors';
import type { GallerySlice, GetState, SetState, SliceContext } from './types';

export function createGallerySlice(set: SetState, _get: GetState, { services: { gallery } }: SliceContext): GallerySlice {
  return {
    gallery: [],
    loadGallery: async () => {
      try {
        set({ gallery: await gallery.list() });
      } catch (error) {
        set({ error: describeError(StudioError.from(error, 'gallery', 'The gallery could not be read; reload the page.')) });
      }
    },
    deleteGalleryEntry: async (id) => {
      await gallery.delete(id);
      set((s) => ({ gallery: s.gallery.filter((e) => e.id !== id) }));
    },
    deleteGalleryEntries: async (ids) => {
      await gallery.deleteMany(ids);
      const gone = new Set(ids);
      set((s) => ({ gallery: s.gallery.filter((e) => !gone.has(e.id)) }));
    },
  };
}
