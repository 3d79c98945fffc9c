// How the Models panel words sizes, speeds, times and what a variant needs.
import { variantRefusalFor } from '../../core/ort/variantFit';
import type { BackendInfo } from '../../shared/protocol';
import { knownTotalSize, filesForVariant, type LibraryManifest, type LibraryVariant } from '../../storage/libraryManifest';
import { formatBytes } from '../../storage/storageQuota';

export { formatBytes };

export function formatSpeed(bytesPerSecond: number): string {
  return bytesPerSecond > 0 ? `${formatBytes(bytesPerSecond)}/s` : '–';
}

/** 75 -> "1 min 15 s". */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** Exact when every size is pinned, else "about" from the publisher's approximate sizes. */
export function variantSize(manifest: LibraryManifest, variantId: string): string {
  const files = filesForVariant(manifest, variantId);
  const exact = knownTotalSize(files);
  if (exact !== undefined) return formatBytes(exact);
  const approx = files.reduce((sum, f) => sum + (f.size ?? f.approxSize ?? 0), 0);
  return approx > 0 ? `about ${formatBytes(approx)}` : 'size known after download';
}

/** Why this browser cannot run a variant, or undefined when it can; shown before a download can start. */
export function variantUnavailableReason(
  manifest: LibraryManifest,
  variant: LibraryVariant,
  backend: BackendInfo | null,
): string | undefined {
  return variantRefusalFor(manifest.files, variant, backend);
}
