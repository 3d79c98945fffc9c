// Manifests of downloadable models (models/manifests/*.json): where each file lives on the hub and how to check it.
import { StudioError } from '../shared/errors';
import type { ComponentName, LibraryFile, LibraryManifest, LibraryVariant, ManifestFile, ModelManifest } from '../shared/manifest';

// The types' home is shared/manifest (the library worker's wire carries them); re-exported for storage's own modules.
export type { LibraryFile, LibraryManifest, LibraryVariant } from '../shared/manifest';
import { HUGGING_FACE_HUB_ORIGIN, hubFileUrl, isAllowedRedirectTarget, type HubHosts } from '../shared/hubHosts';
import { isRevision, isSafeRepoPath } from './manifestSchema';

// The hosts' home is shared/hubHosts; re-exported for the download code that imports them from here.
export { DEFAULT_HUB_BASE, DEFAULT_HUB_HOSTS, type HubHosts } from '../shared/hubHosts';

/** The files one variant needs: its graphs, their external data, and every file no variant claims (tokenizer, configs). */
export function filesForVariant(manifest: LibraryManifest, variantId: string): LibraryFile[] {
  const variant = manifest.variants.find((v) => v.id === variantId);
  if (!variant) {
    throw new StudioError({
      code: 'model-load',
      stage: 'load',
      message: `${manifest.name} has no variant "${variantId}" (it has ${manifest.variants.map((v) => v.id).join(', ')}).`,
      remedy: 'Choose one of the listed variants.',
    });
  }
  const claimedByAny = new Set(manifest.variants.flatMap(variantPaths));
  const wanted = new Set(variantPaths(variant));
  return manifest.files.filter((f) => wanted.has(f.path) || !claimedByAny.has(f.path));
}

function variantPaths(variant: LibraryVariant): string[] {
  return [...Object.values(variant.files), ...Object.values(variant.externalData ?? {}).flat()];
}

/** External-data files of one component, as onnxruntime-web's `externalData` option wants them named. */
export function externalDataFor(variant: LibraryVariant, component: ComponentName): { storedPath: string; graphName: string }[] {
  return (variant.externalData?.[component] ?? []).map((storedPath) => ({
    storedPath,
    graphName: storedPath.slice(storedPath.lastIndexOf('/') + 1),
  }));
}

/** "owner/name": letters, digits, '-', '_' and '.', as the hub allows. */
const REPO_ID = /^[\w.-]+\/[\w.-]+$/;

/** Where a file lives on the hub: the manifest's repo and revision unless the file names its own source. */
export function fileOnHub(manifest: LibraryManifest, file: LibraryFile): { repo: string; revision: string; path: string } {
  if (!file.source) return { repo: manifest.repo, revision: manifest.revision, path: file.path };
  return { repo: file.source.repo, revision: file.source.revision ?? 'main', path: file.source.path };
}

/** The URL of a file: {base}/{repo}/resolve/{revision}/{path}, on the mirror when asked, else the hub. */
export function resolveFileUrl(manifest: LibraryManifest, file: LibraryFile, hosts: HubHosts): string {
  const { repo, revision, path } = fileOnHub(manifest, file);
  if (!REPO_ID.test(repo)) {
    throw new StudioError({
      code: 'model-load',
      stage: 'load',
      message: `"${repo}" is not a hub repository id (owner/name).`,
      remedy: 'Fix the repo in the model manifest.',
    });
  }
  // A '..' segment would reach another repo's files on the same host: refused, as any path the schema refuses.
  if (!isRevision(revision) || !isSafeRepoPath(path)) {
    throw new StudioError({
      code: 'model-load',
      stage: 'load',
      message: `"${revision}/${path}" is not a file path inside ${repo} (no "." or ".." segments).`,
      remedy: 'Fix the path in the model manifest.',
    });
  }
  const url = hubFileUrl(hosts, repo, revision, path);
  assertAllowedHost(url, hosts);
  return url;
}

/**
 * Refuses a URL whose origin is neither the configured hub nor the configured mirror, so a manifest or a
 * setting cannot make the studio fetch from anywhere else. Where redirects may lead: assertAllowedFinalUrl.
 */
