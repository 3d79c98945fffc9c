// Where model bytes come from: a URL prefix (built-in model, served with the app) or any other reader.
export interface ModelFileReader {
  /** Human-readable origin, for error messages. */
  readonly origin: string;
  read(path: string): Promise<Uint8Array>;
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
