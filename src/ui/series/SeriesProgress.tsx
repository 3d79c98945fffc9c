// One progress bar for a whole batch or grid: image k of N, the step, seconds per step and the time left.
import { seriesTotalSteps } from '../../app/slices/seriesSlice';
import { useStudio } from '../../app/store';
import { ProgressFill } from '../ProgressBar';

export function SeriesProgress() {
  const series = useStudio((s) => s.series);
  const progress = useStudio((s) => s.progress);
  const cancel = useStudio((s) => s.cancelSeries);
  if (!series || series.finished) return null;
  const total = seriesTotalSteps(series);
  const perStep = series.stepsDone > 0 ? (series.lastStepAt - series.startedAt) / 1000 / series.stepsDone : null;
  const left = perStep === null ? null : Math.round(perStep * (total - series.stepsDone));
  const step = progress?.phase === 'denoise' ? `, step ${progress.step} of ${progress.totalSteps}` : '';
  return (
    <div className="series-progress" data-testid="series-progress" role="status">
      <div
        className="progress"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={series.stepsDone}
        aria-label="Batch progress"
      >
        <ProgressFill fraction={series.stepsDone / Math.max(1, total)} />
      </div>
      <span data-testid="series-status">
        Image {Math.min(series.index + 1, series.cells.length)} of {series.cells.length}
        {step}
        {perStep !== null && ` · ${perStep.toFixed(2)} s/step · about ${left} s left`}
      </span>
      <button type="button" data-testid="cancel-series" onClick={cancel}>
        Cancel
      </button>
    </div>
  );
}
