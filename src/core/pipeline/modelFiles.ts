// Where model bytes come from: a URL prefix (built-in model, served with the app) or any other reader.
export interface ModelFileReader {
  /** Human-readable origin, for error messages. */
  readonly origin: string;
  read(path: string): Promise<Uint8Array>;
  /** Optional: reads the file into room `room(size)` gives (ORT's heap: OrtRuntime.modelBytes), freeing it on failure. */
  readInto?<T extends FileRoom>(path: string, room: (size: number) => T): Promise<T>;
}

/** Memory a file is read into (ModelBytes in core/ort/runtime.ts). */
export interface FileRoom {
  /** Take a new view after every await (a WebAssembly heap may grow meanwhile). */
  view(): Uint8Array;
  free(): void;
}

export function urlFileReader(baseUrl: string, fetcher: typeof fetch = fetch): ModelFileReader {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return {
    origin: base,
    async read(path) {
      const response = await fetcher(base + path);
      if (!response.ok) throw new Error(`${base + path} answered HTTP ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}

export async function readJson<T>(reader: ModelFileReader, path: string): Promise<T> {
  return JSON.parse(new TextDecoder().decode(await reader.read(path))) as T;
}
