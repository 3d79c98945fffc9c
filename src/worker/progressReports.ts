// Which of a generation's progress reports reach the page.
//
// Each report the page shows costs it a render, a layout and a paint, and on a machine with few cores that time is
// taken from the model's threads: on 2 cores the built-in model's 4-step generations ran ~20% faster with no reports
// at all (a step takes ~30 ms there). A1111 polls its progress every 0.5-1 s; here a report goes out at each new
// phase (so "Encoding prompt" never stays up through the first denoising step) and otherwise at most once per
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
