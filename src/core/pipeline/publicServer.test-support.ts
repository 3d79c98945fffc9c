// Serves public/ (or a model folder) over HTTP in Node as the app does: the engine fetches models and helper graphs by URL.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { EngineUrls } from '../engine';
import { publicDir, randomModelDir } from './testModel.test-support';

export interface PublicServer {
  url: string;
  /** The built-in tiny model and the helper graphs, as the page's engine finds them. */
  engineUrls: EngineUrls;
  /** Paths (relative to public/) answered with bytes that are no ONNX model. */
  damaged: Set<string>;
  close(): Promise<void>;
}

export async function servePublic(): Promise<PublicServer> {
  return serveFolder(publicDir, 'models/tiny-sd/');
}

/** The random-weights test model (randomModelDir) as the built-in one, for tests that need a model without learnt behaviour. */
export async function serveRandomModel(): Promise<PublicServer> {
  return serveFolder(randomModelDir, '');
}

/**
 * Serves `root` (a folder path ending in '/'); the engine's URLs point at `modelPath` under it and at public/graphs/
 * (served under graphs/ whatever the root), so scripts can load a model exported anywhere.
 */
export async function serveFolder(root: string, modelPath: string): Promise<PublicServer> {
  const damaged = new Set<string>();
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).slice(1);
    if (path.split('/').includes('..')) return void res.writeHead(400).end();
    if (damaged.has(path)) return void res.end(Buffer.from('not an onnx model'.repeat(64)));
    readFile(path.startsWith('graphs/') ? publicDir + path : root + path).then(
      (bytes) => res.end(bytes),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  return {
    url,
    engineUrls: { builtInModel: url + modelPath, graphs: `${url}graphs/` },
    damaged,
    close: () => new Promise((closed) => server.close(() => closed())),
  };
}
