// MaskDiffusion controls: toggle, strength, formula variant, the prompt's objects with their boxes, A/B compare.
import { memo, useMemo } from 'react';
import { useStudio } from '../app/store';
import { objectColour, useUi } from '../app/uiState';
import { splitSubPrompts } from '../core/maskdiffusion/subPrompts';
import { MASK_VARIANT_LABELS, SETTINGS_LIMITS, valuesOf, type MaskVariant } from '../shared/settings';
import { useSettledPrompt } from './useSettledPrompt';

/** Objects listed at most: each has a colour and box controls; a prompt naming more is counted, not drawn. */
const MAX_OBJECTS_SHOWN = 24;

/** Memoised, and it reads the prompt only once typing pauses: a keystroke redraws none of it. */
export const MaskDiffusionPanel = memo(function MaskDiffusionPanel() {
  const md = useStudio((s) => s.settings.maskDiffusion);
  const update = useStudio((s) => s.updateMaskDiffusion);
  const control = useStudio((s) => s.model?.attentionControl);
  const compare = useStudio((s) => s.compareMaskDiffusion);
  const running = useStudio((s) => s.running);
  const ready = useStudio((s) => s.engineStatus === 'ready');
  const drawing = useUi((s) => s.drawingObject);
  const setDrawing = useUi((s) => s.setDrawingObject);
  const settledPrompt = useSettledPrompt();
  const objects = useMemo(() => splitSubPrompts(settledPrompt), [settledPrompt]);
  const unavailable = control && !control.available;

  const setBox = (index: number, box: null) => {
    const boxes = [...md.boxes];
    boxes[index] = box;
    update({ boxes });
  };

  return (
    <fieldset className="mask-panel" data-testid="mask-panel">
      <legend>
        <label title={unavailable ? control?.reason : 'Steer each object of the prompt to its own region (MaskDiffusion)'}>
          <input
            type="checkbox"
            data-testid="maskdiffusion-toggle"
            checked={md.enabled}
            disabled={!!unavailable}
            onChange={(e) => update({ enabled: e.target.checked })}
          />{' '}
          MaskDiffusion
        </label>
      </legend>
      {unavailable && <p className="warning">Not available for this model: {control?.reason}</p>}
      <div className="row">
        <label>
          Strength {md.strength.toFixed(1)}
          <input
            type="range"
            data-testid="mask-strength"
            min={SETTINGS_LIMITS.maskStrength.min}
            max={SETTINGS_LIMITS.maskStrength.sliderMax}
            step={0.1}
            value={md.strength}
            onChange={(e) => update({ strength: Number(e.target.value) })}
          />
        </label>
        <label>
          Formula
          <select data-testid="mask-variant" value={md.variant} onChange={(e) => update({ variant: e.target.value as MaskVariant })}>
            {valuesOf(MASK_VARIANT_LABELS).map((v) => (
              <option key={v} value={v}>
                {MASK_VARIANT_LABELS[v]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ul className="mask-objects" data-testid="mask-objects">
        {objects.slice(0, MAX_OBJECTS_SHOWN).map((o, i) => (
          <li key={`${i}-${o.text}`} data-testid="mask-object">
            <span className="swatch" style={{ background: objectColour(i) }} />
            <span className="object-text">{o.text}</span> <em>({o.keyWord})</em>
            <button
              type="button"
              data-testid={`draw-box-${i}`}
              className={drawing === i ? 'active' : ''}
              onClick={() => setDrawing(drawing === i ? null : i)}
              title="Then drag on the image"
            >
              {drawing === i ? 'Drawing…' : md.boxes[i] ? 'Redraw' : 'Draw box'}
            </button>
            {md.boxes[i] && (
              <button type="button" onClick={() => setBox(i, null)} title="Let the model place this object">
                Auto
              </button>
            )}
          </li>
        ))}
        {objects.length === 0 && <li className="placeholder">The prompt names no objects.</li>}
        {objects.length > MAX_OBJECTS_SHOWN && (
          <li className="hint">
            +{objects.length - MAX_OBJECTS_SHOWN} more objects (the first {MAX_OBJECTS_SHOWN} are listed)
          </li>
        )}
      </ul>
      <p className="hint">
        Objects are split on “and”, commas or “|”. Without a box the model proposes a region from its attention in the first steps.
        {control?.available && !control.selfMasking && ' Self-attention masking is off for this model.'}
      </p>
      <button type="button" data-testid="compare-ab" disabled={!ready || running || objects.length === 0} onClick={() => void compare()}>
        Compare A/B (same seed, off vs on)
      </button>
    </fieldset>
  );
});
