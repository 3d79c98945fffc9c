// The optional checker panel: collapsed by default; nothing loads (no worker, no model) until it is opened.
import { useStudio } from '../../app/store';
import { LoopRounds } from './LoopRounds';
import { CheckerModelPicker } from './CheckerModelPicker';
import { QuestionEditor } from './QuestionEditor';
import { ScoreBars } from './ScoreBars';
import './checker.css';

function CheckerBody() {
  const current = useStudio((s) => s.current);
  const scores = useStudio((s) => s.checkerScores);
  const phase = useStudio((s) => s.checkerPhase);
  const error = useStudio((s) => s.checkerError);
  const score = useStudio((s) => s.scoreCurrentImage);
  const cancel = useStudio((s) => s.cancelChecker);
  const questions = useStudio((s) => s.checkerQuestions.length);
  const running = useStudio((s) => s.running);
  const installed = useStudio((s) => s.checkerInstalled);
  const ready = current !== null && questions > 0 && installed === true && !running;
  const busy = phase !== 'idle';

  return (
    <div className="checker-body">
      <CheckerModelPicker />
      <QuestionEditor disabled={busy} />
      <div className="row">
        <button type="button" className="primary" data-testid="checker-score" disabled={!ready || busy} onClick={() => void score()}>
          Score this image
        </button>
        {(phase === 'scoring' || phase === 'loading' || phase === 'installing') && (
          <button type="button" data-testid="checker-cancel" onClick={cancel}>
            Cancel
          </button>
        )}
        <span data-testid="checker-phase" data-phase={phase}>
          {busy ? `${phase}…` : ''}
        </span>
      </div>
      {!current && <p className="hint">Generate an image to score it.</p>}
      {error && (
        <p className="warning" data-testid="checker-error">
          {error}
        </p>
      )}
      {scores && (
        <ScoreBars
          scores={scores.scores}
          overall={scores.overall}
          checkerLabel={scores.checkerLabel}
          stale={scores.imageUrl !== current?.url}
          run={scores.run}
          ms={scores.ms}
        />
      )}
      <LoopRounds canRun={ready && !busy} />
    </div>
  );
}

export function CheckerPanel() {
  const open = useStudio((s) => s.checkerOpen);
  const setOpen = useStudio((s) => s.setCheckerOpen);
  return (
    <details
      className="checker-panel"
      data-testid="checker-panel"
      open={open}
      onToggle={(e) => open !== e.currentTarget.open && setOpen(e.currentTarget.open)}
    >
      <summary data-testid="checker-toggle">Checker: does the image match the prompt? (model estimates)</summary>
      {open && <CheckerBody />}
    </details>
  );
}
