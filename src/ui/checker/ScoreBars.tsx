// Per-question P(Yes) bars and the overall score of one image, labelled as a model's estimate.
import { CHECKER } from '../../checker/checkerConstants';
import type { QuestionScore } from '../../checker/checkerTypes';
import { passes } from '../../checker/scoreSummary';

const percent = (p: number) => `${(p * 100).toFixed(1)}%`;

export function ScoreBar({ pYes, label }: { pYes: number; label: string }) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: a <meter> cannot be styled with the pass threshold line this bar draws
    <div
      className="score-bar"
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={1}
      aria-valuenow={pYes}
      style={{ ['--threshold' as string]: percent(CHECKER.passThreshold) }}
    >
      <div className="score-bar-fill" style={{ width: percent(pYes) }} />
    </div>
  );
}

export function ScoreBars({
  scores,
  overall,
  checkerLabel,
  stale,
  run,
  ms,
}: {
  scores: QuestionScore[];
  overall: number;
  checkerLabel: string;
  stale: boolean;
  run: number;
  ms: number;
}) {
  return (
    <div className="checker-scores" data-testid="checker-scores" data-run={run} data-ms={ms}>
      <p className="estimate-note">
        P(Yes) per question, estimated by {checkerLabel}: a model's estimate, not a measurement.
        {stale && ' These scores belong to an earlier image.'}
      </p>
      {scores.map((s, i) => (
        <div
          key={`${i}-${s.question}`}
          className={`score-row ${passes(s) ? 'score-pass' : 'score-fail'}`}
          data-testid="score-row"
          data-question={s.question}
          data-p-yes={s.pYes}
          data-pass={passes(s)}
          data-logit-yes={s.evidence?.logitYes ?? ''}
          data-logit-no={s.evidence?.logitNo ?? ''}
          data-yes-id={s.evidence?.yesTokenId ?? ''}
          data-no-id={s.evidence?.noTokenId ?? ''}
        >
          <span>{s.question}</span>
          <ScoreBar pYes={s.pYes} label={`Estimated P(Yes) for: ${s.question}`} />
          <span>{percent(s.pYes)}</span>
          {s.note && <span className="score-note">{s.note}</span>}
        </div>
      ))}
      <div className="score-row score-overall" data-testid="overall-score" data-overall={overall}>
        <span>Overall (mean P(Yes), estimate)</span>
        <ScoreBar pYes={overall} label="Overall estimated score" />
        <span>{percent(overall)}</span>
      </div>
    </div>
  );
}
