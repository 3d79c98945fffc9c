// Emphasis controls: how weights are applied (named), the syntax, word chips, heatmaps and same-seed compare.
import { memo } from 'react';
import { useStudio } from '../../app/store';
import { EMPHASIS_MODES } from '../../core/prompt';
import { EMPHASIS_SYNTAX_LABELS, valuesOf, type EmphasisSettings } from '../../shared/settings';
import { PromptChips } from './PromptChips';

/** Memoised: it reads the store itself, so the form's re-render on each keystroke need not redraw it. */
export const EmphasisPanel = memo(function EmphasisPanel() {
  const emphasis = useStudio((s) => s.settings.emphasis);
  const update = useStudio((s) => s.updateEmphasis);
  const heatmaps = useStudio((s) => s.heatmapsEnabled);
  const setHeatmaps = useStudio((s) => s.setHeatmapsEnabled);
  const rerun = useStudio((s) => s.rerunAndCompare);
  const canRerun = useStudio((s) => s.engineStatus === 'ready' && !s.running && !!s.current);
  const attentionControl = useStudio((s) => s.model?.attentionControl.available ?? true);
  return (
    <fieldset className="emphasis-panel" data-testid="emphasis-panel">
      <legend>Emphasis</legend>
      <PromptChips />
      <div className="row">
        <label>
          Applied as
          <select
            data-testid="emphasis-mode"
            value={emphasis.mode}
            onChange={(e) => update({ mode: e.target.value as EmphasisSettings['mode'] })}
          >
            {Object.entries(EMPHASIS_MODES).map(([mode, info]) => (
              <option key={mode} value={mode} disabled={mode === 'attentionGain' && !attentionControl}>
                {info.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Syntax
          <select
            data-testid="emphasis-syntax"
            value={emphasis.syntax}
            onChange={(e) => update({ syntax: e.target.value as EmphasisSettings['syntax'] })}
          >
            {valuesOf(EMPHASIS_SYNTAX_LABELS).map((syntax) => (
              <option key={syntax} value={syntax}>
                {EMPHASIS_SYNTAX_LABELS[syntax]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="row">
        <label className="inline">
          <input type="checkbox" data-testid="heatmaps-toggle" checked={heatmaps} onChange={(e) => setHeatmaps(e.target.checked)} />{' '}
          Attention heatmaps
        </label>
        <button
          type="button"
          data-testid="rerun-compare"
          disabled={!canRerun}
          onClick={() => void rerun()}
          title="Same seed as the current image"
        >
          Re-run &amp; compare
        </button>
      </div>
    </fieldset>
  );
});