export function assertAllowedHost(url: string, hosts: HubHosts): void {
  const allowed = [hosts.hubBase, hosts.mirrorBase].filter((b): b is string => Boolean(b)).map(originOf);
  const origin = originOf(url);
  if (origin === undefined || !allowed.includes(origin)) {
    throw new StudioError({
      code: 'storage',
      stage: 'load',
      message: `Refused to download from ${origin ?? url}: it is neither the configured hub (${originOf(hosts.hubBase) ?? hosts.hubBase}) nor the configured mirror${hosts.mirrorBase ? ` (${originOf(hosts.mirrorBase) ?? hosts.mirrorBase})` : ' (none set)'}.`,
      remedy: 'Download from the hub, or set that host as the mirror in the model library settings.',
    });
  }
}

/**
 * Refuses a response whose final URL (after redirects) left the host the request was sent to, except for the
 * public hub's own CDN (shared/hubHosts.ts). fetch follows redirects before the caller sees anything, so every
 * fetch of a hub or mirror file checks its response with this before reading a byte of the body.
 * An empty response.url (a Response built in memory) has not been redirected.
 */
export function assertAllowedFinalUrl(requestedUrl: string, response: Pick<Response, 'url'>): void {
  if (!response.url || response.url === requestedUrl) return;
  const requestOrigin = originOf(requestedUrl);
  let finalUrl: URL | undefined;
  try {
    finalUrl = new URL(response.url);
  } catch {
    finalUrl = undefined;
  }
  if (requestOrigin !== undefined && finalUrl && isAllowedRedirectTarget(requestOrigin, finalUrl)) return;
  const allowed =
    requestOrigin === HUGGING_FACE_HUB_ORIGIN
      ? `${requestOrigin} or the hub's CDN (*.huggingface.co, *.hf.co)`
      : (requestOrigin ?? requestedUrl);
  throw new StudioError({
    code: 'storage',
    stage: 'load',
    message: `Refused the download of ${requestedUrl}: it was redirected to ${finalUrl?.host ?? response.url}, which is not ${allowed}.`,
    remedy:
      'Nothing from that host was stored. Check the hub or mirror URL in the model library settings; a mirror must serve its files itself.',
  });
}

/**
 * Splits a {base}/{owner}/{name}/resolve/{revision}/{path} URL (pasted by a user, or asked for by
 * transformers.js) on the hub or the mirror; refuses any other host. Undefined when the layout differs.
 */
export function parseHubFileUrl(url: string, hosts: HubHosts): { repo: string; revision: string; path: string } | undefined {
  assertAllowedHost(url, hosts);
  const parsed = new URL(url);
  const base = [hosts.mirrorBase, hosts.hubBase]
    .filter((b): b is string => Boolean(b))
    .map((b) => new URL(b))
    .find((b) => b.origin === parsed.origin && parsed.pathname.startsWith(b.pathname.replace(/\/*$/, '/')));
  const rest = parsed.pathname.slice(base ? base.pathname.replace(/\/*$/, '/').length : 1);
  const match = /^([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(rest);
  if (!match) return undefined;
  const [, repo, revision, path] = match.map((part) => decodeURIComponent(part));
  return { repo, revision, path };
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** The manifest the pipeline loads, with sizes and hashes from verified files filled in. */
export function toModelManifest(manifest: LibraryManifest, verified: Map<string, { size: number; sha256: string }>): ModelManifest {
  const files: ManifestFile[] = manifest.files.map((f) => {
    const pinned = verified.get(f.path);
    return { path: f.path, size: f.size ?? pinned?.size ?? 0, sha256: f.sha256 ?? pinned?.sha256 };
  });
  // Copy everything but the library's own fields, so fields ModelManifest gains later come through too.
  const loaded: ModelManifest & Partial<Pick<LibraryManifest, 'repo' | 'revision' | 'licenceUrl' | 'notes'>> = { ...manifest, files };
  delete loaded.repo;
  delete loaded.revision;
  delete loaded.licenceUrl;
  delete loaded.notes;
  return loaded;
}

/** Total bytes of some files, or undefined when any size is still unknown. */
export function knownTotalSize(files: LibraryFile[]): number | undefined {
  let total = 0;
  for (const f of files) {
    if (f.size === undefined) return undefined;
    total += f.size;
  }
  return total;
}
