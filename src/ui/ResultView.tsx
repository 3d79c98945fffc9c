// The current image (with object boxes and MaskDiffusion regions), per-step progress, timings and download.
import { memo, useLayoutEffect, useRef, useState } from 'react';
import { useStudio, type CurrentImage } from '../app/store';
import { BoxCanvas } from './BoxCanvas';
import { ComparisonView } from './ComparisonView';
import { ProgressBar } from './ProgressBar';
import { StepImage } from './teaching/StepImage';
import { TeachingPanel } from './teaching/TeachingPanel';
import { useSelectedStep } from './teaching/useSelectedStep';
import { HeatmapControls } from './emphasis/HeatmapControls';
import { HeatmapOverlay } from './emphasis/HeatmapOverlay';

const PHASE_LABEL = { encode: 'Encoding prompt', denoise: 'Denoising', decode: 'Decoding image' } as const;
const DISPLAY_SIZE = 384;

export function ResultView() {
  const current = useStudio((s) => s.current);
  const running = useStudio((s) => s.running);
  const comparison = useStudio((s) => s.comparison);
  // A step-by-step run shows the step being looked at on the main canvas until it finishes.
  const teachingStep = useStudio((s) => s.teachingMode && s.running && s.timeline.length > 0);
  return (
    <section className="result">
      <GenerationProgress />
      {teachingStep ? <StepOnCanvas /> : current ? <CurrentImageView current={current} /> : <EmptyCanvas running={running} />}
      {comparison && <ComparisonView comparison={comparison} />}
      <TeachingPanel />
    </section>
  );
}

/** The only part of the view that follows progress reports, so each one re-renders this and nothing else. */
function GenerationProgress() {
  const progress = useStudio((s) => s.progress);
  const running = useStudio((s) => s.running);
  return (
    // Its room is kept when idle: showing and hiding it moves nothing on the page (no re-layout of the image).
    <div className="generation-progress">
      {running && progress && (
        <div data-testid="progress" data-step={progress.step} data-total={progress.totalSteps}>
          {PHASE_LABEL[progress.phase]} — step {progress.step} / {progress.totalSteps}
          <ProgressBar
            value={(progress.step + (progress.phase === 'decode' ? 0.5 : 0)) / (progress.totalSteps + 0.5)}
            label="Generation progress"
          />
        </div>
      )}
    </div>
  );
}

function StepOnCanvas() {
  const { view, decoded } = useSelectedStep();
  if (!view) return null;
  return <StepImage view={view} decodedUrl={decoded?.url ?? null} size={DISPLAY_SIZE} testId="main-step-image" />;
}

function EmptyCanvas({ running }: { running: boolean }) {
  return (
    <BoxCanvas size={DISPLAY_SIZE} shownMasks={null}>
      <ArrivedPixelsCanvas />
      {!running && (
        <p className="placeholder canvas-placeholder">
          Type a prompt and press Generate (Ctrl+Enter). With MaskDiffusion on, draw object boxes here.
        </p>
      )}
    </BoxCanvas>
  );
}

/**
 * The newest image's pixels, drawn the moment the worker sends them (before its PNG is encoded), over whatever the
 * view shows. An img keeps showing its old picture until a new src is decoded, so the canvas stays until the img has
 * drawn the same image from its PNG (pngDrawn), and the view never flickers back.
 */
function ArrivedPixelsCanvas() {
  const arrived = useStudio((s) => s.arrivedPixels?.pixels ?? null);
  const ref = useRef<HTMLCanvasElement>(null);
  useLayoutEffect(() => {
    if (!arrived) return;
    const { rgba, width, height } = arrived;
    ref.current?.getContext('2d')?.putImageData(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, width, height), 0, 0);
  }, [arrived]);
  if (!arrived) return null;
  return (
    <canvas ref={ref} data-testid="arrived-pixels" width={arrived.width} height={arrived.height} className="arrived-pixels pixelated" />
  );
}

// Memoised: ResultView re-renders when a run starts or ends, and the image and its caption do not change with that.
const CurrentImageView = memo(function CurrentImageView({ current }: { current: CurrentImage }) {
  const steps = current.maskTimeline.length;
  const [maskStep, setMaskStep] = useState<number | null>(null);
  const [showMasks, setShowMasks] = useState(true);
  const step = Math.min(maskStep ?? steps, steps);
  const shown = showMasks && current.masks ? (current.maskTimeline[step - 1]?.boxes ?? null) : null;
  const pngDrawn = useStudio((s) => s.pngDrawn);
  return (
    <figure>
      <BoxCanvas size={DISPLAY_SIZE} shownMasks={shown}>
        <img
          data-testid="result-image"
          src={current.url}
          width={DISPLAY_SIZE}
          height={DISPLAY_SIZE}
          alt={current.settings.prompt}
          className="pixelated"
          draggable={false}
          onLoad={() => pngDrawn(current.url)}
        />
        <ArrivedPixelsCanvas />
        <HeatmapOverlay />
      </BoxCanvas>
      <HeatmapControls />
      <figcaption>
        <span
          data-testid="result-meta"
          data-wall-ms={current.wallMs}
          data-run-ms={current.stats.runMs}
          data-png-ms={current.timings.pngMs}
          data-total-ms={current.timings.totalMs}
          data-runs={current.stats.runs}
          data-denoiser={current.stats.denoiser}
          data-gpu-reads-per-step={current.stats.gpuReadsPerStep ?? ''}
          data-gpu-reads-by-step={current.stats.gpuReadsByStep?.join(',') ?? ''}
          data-gpu-reads-before-loop={current.stats.gpuReadsBeforeLoop ?? ''}
        >
          Seed {current.settings.seed} · {current.settings.steps} steps · {(current.timings.totalMs / 1000).toFixed(2)} s
          {current.stats.gpuReadsPerStep !== null && ` · ${current.stats.gpuReadsPerStep} GPU reads/step`}
        </span>
        {current.masks && (
          <span
            className="mask-info"
            data-testid="mask-info"
            data-source={current.masks.source}
            data-active-from={current.masks.activeFromStep ?? ''}
          >
            <label>
              <input type="checkbox" checked={showMasks} onChange={(e) => setShowMasks(e.target.checked)} /> Show masks
            </label>{' '}
            at step{' '}
            <input
              type="range"
              data-testid="mask-step"
              min={1}
              max={steps}
              value={step}
              onChange={(e) => setMaskStep(Number(e.target.value))}
            />{' '}
            {step}/{steps}
            {' · '}masks from{' '}
            {current.masks.source === 'boxes'
              ? 'your boxes'
              : current.masks.source === 'probe'
                ? 'a probe pass'
                : `the first ${current.masks.activeFromStep} steps`}
            {shown === null && ' (not yet placed at this step)'}
          </span>
        )}
        {current.promptWarnings.length > 0 && (
          <span className="warning" data-testid="prompt-warnings">
            Prompt syntax: {current.promptWarnings.join('; ')}
          </span>
        )}
        {current.truncatedWords.length > 0 && (
          <span className="warning" data-testid="truncated">
            Prompt too long; dropped: {current.truncatedWords.join(' ')}
          </span>
        )}
        <a data-testid="download" href={current.url} download={`studio-${current.settings.seed}.png`}>
          Download PNG
        </a>
      </figcaption>
    </figure>
  );
});
