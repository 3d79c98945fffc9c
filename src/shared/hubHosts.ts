// Where model files may come from: the Hugging Face hub (and its CDN, which it redirects to) and an optional mirror
// with the same URL layout. The download checks (storage/libraryManifest.ts) and the Content-Security-Policy's
// connect-src (scripts/securityHeaders.ts) both read it.

/** The public Hugging Face hub; files resolve as {base}/{repo}/resolve/{revision}/{path}. */
export const HUGGING_FACE_HUB_ORIGIN = 'https://huggingface.co';
export const DEFAULT_HUB_BASE = HUGGING_FACE_HUB_ORIGIN;

/**
 * The hub answers a file's resolve URL with a redirect to its CDN or Xet storage: cdn-lfs.huggingface.co,
 * cdn-lfs-us-1.hf.co, cas-bridge.xethub.hf.co, transfer.xethub.hf.co, us.aws.cdn.hf.co and more (the hub's
 * "downloading behind a proxy or firewall" list changes over time). Its own advice is to allow every subdomain
 * of both domains, so that is the rule here: any https host under these suffixes, and only for the public hub.
 */
export const HUGGING_FACE_CDN_HOST_SUFFIXES = ['.huggingface.co', '.hf.co'] as const;

/** The hub and its CDN as CSP source expressions ("https://*.hf.co" matches every subdomain). */
export const HUGGING_FACE_CSP_SOURCES: readonly string[] = [
  HUGGING_FACE_HUB_ORIGIN,
  ...HUGGING_FACE_CDN_HOST_SUFFIXES.map((suffix) => `https://*${suffix}`),
];

/**
 * Where a download sent to `requestOrigin` may end up after redirects: the same origin, or, when it was sent to
 * the public hub, one of the hub's CDN hosts. A mirror's redirects must stay on the mirror.
 */
export function isAllowedRedirectTarget(requestOrigin: string, finalUrl: URL): boolean {
  if (finalUrl.origin === requestOrigin) return true;
  if (requestOrigin !== HUGGING_FACE_HUB_ORIGIN || finalUrl.protocol !== 'https:' || finalUrl.port !== '') return false;
  return HUGGING_FACE_CDN_HOST_SUFFIXES.some((suffix) => finalUrl.hostname.endsWith(suffix));
}

/** Where downloads may come from: the hub and, optionally, a mirror with the same URL layout (an intranet host). */
export interface HubHosts {
  hubBase: string;
  mirrorBase?: string;
  /** Download from the mirror instead of the hub. */
  useMirror?: boolean;
}

export const DEFAULT_HUB_HOSTS: HubHosts = { hubBase: DEFAULT_HUB_BASE };

/** True when downloads go to the mirror: asked for, and a mirror is set. */
export function usesMirror(hosts: HubHosts): boolean {
  return Boolean(hosts.useMirror && hosts.mirrorBase);
}

/** The base URL downloads use (the mirror when asked, else the hub), without a trailing slash. */
export function downloadBase(hosts: HubHosts): string {
  return (usesMirror(hosts) ? hosts.mirrorBase! : hosts.hubBase).replace(/\/+$/, '');
}

/** {base}/{repo}/resolve/{revision}/{path} on the download base, each path segment URL-encoded. */
export function hubFileUrl(hosts: HubHosts, repo: string, revision: string, path: string): string {
  return `${downloadBase(hosts)}/${repo}/resolve/${encodeURIComponent(revision)}/${path.split('/').map(encodeURIComponent).join('/')}`;
}
