// Where model files may come from: the Hugging Face hub and an optional mirror with the same URL layout.

/** The public Hugging Face hub; files resolve as {base}/{repo}/resolve/{revision}/{path}. */
export const DEFAULT_HUB_BASE = 'https://huggingface.co';

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
