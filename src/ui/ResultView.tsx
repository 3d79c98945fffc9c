// The current image with per-step progress, timings, GPU-read figures and a PNG download.
import { useStudio } from '../app/store';
import { ProgressBar } from './ProgressBar';

const PHASE_LABEL = { encode: 'Encoding prompt', denoise: 'Denoising', decode: 'Decoding image' } as const;

export function ResultView() {
  const current = useStudio((s) => s.current);
  const progress = useStudio((s) => s.progress);
  const running = useStudio((s) => s.running);
  return (
    <section className="result">
      {running && progress && (
        <div data-testid="progress" data-step={progress.step} data-total={progress.totalSteps}>
          {PHASE_LABEL[progress.phase]} — step {progress.step} / {progress.totalSteps}
          <ProgressBar value={(progress.step + (progress.phase === 'decode' ? 0.5 : 0)) / (progress.totalSteps + 0.5)} label="Generation progress" />
        </div>
      )}
      {current ? (
        <figure>
          <img data-testid="result-image" src={current.url} width={current.width * 3} height={current.height * 3} alt={current.settings.prompt} className="pixelated" />
          <figcaption>
            <span
              data-testid="result-meta"
              data-wall-ms={current.wallMs}
              data-run-ms={current.stats.runMs}
              data-runs={current.stats.runs}
              data-gpu-reads-per-step={current.stats.gpuReadsPerStep ?? ''}
            >
              Seed {current.settings.seed} · {current.settings.steps} steps · {(current.timings.totalMs / 1000).toFixed(2)} s
              {current.stats.gpuReadsPerStep !== null && ` · ${current.stats.gpuReadsPerStep} GPU reads/step`}
            </span>
            {current.truncatedWords.length > 0 && (
              <span className="warning" data-testid="truncated">Prompt too long; dropped: {current.truncatedWords.join(' ')}</span>
            )}
            <a data-testid="download" href={current.url} download={`studio-${current.settings.seed}.png`}>Download PNG</a>
          </figcaption>
        </figure>
      ) : (
        !running && <p className="placeholder">Type a prompt and press Generate (Ctrl+Enter).</p>
      )}
    </section>
  );
}
