// The model manifests shipped with the app (models/manifests/*.json), bundled at build time.
import type { LibraryManifest } from './libraryManifest';

const shipped = import.meta.glob<LibraryManifest>('../../models/manifests/*.json', { eager: true, import: 'default' });

/** The id of the manifest that describes the built-in model (public/models/tiny-sd). */
export const BUILT_IN_MODEL_ID = 'tiny-sd-random';

/** Shipped manifests, the built-in model first, then by name. */
export const SHIPPED_MANIFESTS: LibraryManifest[] = Object.values(shipped).sort((a, b) =>
  a.id === BUILT_IN_MODEL_ID ? -1 : b.id === BUILT_IN_MODEL_ID ? 1 : a.name.localeCompare(b.name),
);
