// The feedback loop: how many rounds and which adjustments, every round with its scores and what changed, stop and accept.
import { useStudio } from '../../app/store';
import { CHECKER, FEEDBACK_LOOP } from '../../checker/checkerConstants';
import { AVAILABLE_ADJUSTMENTS } from '../../checker/loop/adjustments';
import type { CheckerRoundView } from '../../app/slices/checkerSlice';
import { passes } from '../../checker/scoreSummary';
import { ScoreBar } from './ScoreBars';

const STOP_REASONS = {
  'all-passed': 'every question passes',
  'rounds-done': 'all rounds done',
  stopped: 'stopped',
  'nothing-to-change': 'no adjustment had anything left to change',
} as const;

function Round({ round, best, accepted, canAccept }: { round: CheckerRoundView; best: boolean; accepted: boolean; canAccept: boolean }) {
  const accept = useStudio((s) => s.acceptLoopRound);
  return (
    <li
      className={`loop-round${best ? ' best' : ''}`}
      data-testid="loop-round"
      data-index={round.index}
      data-overall={round.overall}
      data-best={best}
      data-seed={round.settings.seed}
      data-mask-strength={round.settings.maskDiffusion.enabled ? round.settings.maskDiffusion.strength : ''}
    >
      <img src={round.url} alt={`Round ${round.index}`} className="pixelated" />
      <div>
        <strong>{round.index === 0 ? 'Start' : `Round ${round.index}`}</strong> · overall {(round.overall * 100).toFixed(1)}% (estimate)
        {best && ' · best so far'}
        <ScoreBar pYes={round.overall} label={`Round ${round.index} overall estimate`} />
        <ul className="hint" data-testid="round-changes">
          {round.changes.length === 0 && <li>Seed {round.settings.seed}, as generated.</li>}
          {round.changes.map((c, i) => (
            <li key={i} data-testid="round-change" data-adjustment={c.adjustment} data-from={c.from} data-to={c.to}>
              {c.what}: {c.from} → {c.to} ({c.because})
            </li>
          ))}
        </ul>
        <div className="loop-round-scores">
          {round.scores.map((s, i) => (
            <span
              key={i}
              title={s.question}
              data-testid="round-score"
              data-question={s.question}
              data-p-yes={s.pYes}
              className={passes(s) ? 'score-pass' : 'score-fail'}
            >
              {passes(s) ? '✓' : '✗'} {(s.pYes * 100).toFixed(0)}%
            </span>
          ))}
        </div>
        <button type="button" data-testid="round-accept" disabled={!canAccept || accepted} onClick={() => void accept(round.index)}>
          {accepted ? 'Accepted' : 'Accept this round'}
        </button>
      </div>
    </li>
  );
}

export function LoopRounds({ canRun }: { canRun: boolean }) {
  const loop = useStudio((s) => s.checkerLoop);
  const rounds = useStudio((s) => s.loopRounds);
  const setRounds = useStudio((s) => s.setLoopRounds);
  const adjustments = useStudio((s) => s.loopAdjustments);
  const toggle = useStudio((s) => s.toggleLoopAdjustment);
  const run = useStudio((s) => s.runCheckerLoop);
  const stop = useStudio((s) => s.stopCheckerLoop);
  const maskAvailable = useStudio((s) => Boolean(s.model?.attentionControl.available));

  return (
    <section className="checker-loop" data-testid="checker-loop" data-running={loop.running} data-stop-reason={loop.stopReason ?? ''}>
      <h3>Improve (System 2 loop)</h3>
      <p className="hint">
        While a question scores under {CHECKER.passThreshold * 100}%, each round changes one kind of setting of the best image so far
        (MaskDiffusion strength, seed or the failed words' emphasis), regenerates and re-scores.
      </p>
      <div className="row">
        <label className="inline">
          Rounds
          <input
            type="number"
            data-testid="loop-rounds-input"
            min={1}
            max={FEEDBACK_LOOP.maxRounds}
            value={rounds}
            disabled={loop.running}
            onChange={(e) => setRounds(Number(e.target.value))}
          />
        </label>
        {AVAILABLE_ADJUSTMENTS.map((a) => (
          <label
            key={a.id}
            className="inline"
            title={a.id === 'mask-strength' && !maskAvailable ? 'MaskDiffusion is not available for this model' : undefined}
          >
            <input
              type="checkbox"
              data-testid={`loop-adjust-${a.id}`}
              checked={adjustments.includes(a.id)}
              disabled={loop.running}
              onChange={() => toggle(a.id)}
            />
            {a.label}
          </label>
        ))}
        {loop.running ? (
          <button type="button" data-testid="loop-stop" onClick={stop}>
            Stop
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            data-testid="loop-run"
            disabled={!canRun || adjustments.length === 0}
            onClick={() => void run()}
          >
            Run loop
          </button>
        )}
      </div>
      {loop.stopReason && (
        <p className="hint" data-testid="loop-outcome">
          Finished: {STOP_REASONS[loop.stopReason]}. Best: {loop.bestIndex === 0 ? 'the starting image' : `round ${loop.bestIndex}`}.
        </p>
      )}
      <ol className="loop-rounds">
        {loop.rounds.map((r) => (
          <Round
            key={r.index}
            round={r}
            best={r.index === loop.bestIndex}
            accepted={loop.acceptedIndex === r.index}
            canAccept={!loop.running}
          />
        ))}
      </ol>
    </section>
  );
}
