// Browser storage space: persistence, usage and quota, and the error a full disk turns into.
import { StudioError } from '../shared/errors';

export interface StorageUsage {
  /** Bytes this origin uses (all storage kinds), when the browser says. */
  usage?: number;
  quota?: number;
  /** quota - usage. */
  free?: number;
  /** Whether the browser promised not to evict this origin's data under pressure. */
  persisted?: boolean;
}

// StorageManager.persist() exists only on window (not in workers), so these are looked up, not assumed.
interface StorageManagerLike {
  estimate?: () => Promise<{ usage?: number; quota?: number }>;
  persist?: () => Promise<boolean>;
  persisted?: () => Promise<boolean>;
}

function storageManager(): StorageManagerLike | undefined {
  return (globalThis as { navigator?: { storage?: StorageManagerLike } }).navigator?.storage;
}

/**
 * Asks the browser to keep models when disk space runs low (navigator.storage.persist()). Call it from
 * the page, not the worker, and ideally after a user action: browsers may grant it only then.
 */
export async function requestPersistentStorage(): Promise<boolean> {
  try {
    const storage = storageManager();
    if (await storage?.persisted?.()) return true;
    return (await storage?.persist?.()) ?? false;
  } catch {
    return false;
  }
}

export async function storageUsage(): Promise<StorageUsage> {
  const storage = storageManager();
  try {
    const estimate = await storage?.estimate?.();
    const persisted = await storage?.persisted?.();
    const usage = estimate?.usage;
    const quota = estimate?.quota;
    return { usage, quota, free: usage !== undefined && quota !== undefined ? Math.max(0, quota - usage) : undefined, persisted };
  } catch {
    return {};
  }
}

/** IndexedDB reports a full disk or quota as a QuotaExceededError DOMException (sometimes as a transaction's error). */
export function isQuotaExceeded(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'QuotaExceededError';
}

/** The error shown when space ran out: how much more is needed and how much the browser allows. */
export function quotaExceededError(modelName: string, bytesNeeded: number | undefined, usage: StorageUsage): StudioError {
  const needed = bytesNeeded !== undefined ? `about ${formatBytes(bytesNeeded)} more` : 'more space';
  const room =
    usage.free !== undefined && usage.quota !== undefined
      ? ` The browser allows this site ${formatBytes(usage.free)} more (${formatBytes(usage.usage ?? 0)} of ${formatBytes(usage.quota)} used).`
      : '';
  return new StudioError({
    code: 'storage',
    stage: 'load',
    message: `Not enough storage space to install ${modelName}: it needs ${needed}.${room}`,
    remedy: 'Free disk space or delete other models, then resume: the parts already downloaded are kept.',
  });
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** 1536 -> "1.5 KB" (powers of 1024, as file managers show sizes). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(value >= 10 ? 0 : 1)} ${UNITS[unit]}`;
}
