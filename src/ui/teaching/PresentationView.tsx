// The teaching view for a projector: the step's image large, the schedule plot, the step's numbers in large type and
// the step controls. → steps a paused run (or moves along a finished run's steps), ← goes back, Space pauses or
// resumes (the global shortcut), Esc closes. It asks the browser for full screen and leaves it on close.
import { useEffect, useRef } from 'react';
import { useStudio } from '../../app/store';
import { SchedulePlot } from './SchedulePlot';
import { StepImage } from './StepImage';
import { useSelectedStep } from './useSelectedStep';
import './presentation.css';

const IMAGE_SIZE = 640;

export function PresentationView({ onClose }: { onClose: () => void }) {
  const { timeline, view, marked, decoded } = useSelectedStep();
  const running = useStudio((s) => s.running);
  const paused = useStudio((s) => s.pausedBeforeStep);
  const current = useStudio((s) => s.current);
  // Each field alone: the whole settings object changes with every keystroke in the prompt.
  const sampler = useStudio((s) => s.settings.sampler);
  const steps = useStudio((s) => s.settings.steps);
  const { stepRun, pauseRun, resumeRun, selectStep } = useStudio.getState();
  const root = useRef<HTMLDivElement>(null);

  // The latest onClose, so the effect below runs once: re-running it (onClose is new on every parent render) would
  // leave full screen and, through fullscreenchange, close the view.
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  useEffect(() => {
    const element = root.current;
    element?.focus();
    element?.requestFullscreen?.().catch(() => {}); // refused without a user gesture or in a frame: the overlay still fills the window
    const onFullscreenExit = () => {
      if (!document.fullscreenElement) closeRef.current();
    };
    document.addEventListener('fullscreenchange', onFullscreenExit);
    return () => {
      document.removeEventListener('fullscreenchange', onFullscreenExit);
      if (document.fullscreenElement) void document.exitFullscreen().catch(() => {});
    };
  }, []);

  const position = view ? timeline.findIndex((v) => v.index === view.index) : -1;
  const move = (delta: number) => {
    const next = timeline[position + delta];
    if (next) selectStep(next.index);
  };
  const forward = () => (running && paused !== null && position === timeline.length - 1 ? stepRun() : move(1));

  const keyAction = (key: string): (() => void) | undefined => {
    switch (key) {
      case 'ArrowRight':
        return forward;
      case 'ArrowLeft':
        return () => move(-1);
      case 'Escape':
        return onClose;
      default:
        return undefined;
    }
  };

  return (
    <div
      ref={root}
      className="presentation"
      role="dialog"
      aria-modal="true"
      aria-label="Step-by-step presentation"
      data-testid="presentation"
      tabIndex={-1}
      onKeyDown={(e) => {
        const action = keyAction(e.key);
        if (!action) return;
        e.preventDefault();
        e.stopPropagation(); // the page's own → would step a second time, and its Esc would cancel the run
        action();
      }}
    >
      <div className="presentation-image">
        {view ? (
          <StepImage view={view} decodedUrl={decoded?.url ?? null} size={IMAGE_SIZE} testId="presentation-image" />
        ) : current ? (
          <img src={current.url} width={IMAGE_SIZE} height={IMAGE_SIZE} alt={current.settings.prompt} className="pixelated" />
        ) : (
          <p className="presentation-hint">Press Generate with step-by-step on; the run waits before step 1.</p>
        )}
      </div>
      <aside>
        <h2 data-testid="presentation-step">
          {view ? `Step ${view.index + 1} of ${steps}` : running ? 'Waiting before step 1' : 'No run yet'}
        </h2>
        {view && (
          <dl className="presentation-numbers">
            <dt>timestep</dt>
            <dd>{view.timestep.toFixed(0)}</dd>
            <dt>noise σ</dt>
            <dd>{view.sigma.toFixed(3)}</dd>
          </dl>
        )}
        <SchedulePlot sampler={sampler} steps={steps} current={marked} />
        <div className="presentation-controls">
          <button type="button" onClick={() => move(-1)} disabled={position <= 0} aria-label="Previous step">
            ←
          </button>
          <button
            type="button"
            onClick={forward}
            aria-label="Next step"
            disabled={!(running && paused !== null) && position >= timeline.length - 1}
          >
            →
          </button>
          {running &&
            (paused !== null ? (
              <button type="button" onClick={resumeRun}>
                Resume ▶
              </button>
            ) : (
              <button type="button" onClick={pauseRun}>
                Pause ❚❚
              </button>
            ))}
          <button type="button" onClick={onClose} data-testid="presentation-close">
            Close (Esc)
          </button>
        </div>
        <p className="presentation-hint">→ next step · ← previous · Space pause/resume · Esc close</p>
      </aside>
    </div>
  );
}
