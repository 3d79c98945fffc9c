// A stand-in for the studio's host across a deployment: serves the built app (with the production security headers)
// as version 1, then as version 2, in which every hashed file has a new name and the old names answer 404, as after a
// real redeploy. Version 2 is the same build with /assets/ renamed /assets-v2/ in every text file (pages, scripts, the
// service worker's precache list) and a new revision for index.html, so the browser sees a changed service worker.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { securityHeaders } from '../scripts/securityHeaders';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain',
};
const TEXT = new Set(['.html', '.js', '.mjs', '.css', '.webmanifest']);

export interface Deployment {
  url: string;
  /** Switches what the server answers from now on. */
  deploy(version: 1 | 2): void;
  close(): Promise<void>;
}

export async function startDeployment(distDir = process.env.E2E_DIST ?? 'dist'): Promise<Deployment> {
  let version: 1 | 2 = 1;
  const server: Server = createServer((req, res) => {
    void (async () => {
      let path = decodeURIComponent(new URL(req.url ?? '/', 'http://host').pathname);
      if (path === '/') path = '/index.html';
      // Version 2 has only the renamed hashed files; version 1 only the original names.
      const renamed = path.startsWith('/assets-v2/');
      if ((version === 1 && renamed) || (version === 2 && path.startsWith('/assets/'))) return void res.writeHead(404).end();
      const onDisk = renamed ? path.replace('/assets-v2/', '/assets/') : path;
      const file = join(distDir, normalize(onDisk));
      let body: Buffer | string;
      try {
        body = await readFile(file);
      } catch {
        return void res.writeHead(404).end();
      }
      const type = extname(file);
      if (version === 2 && TEXT.has(type)) body = asVersion2(body.toString('utf8'), path);
      res.writeHead(200, {
        ...securityHeaders(undefined, onDisk),
        'Content-Type': TYPES[type] ?? 'application/octet-stream',
        'Cache-Control': 'no-cache',
      });
      res.end(body);
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    deploy: (next) => void (version = next),
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

function asVersion2(text: string, path: string): string {
  const renamed = text.replaceAll('/assets/', '/assets-v2/').replaceAll('"assets/', '"assets-v2/');
  // index.html changed, so the precache list must say so, or the new worker would keep serving the old page.
  return path === '/sw.js' ? renamed.replace(/(url:"index\.html",revision:")([0-9a-f]+)"/, '$1$2-v2"') : renamed;
}
