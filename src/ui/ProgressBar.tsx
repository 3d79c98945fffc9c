// An accessible progress bar (0..1).
export function ProgressBar({ value, label }: { value: number; label: string }) {
  const percent = Math.round(Math.max(0, Math.min(1, value)) * 100);
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
      <ProgressFill fraction={percent / 100} />
    </div>
  );
}

/**
 * The filled part, scaled rather than sized: a transform is animated by the compositor, so a bar updated at every
 * denoising step repaints nothing on the page's main thread (a width change lays out and paints the bar each frame
 * of its transition, time taken from the cores the model runs on).
 */
export function ProgressFill({ fraction }: { fraction: number }) {
  return <div className="progress-fill" style={{ transform: `scaleX(${Math.max(0, Math.min(1, fraction))})` }} />;
}
