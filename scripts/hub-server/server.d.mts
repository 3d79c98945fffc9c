// Types for the hub test server (server.mjs), so TypeScript tests can drive it.

export type HubFault =
  /** Close the connection after `afterBytes` bytes of the response body. */
  | { type: 'drop'; afterBytes: number; repo?: string; path?: string; times?: number }
  /** The resolve URL answers 404 Entry not found. */
  | { type: 'not-found'; repo?: string; path?: string; times?: number }
  /** A sign-in page with status 200 and text/html in place of the file. */
  | { type: 'html'; repo?: string; path?: string; times?: number }
  /** Flip one byte at file offset `offset` (default: the middle of the response). */
  | { type: 'corrupt'; offset?: number; repo?: string; path?: string; times?: number }
  /** Throttle the body to `bytesPerSecond`. */
  | { type: 'slow'; bytesPerSecond: number; repo?: string; path?: string; times?: number }
  /** Answer 200 with the whole file even when a Range was asked for. */
  | { type: 'ignore-range'; repo?: string; path?: string; times?: number }
  /** Serves `body` (JSON, with status 200) in place of the file: a manifest published on the hub, say. */
  | { type: 'body'; body: string; repo?: string; path?: string; times?: number }
  /** Sends the headers and `afterBytes` bytes, then nothing more, keeping the connection open. */
  | { type: 'stall'; afterBytes: number; repo?: string; path?: string; times?: number }
  /** The resolve URL redirects to `origin` (e.g. the same server under another host name) instead of its own /cdn/. */
  | { type: 'redirect'; origin: string; repo?: string; path?: string; times?: number }
  /** Answers with this status and no body (429, 500, 503), with Retry-After (seconds) when given. */
  | { type: 'status'; status: number; retryAfter?: number; repo?: string; path?: string; times?: number };

export interface HubFileStats {
  requests: number;
  bytesServed: number;
  /** The first byte of every body served (0 for a full response). */
  rangeStarts: number[];
}

export interface HubStats {
  /** Keyed "owner/repo/path". */
  files: Record<string, HubFileStats>;
  inFlight: number;
  /** The most bodies being sent at once. */
  maxConcurrent: number;
}

export interface HubServer {
  url: string;
  setFaults(faults: HubFault[]): void;
  stats(): HubStats;
  resetStats(): void;
  close(): Promise<void>;
}

/** Fixture families served as test-org/<family> (models/fixtures/families/<family>). */
export const FIXTURE_FAMILIES: readonly string[];

export function startHubServer(options?: { port?: number; repos?: Record<string, string>; root?: string }): Promise<HubServer>;
