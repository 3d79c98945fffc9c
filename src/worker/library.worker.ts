// Model-library worker entry: downloads, hashing and IndexedDB writes run here, off the page's main thread.
import type { LibraryApi } from '../shared/libraryProtocol';
import { serveRpc } from '../shared/rpc';
import { IdbModelStore } from '../storage/idbModelStore';
import { createLibraryHandlers, libraryError } from './libraryHandler';

declare const self: DedicatedWorkerGlobalScope;

serveRpc<LibraryApi>(self, createLibraryHandlers(new IdbModelStore()), libraryError);
