// Download progress per file and in total, with speed and time left over a sliding window.
import type { DownloadProgress, FileProgress } from '../../shared/libraryProtocol';

export type { DownloadProgress, FileProgress, FileState } from '../../shared/libraryProtocol';

/** Speed is averaged over this much recent time: long enough to smooth bursts, short enough to follow changes. */
export const SPEED_WINDOW_MS = 5000;

export class ProgressTracker {
  private readonly files = new Map<string, FileProgress>();
  /** [time, cumulative network bytes] samples inside the speed window. */
  private samples: [number, number][] = [];
  private received = 0;

  constructor(
    private readonly modelId: string,
    files: { path: string; total?: number }[],
    private readonly now: () => number = () => Date.now(),
  ) {
    for (const f of files) this.files.set(f.path, { path: f.path, loaded: 0, total: f.total, state: 'queued' });
    this.samples.push([this.now(), 0]);
  }

  update(path: string, change: Partial<Omit<FileProgress, 'path'>>): void {
    const file = this.files.get(path);
    if (file) Object.assign(file, Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)));
  }

  /** Counts bytes that came over the network (not ones already stored), for the speed. */
  addReceived(bytes: number): void {
    this.received += bytes;
    const time = this.now();
    this.samples.push([time, this.received]);
    while (this.samples.length > 2 && this.samples[1][0] <= time - SPEED_WINDOW_MS) this.samples.shift();
  }

  snapshot(): DownloadProgress {
    const files = [...this.files.values()].map((f) => ({ ...f }));
    const loaded = files.reduce((sum, f) => sum + f.loaded, 0);
    const total = files.every((f) => f.total !== undefined) ? files.reduce((sum, f) => sum + (f.total ?? 0), 0) : undefined;
    const [firstTime, firstBytes] = this.samples[0];
    const [lastTime, lastBytes] = this.samples[this.samples.length - 1];
    const seconds = (lastTime - firstTime) / 1000;
    const bytesPerSecond = seconds > 0 ? (lastBytes - firstBytes) / seconds : 0;
    const secondsLeft = total !== undefined && bytesPerSecond > 0 ? Math.max(0, total - loaded) / bytesPerSecond : undefined;
    return { modelId: this.modelId, files, loaded, total, bytesPerSecond, secondsLeft };
  }
}
