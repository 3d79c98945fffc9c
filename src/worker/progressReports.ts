// Which of a generation's progress reports reach the page.
//
// Each report the page shows costs it a render, a layout and a paint, and on a machine with few cores that time is
// taken from the model's threads (ORT runs on as many threads as there are cores, up to 4). On 2 cores, where a step
// of the built-in model takes ~30 ms, its 4-step generations took 0.93x the time once reports were coalesced as here
// (the two builds alternated in one browser). A1111 polls its progress every 0.5-1 s; here a report goes out at each
// new phase (so "Encoding prompt" never stays up through the first denoising step) and otherwise at most once per
// PROGRESS_INTERVAL_MS. Models whose steps take longer than that still report every step.
import type { GenerationPhase } from '../shared/protocol';

export const PROGRESS_INTERVAL_MS = 100;

export interface PhaseReport {
  phase: GenerationPhase;
}

/** Wraps `post` so that reports of the same phase less than `intervalMs` after the last one posted are dropped. */
export function coalescedReports<R extends PhaseReport>(
  post: (report: R) => void,
  intervalMs = PROGRESS_INTERVAL_MS,
  now: () => number = () => performance.now(),
): (report: R) => void {
  let lastPhase: GenerationPhase | null = null;
  let lastPostedAt = -Infinity;
  return (report) => {
    const at = now();
    if (report.phase === lastPhase && at - lastPostedAt < intervalMs) return;
    lastPhase = report.phase;
    lastPostedAt = at;
    post(report);
  };
}
