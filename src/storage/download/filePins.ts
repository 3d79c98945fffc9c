// sha256 pins for files a manifest has no hash for: set only by the hub itself, per host and resolved revision.
import { pinMismatchError } from './downloadErrors';
import type { ModelStore, StoredFileRecord } from '../modelStore';
import { usesMirror, type HubHosts } from '../../shared/hubHosts';

/**
 * The header the Hugging Face hub sends with the commit a revision (a branch, say) resolved to. A pin keyed on
 * the commit lets a legitimate re-upload on a branch through (it is another commit) while the same commit
 * serving other bytes is caught.
 */
export const REPO_COMMIT_HEADER = 'x-repo-commit';

/** What a pin is keyed on: the hub's origin, the repository, the revision as resolved, and the path. */
export interface PinSource {
  origin: string;
  repo: string;
  revision: string;
  path: string;
}

/** An unambiguous key: the parts are JSON array members, so "a/b"+"c/d"+"e" and "a/b"+"c"+"d/e" differ. */
export function filePinKey(source: PinSource): string {
  return JSON.stringify(['pin/v2', source.origin, source.repo, source.revision, source.path]);
}

/**
 * The pin key for a response, or undefined when the file did not come from the configured hub (a mirror
 * never sets or reads pins, so a mirror cannot poison the hub's copy, nor the hub the mirror's).
 */
export function pinKeyForResponse(
  requestUrl: string,
  response: Response,
  hosts: HubHosts,
  hub: { repo: string; revision: string; path: string },
): string | undefined {
  const requested = originOf(requestUrl);
  if (requested === undefined || requested !== originOf(hosts.hubBase)) return undefined;
  if (usesMirror(hosts)) return undefined;
  const commit = response.headers.get(REPO_COMMIT_HEADER)?.trim();
  const revision = commit && /^[0-9a-f]{40}$/i.test(commit) ? commit.toLowerCase() : hub.revision;
  return filePinKey({ origin: requested, repo: hub.repo, revision, path: hub.path });
}

/**
 * After a file without a manifest sha256 verified: the first copy from the hub at this revision pins it;
 * a later copy that differs is discarded with a checksum error (that revision's file changed: corrupted or tampered).
 */
export async function checkOrSetPin(store: ModelStore, record: StoredFileRecord): Promise<void> {
  if (!record.pinKey || !record.expectedSha256) return;
  const pin = await store.getPin(record.pinKey);
  if (!pin) {
    await store.putPin(record.pinKey, { size: record.storedBytes, sha256: record.expectedSha256, pinnedAt: Date.now() });
    return;
  }
  if (pin.sha256 === record.expectedSha256 && pin.size === record.storedBytes) return;
  await store.resetFile({
    ...record,
    storedBytes: 0,
    chunkCount: 0,
    verified: false,
    etag: undefined,
    expectedSha256: undefined,
    expectedSize: undefined,
  });
  throw pinMismatchError(record.path);
}

/** Forgets the pins a model's downloads set, so deleting a model leaves nothing that holds a later download. */
export async function deletePinsOf(store: ModelStore, modelId: string): Promise<void> {
  const keys = new Set((await store.listFiles(modelId)).map((r) => r.pinKey).filter((k): k is string => k !== undefined));
  for (const key of keys) await store.deletePin(key);
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
