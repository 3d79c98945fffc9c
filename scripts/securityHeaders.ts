// The studio's security headers, in one place: the preview server sends them, and public/_headers (static hosts) is made from them.
import { HUGGING_FACE_CSP_SOURCES } from '../src/shared/hubHosts';

/** The public hub and the CDN hosts it redirects file downloads to (LFS and Xet storage): the downloads' own list. */
export const DEFAULT_HUB_ORIGINS: readonly string[] = HUGGING_FACE_CSP_SOURCES;

/** The app's worker scripts (Vite names them NAME.worker-HASH.js): they get WORKER_SCRIPT_SRC, the page does not. */
export const WORKER_SCRIPT_PATH = /^\/assets\/[\w-]+\.worker-[\w-]+\.js$/;
/** As a glob, for static hosts' header files. */
export const WORKER_SCRIPT_GLOB = '/assets/*.worker-*.js';

/**
 * The workers' script-src also allows 'unsafe-eval': protobufjs (the ONNX graph reader the denoiser patcher uses in
 * the engine and library workers) builds its decoders with Function(). A worker has no DOM, so this does not open
 * the page to injected markup; reading ONNX with generated static code would let workers drop it too.
 */
const WORKER_SCRIPT_SRC = "script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'";

/**
 * Content-Security-Policy: scripts only from the studio's origin (plus compiling WebAssembly, which ORT needs),
 * no plugins, no framing; network access only to the studio itself and the hub and mirror it downloads from.
 * A dedicated worker runs under the policy sent with its own script, hence `forWorker`.
 */
export function contentSecurityPolicy(connectOrigins: readonly string[], forWorker = false): string {
  return [
    "default-src 'self'",
    forWorker ? WORKER_SCRIPT_SRC : "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self'",
    // blob:/data: are the page's own images (results, exports) read back as bytes, never the network.
    `connect-src 'self' blob: data: ${connectOrigins.join(' ')}`,
    "img-src 'self' blob: data:",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Every header a response of the studio is sent with. COOP/COEP make the page cross-origin isolated (WASM threads). */
export function securityHeaders(connectOrigins: readonly string[] = DEFAULT_HUB_ORIGINS, path = '/'): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(connectOrigins, WORKER_SCRIPT_PATH.test(path)),
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
}

/** The hub and mirror origins a deployment allows: STUDIO_CONNECT_ORIGINS (space or comma separated) adds a mirror. */
export function connectOriginsFromEnv(env: Record<string, string | undefined>): string[] {
  const extra = (env.STUDIO_CONNECT_ORIGINS ?? '').split(/[\s,]+/).filter(Boolean);
  return [...DEFAULT_HUB_ORIGINS, ...extra];
}

/** public/_headers: the format Netlify and Cloudflare Pages read (a path pattern, then indented "Name: value" lines). */
export function staticHostHeadersFile(connectOrigins: readonly string[] = DEFAULT_HUB_ORIGINS): string {
  const lines = Object.entries(securityHeaders(connectOrigins)).map(([name, value]) => `  ${name}: ${value}`);
  const workerPolicy = `  Content-Security-Policy: ${contentSecurityPolicy(connectOrigins, true)}`;
  return [
    '# Security headers for static hosting (Netlify, Cloudflare Pages). Generated from scripts/securityHeaders.ts',
    '# by `npx tsx scripts/write-headers-file.ts`; a test keeps the two equal. Add a mirror to connect-src with',
    '# STUDIO_CONNECT_ORIGINS=https://mirror.example when generating.',
    '/*',
    ...lines,
    // A later matching block adds to the earlier one; "! Name" (Cloudflare Pages) first drops the page's policy,
    // since a browser would enforce both policies on a worker script that carried both.
    `${WORKER_SCRIPT_GLOB}`,
    '  ! Content-Security-Policy',
    workerPolicy,
    '',
  ].join('\n');
}
