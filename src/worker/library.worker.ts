// Model-library worker entry: downloads, hashing and IndexedDB writes run here, off the page's main thread.
import type { LibraryRequest } from '../shared/libraryProtocol';
import { IdbModelStore } from '../storage/idbModelStore';
import { createLibraryHandler } from './libraryHandler';

declare const self: DedicatedWorkerGlobalScope;

const handle = createLibraryHandler((message) => self.postMessage(message), new IdbModelStore());
self.onmessage = (event: MessageEvent<LibraryRequest>) => void handle(event.data);
