// Step-by-step diffusion for teaching: pause/step/resume, the timeline of steps with x0 previews,
// the noise level and guidance split of each step, the schedule plot, and exports for slides.
import { useState } from 'react';
import { useStudio } from '../../app/store';
import { PresentationView } from './PresentationView';
import { useSelectedStep } from './useSelectedStep';
import { downloadBlob } from '../downloadBlob';
import { stripPng, x0Gif } from './stepExport';
import { RgbaCanvas } from './RgbaCanvas';
import { SchedulePlot } from './SchedulePlot';

const PREVIEW = 128;

export function TeachingPanel() {
  const teachingMode = useStudio((s) => s.teachingMode);
  const setTeachingMode = useStudio((s) => s.setTeachingMode);
  const running = useStudio((s) => s.running);
  const paused = useStudio((s) => s.pausedBeforeStep);
  const { timeline, view, marked, decoded } = useSelectedStep();
  const [presenting, setPresenting] = useState(false);
  // Each field alone: the whole settings object changes with every keystroke in the prompt.
  const sampler = useStudio((s) => s.settings.sampler);
  const steps = useStudio((s) => s.settings.steps);
  const seed = useStudio((s) => s.settings.seed);
  const { pauseRun, resumeRun, stepRun, selectStep, decodeSelectedStep } = useStudio.getState();

  return (
    <section className="teaching" data-testid="teaching-panel" aria-label="Step-by-step diffusion">
      <header className="row">
        <label className="inline">
          <input
            type="checkbox"
            data-testid="teaching-toggle"
            checked={teachingMode}
            disabled={running}
            onChange={(e) => setTeachingMode(e.target.checked)}
          />{' '}
          Step-by-step (teaching)
        </label>
        {teachingMode && running && (
          <span className="teaching-controls">
            <span data-testid="paused-state" data-paused={paused !== null} data-before-step={paused ?? ''}>
              {paused !== null ? `Paused before step ${paused + 1}` : 'Running'}
            </span>
            <button type="button" data-testid="step-once" disabled={paused === null} onClick={stepRun} title="Run one step (→)">
              Step ›
            </button>
            {paused !== null ? (
              <button type="button" data-testid="resume" onClick={resumeRun} title="Space">
                Resume ▶
              </button>
            ) : (
              <button type="button" data-testid="pause" onClick={pauseRun} title="Space">
                Pause ❚❚
              </button>
            )}
          </span>
        )}
        {teachingMode && (
          <button
            type="button"
            data-testid="present"
            onClick={() => setPresenting(true)}
            title="A large view for a projector: → steps, ← goes back, Space pauses, Esc closes"
          >
            Present
          </button>
        )}
      </header>
      {presenting && <PresentationView onClose={() => setPresenting(false)} />}
      {teachingMode && (
        <div className="teaching-body">
          <SchedulePlot sampler={sampler} steps={steps} current={marked} />
          {timeline.length > 0 && (
            <>
              <label className="inline">
                Step{' '}
                <input
                  type="range"
                  data-testid="timeline-scrubber"
                  min={0}
                  max={timeline.length - 1}
                  value={timeline.findIndex((v) => v.index === view?.index)}
                  onChange={(e) => selectStep(timeline[Number(e.target.value)].index)}
                />{' '}
                <span data-testid="timeline-step">{(view?.index ?? 0) + 1}</span> / {steps}
              </label>
              {view && (
                <div className="step-view" data-testid="step-view" data-step={view.index}>
                  <dl className="step-numbers">
                    <dt>timestep</dt>
                    <dd data-testid="step-timestep">{view.timestep.toFixed(1)}</dd>
                    <dt>σ</dt>
                    <dd data-testid="step-sigma">{view.sigma.toFixed(4)}</dd>
                    <dt>ᾱ</dt>
                    <dd>{view.alphaBar.toFixed(4)}</dd>
                  </dl>
                  <div className="step-images">
                    <RgbaCanvas
                      rgba={view.noisy}
                      width={view.width}
                      height={view.height}
                      size={PREVIEW}
                      label="noisy latents"
                      testId="step-noisy"
                    />
                    <RgbaCanvas
                      rgba={view.x0}
                      width={view.width}
                      height={view.height}
                      size={PREVIEW}
                      label="predicted x0"
                      testId="step-x0"
                    />
                    {view.x0Cond && (
                      <RgbaCanvas rgba={view.x0Cond} width={view.width} height={view.height} size={PREVIEW} label="x0, prompt only" />
                    )}
                    {view.x0Uncond && (
                      <RgbaCanvas rgba={view.x0Uncond} width={view.width} height={view.height} size={PREVIEW} label="x0, negative only" />
                    )}
                    {decoded && (
                      <figure className="step-image">
                        <img
                          src={decoded.url}
                          width={PREVIEW}
                          height={PREVIEW}
                          alt="x0 decoded with the VAE"
                          data-testid="step-decoded"
                          className="pixelated"
                        />
                        <figcaption>x0 through the VAE</figcaption>
                      </figure>
                    )}
                  </div>
                  <button type="button" data-testid="decode-step" onClick={() => void decodeSelectedStep()}>
                    Decode this step with the VAE
                  </button>
                </div>
              )}
              <div className="row">
                <button
                  type="button"
                  data-testid="export-strip"
                  onClick={async () => downloadBlob(await stripPng(timeline), `steps-${seed}.png`)}
                >
                  Export strip (PNG)
                </button>
                <button type="button" data-testid="export-gif" onClick={() => downloadBlob(x0Gif(timeline), `x0-${seed}.gif`)}>
                  Export animation (GIF)
                </button>
              </div>
            </>
          )}
          <p className="hint">
            Previews use a linear latent→RGB map fitted for this model; “Decode with the VAE” shows the exact image of that step’s
            prediction. Space pauses or resumes, → steps.
          </p>
        </div>
      )}
    </section>
  );
}
