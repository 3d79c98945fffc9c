// The editable question list: derived from the prompt, PRISM-style track sets, typed questions.
import { useState } from 'react';
import { useStudio } from '../../app/store';
import { QUESTION_TRACKS, type TrackId } from '../../checker/questions/trackQuestions';

export function QuestionEditor({ disabled }: { disabled: boolean }) {
  const questions = useStudio((s) => s.checkerQuestions);
  // A yes/no, not the prompt itself: this editor then redraws when the answer flips, not on every keystroke.
  const promptChanged = useStudio((s) => s.checkerQuestionsPrompt !== null && s.checkerQuestionsPrompt !== s.settings.prompt);
  const derive = useStudio((s) => s.deriveCheckerQuestions);
  const edit = useStudio((s) => s.editCheckerQuestion);
  const remove = useStudio((s) => s.removeCheckerQuestion);
  const add = useStudio((s) => s.addCheckerQuestion);
  const addTrack = useStudio((s) => s.addTrackQuestions);
  const [draft, setDraft] = useState('');
  const [track, setTrack] = useState<TrackId>('composition');

  return (
    <section className="checker-question-editor">
      <div className="row">
        <button
          type="button"
          data-testid="questions-derive"
          disabled={disabled}
          onClick={derive}
          title="Replace the questions with ones derived from the prompt"
        >
          Questions from prompt
        </button>
        <select
          data-testid="track-select"
          value={track}
          disabled={disabled}
          onChange={(e) => setTrack(e.target.value as TrackId)}
          aria-label="Question set"
        >
          {QUESTION_TRACKS.map((t) => (
            <option key={t.id} value={t.id} title={t.about}>
              {t.label}
            </option>
          ))}
        </select>
        <button type="button" data-testid="track-add" disabled={disabled} onClick={() => addTrack(track)}>
          Add set
        </button>
      </div>
      {promptChanged && (
        <p className="hint">The prompt changed since these questions were made; press “Questions from prompt” to refresh them.</p>
      )}
      <ul className="checker-questions" data-testid="checker-questions">
        {questions.map((q) => (
          <li key={q.id} data-testid="question-item" data-kind={q.kind}>
            <label>
              <span className="question-kind">{q.track ?? q.kind}</span>
              <input
                type="text"
                data-testid="question-input"
                value={q.text}
                disabled={disabled}
                onChange={(e) => edit(q.id, e.target.value)}
              />
            </label>
            <button
              type="button"
              data-testid="question-remove"
              disabled={disabled}
              onClick={() => remove(q.id)}
              title="Remove this question"
            >
              ×
            </button>
          </li>
        ))}
        {questions.length === 0 && <li className="placeholder">No questions yet.</li>}
      </ul>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          add(draft);
          setDraft('');
        }}
      >
        <input
          type="text"
          data-testid="question-add-input"
          value={draft}
          disabled={disabled}
          placeholder="Ask your own yes/no question"
          onChange={(e) => setDraft(e.target.value)}
        />
        <button type="submit" data-testid="question-add" disabled={disabled || !draft.trim()}>
          Add
        </button>
      </form>
    </section>
  );
}
