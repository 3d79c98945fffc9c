// What the studio's store works with: the engine, the checker, the model library and the gallery's storage. The page
// passes its workers and IndexedDB (pageServices.ts); Node tests pass in-process ones (src/app/slices/*.test.ts).
import type { Engine } from '../core/engine';
import type { GalleryStorage } from '../storage/gallery';
import type { CheckerClient } from './checkerClient';
import type { LibraryClient } from './libraryClient';

export interface StudioServices {
  engine: Engine;
  /** Started on first use: a closed checker panel costs nothing. */
  checker: () => CheckerClient;
  /** Started on first use. */
  library: () => LibraryClient;
  gallery: GalleryStorage;
  /** The app's base URL: the checker's bundled files resolve against it. */
  appBaseUrl: string;
}
