// A local stand-in for the Hugging Face hub: serves model folders the way the hub does, with fault injection for tests.
//
// GET/HEAD /{owner}/{repo}/resolve/{revision}/{path} answers 302 to /cdn/{owner}/{repo}/{revision}/{path},
// which serves the bytes with Range (206 + Content-Range), a strong ETag (the file's sha256, as the hub's
// LFS files have), If-Range, CORS and Cross-Origin-Resource-Policy (the studio page is cross-origin isolated).
// Faults (POST /__faults or setFaults()) and byte counters (GET /__stats) let tests see what went over the wire.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyFaultToBody, takeFault } from './faults.mjs';

/** The real-model fixture families (models/fixtures/make_real_fixtures.py), each with its manifest.json. */
export const FIXTURE_FAMILIES = [
  'sd-turbo-ort-web-sdpa',
  'sd-turbo-ort-web-baddbmm',
  'sd-turbo-webnn',
  'sd15-webnn',
  'optimizer-mha-fp32',
  'optimizer-mha-fp16',
];

const DEFAULT_REPOS = {
  'test-org/tiny-sd': 'public/models/tiny-sd',
  ...Object.fromEntries(FIXTURE_FAMILIES.map((family) => [`test-org/${family}`, `models/fixtures/families/${family}`])),
};

const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, POST, DELETE, OPTIONS', // POST/DELETE: the fault controls, from a test page too
  'Access-Control-Allow-Headers': 'Range, If-Range, Content-Type',
  'Access-Control-Expose-Headers':
    'ETag, Content-Range, Content-Length, Accept-Ranges, X-Linked-Size, X-Linked-Etag, X-Repo-Commit, Retry-After',
  'Cross-Origin-Resource-Policy': 'cross-origin',
};

/**
 * @param {{ port?: number, repos?: Record<string, string>, root?: string }} [options]
 *   repos maps "owner/name" to a folder (relative to root, default the current directory).
 */
export async function startHubServer(options = {}) {
  const root = options.root ?? process.cwd();
  const repos = Object.fromEntries(Object.entries(options.repos ?? DEFAULT_REPOS).map(([repo, dir]) => [repo, resolve(root, dir)]));
  /** @type {import('./server.d.mts').HubFault[]} */
  let faults = [];
  let stats = emptyStats();
  // Kept outside `stats` so a reset while bodies are still being sent cannot make the count go wrong.
  let inFlight = 0;
  const fileCache = new Map();

  async function loadFile(repo, path) {
    const dir = repos[repo];
    if (!dir) return undefined;
    const full = resolve(dir, path);
    if (!full.startsWith(dir + sep)) return undefined; // no ../ escapes
    try {
      const info = await stat(full);
      if (!info.isFile()) return undefined;
      const key = `${full}:${info.mtimeMs}:${info.size}`;
      if (!fileCache.has(key)) {
        const bytes = await readFile(full);
        fileCache.set(key, { bytes, etag: `"${createHash('sha256').update(bytes).digest('hex')}"` });
      }
      return fileCache.get(key);
    } catch {
      return undefined;
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) res.writeHead(500, CORS_HEADERS).end(String(error));
      else res.destroy();
    });
  });

  async function handle(req, res) {
    const url = new URL(req.url ?? '/', 'http://hub.local');
    const route = decodeURIComponent(url.pathname);
    if (req.method === 'OPTIONS') return void res.writeHead(204, CORS_HEADERS).end();
    if (route === '/__faults') return controlFaults(req, res);
    if (route === '/__stats') return void sendJson(res, { ...stats, inFlight });
    if (route === '/__stats/reset') {
      stats = emptyStats();
      return void sendJson(res, stats);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, CORS_HEADERS).end();

    const resolveMatch = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(route);
    if (resolveMatch) {
      const [, repo, revision, path] = resolveMatch;
      const file = await loadFile(repo, path);
      if (!file || takeFault(faults, repo, path, 'not-found')) return void notFound(res);
      // The hub redirects to its CDN; a 'redirect' fault sends the download to another origin instead.
      const offsite = takeFault(faults, repo, path, 'redirect');
      res.writeHead(302, {
        'Content-Length': '0',
        ...CORS_HEADERS,
        Location: `${offsite?.origin ?? ''}/cdn/${repo}/${revision}/${path}`,
        'X-Linked-Size': String(file.bytes.length),
        'X-Linked-Etag': file.etag,
      });
      return void res.end();
    }
    const cdnMatch = /^\/cdn\/([^/]+\/[^/]+)\/([^/]+)\/(.+)$/.exec(route);
    if (!cdnMatch) return void notFound(res);
    const [, repo, , path] = cdnMatch;
    const file = await loadFile(repo, path);
    if (!file) return void notFound(res);
    await serveBytes(req, res, repo, path, file);
  }

  async function serveBytes(req, res, repo, path, file) {
    const key = `${repo}/${path}`;
    const fileStats = (stats.files[key] ??= { requests: 0, bytesServed: 0, rangeStarts: [] });
    fileStats.requests += 1;

    if (takeFault(faults, repo, path, 'html')) {
      const page = '<!DOCTYPE html><html><head><title>Sign in</title></head><body>Please sign in.</body></html>';
      res.writeHead(200, { ...CORS_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(page.length) });
      return void res.end(req.method === 'HEAD' ? undefined : page);
    }

    const failing = takeFault(faults, repo, path, 'status');
    if (failing) {
      const retryAfter = failing.retryAfter === undefined ? {} : { 'Retry-After': String(failing.retryAfter) };
      return void res.writeHead(failing.status, { ...CORS_HEADERS, ...retryAfter, 'Content-Length': '0' }).end();
    }
    const replaced = takeFault(faults, repo, path, 'body');
    if (replaced) {
      res.writeHead(200, {
        ...CORS_HEADERS,
        'Content-Type': 'application/json',
        'Content-Length': String(Buffer.byteLength(replaced.body)),
      });
      return void res.end(req.method === 'HEAD' ? undefined : replaced.body);
    }

    const size = file.bytes.length;
    const ignoreRange = takeFault(faults, repo, path, 'ignore-range');
    const range = ignoreRange ? undefined : parseRange(req.headers.range, req.headers['if-range'], file.etag, size);
    if (range === 'unsatisfiable') {
      return void res.writeHead(416, { ...CORS_HEADERS, 'Content-Range': `bytes */${size}` }).end();
    }
    const start = range?.start ?? 0;
    const end = range?.end ?? size - 1;
    const headers = {
      ...CORS_HEADERS,
      'Accept-Ranges': 'bytes',
      ETag: file.etag,
      // The hub names the commit a revision resolved to; here a stand-in that changes whenever the file does.
      'X-Repo-Commit': createHash('sha1').update(file.etag).digest('hex'),
      'Content-Type': path.endsWith('.json') ? 'application/json' : 'application/octet-stream',
      'Content-Length': String(end - start + 1),
      ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
    };
    res.writeHead(range ? 206 : 200, headers);
    if (req.method === 'HEAD') return void res.end();
    fileStats.rangeStarts.push(start);

    const body = file.bytes.subarray(start, end + 1);
    inFlight += 1;
    stats.maxConcurrent = Math.max(stats.maxConcurrent, inFlight);
    try {
      await applyFaultToBody({ faults, repo, path, body, start, res, onBytes: (n) => (fileStats.bytesServed += n) });
    } finally {
      inFlight -= 1;
    }
  }

  function controlFaults(req, res) {
    if (req.method === 'GET') return void sendJson(res, faults);
    if (req.method === 'DELETE') {
      faults = [];
      return void sendJson(res, faults);
    }
    let text = '';
    req.on('data', (part) => (text += part));
    req.on('end', () => {
      try {
        const parsed = JSON.parse(text || '[]');
        faults = structuredClone(Array.isArray(parsed) ? parsed : (parsed.faults ?? []));
        sendJson(res, faults);
      } catch (error) {
        res.writeHead(400, CORS_HEADERS).end(String(error));
      }
    });
  }

  await new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => done(undefined));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;

  return {
    url: `http://127.0.0.1:${port}`,
    /** @param {import('./server.d.mts').HubFault[]} next */
    setFaults(next) {
      faults = structuredClone(next);
    },
    stats: () => structuredClone({ ...stats, inFlight }),
    resetStats() {
      stats = emptyStats();
    },
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done(undefined));
      }),
  };
}

function emptyStats() {
  return { files: {}, maxConcurrent: 0 };
}

/** Parses "bytes=N-" or "bytes=N-M"; an If-Range that does not match the ETag means "send it all", as RFC 9110 says. */
function parseRange(rangeHeader, ifRange, etag, size) {
  if (!rangeHeader) return undefined;
  if (ifRange && ifRange !== etag) return undefined;
  const match = /^bytes=(\d+)-(\d*)$/.exec(rangeHeader.trim());
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = match[2] ? Math.min(Number(match[2]), size - 1) : size - 1;
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

function notFound(res) {
  res.writeHead(404, { ...CORS_HEADERS, 'Content-Type': 'text/plain', 'X-Error-Code': 'EntryNotFound' }).end('Entry not found');
}

function sendJson(res, value) {
  res.writeHead(200, { ...CORS_HEADERS, 'Content-Type': 'application/json' }).end(JSON.stringify(value));
}

function parseArgs(argv) {
  const options = { port: 8090, repos: { ...DEFAULT_REPOS } };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--port') options.port = Number(argv[++i]);
    else if (argv[i] === '--repo') {
      const [repo, dir] = argv[++i].split('=');
      options.repos[repo] = dir;
    }
  }
  return options;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const hub = await startHubServer(parseArgs(process.argv.slice(2)));
  console.log(`hub test server on ${hub.url}`);
}
