// Prompt, negative prompt, seed, steps, guidance, sampler; Generate (Ctrl+Enter) and Cancel (Esc).
import { memo } from 'react';
import { useStudio } from '../app/store';
import { MaskDiffusionPanel } from './MaskDiffusionPanel';
import { EmphasisPanel } from './emphasis/EmphasisPanel';
import { SAMPLER_LABELS, SETTINGS_LIMITS, stepLimitsFor, valuesOf, type SamplerName } from '../shared/settings';
import { useUi } from '../app/uiState';
import { ExamplePrompts } from './ExamplePrompts';
import { modelSettings } from '../app/modelDefaults';
import { PromptTextArea } from './PromptTextArea';

/** One prompt box; it reads its own text, so a keystroke redraws this field, not the whole form. */
const PromptField = memo(function PromptField({
  field,
  testId,
  rows,
}: {
  field: 'prompt' | 'negativePrompt';
  testId: string;
  rows: number;
}) {
  const text = useStudio((s) => s.settings[field]);
  const update = useStudio((s) => s.updateSettings);
  return <PromptTextArea testId={testId} rows={rows} value={text} onChange={(value) => update({ [field]: value })} />;
});

/** Puts the loaded model's own sampler, steps and guidance back (InvokeAI's "use default settings"). */
function ModelDefaultsButton() {
  const model = useStudio((s) => s.model);
  const sampler = useStudio((s) => s.settings.sampler);
  const steps = useStudio((s) => s.settings.steps);
  const guidance = useStudio((s) => s.settings.guidance);
  const apply = useStudio((s) => s.applyModelDefaults);
  if (!model) return null;
  const suggested = modelSettings(model);
  const inUse = sampler === suggested.sampler && steps === suggested.steps && guidance === suggested.guidance;
  return (
    <button
      type="button"
      data-testid="model-defaults"
      disabled={inUse}
      onClick={apply}
      title={`${model.name} suggests ${SAMPLER_LABELS[suggested.sampler]}, ${suggested.steps} steps, guidance ${suggested.guidance}`}
    >
      Model defaults
    </button>
  );
}

export function PromptForm() {
  // Field by field, not the whole settings object: the prompts change on every keystroke.
  const seed = useStudio((s) => s.settings.seed);
  const steps = useStudio((s) => s.settings.steps);
  const guidance = useStudio((s) => s.settings.guidance);
  const sampler = useStudio((s) => s.settings.sampler);
  const update = useStudio((s) => s.updateSettings);
  const randomiseSeed = useStudio((s) => s.randomiseSeed);
  const generate = useStudio((s) => s.generate);
  const cancel = useStudio((s) => s.cancel);
  const running = useStudio((s) => s.running);
  const ready = useStudio((s) => s.engineStatus === 'ready');
  const stepLimits = stepLimitsFor(sampler);
  const int = (value: string) => (value === '' ? 0 : Math.trunc(Number(value)));
  const cutNotice = useUi((s) => s.promptCutNotice);
  const dismissCutNotice = useUi((s) => s.setPromptCutNotice);

  return (
    <form className="prompt-form" onSubmit={(e) => (e.preventDefault(), void generate())}>
      <label>
        Prompt
        <PromptField field="prompt" testId="prompt" rows={3} />
      </label>
      <ExamplePrompts />
      <label>
        Negative prompt
        <PromptField field="negativePrompt" testId="negative-prompt" rows={2} />
      </label>
      {cutNotice && (
        // A toast, not a line in the form: inserting a line would move everything below it, and repainting the whole
        // page in the frame that lays out a pasted prompt made that frame a long task (npm run bench: paste_prompt_*).
        <p className="warning toast" role="status" data-testid="prompt-cut-notice">
          {cutNotice}{' '}
          <button type="button" onClick={() => dismissCutNotice(null)}>
            OK
          </button>
        </p>
      )}
      <div className="row">
        <label>
          Seed
          <input
            data-testid="seed"
            type="number"
            min={SETTINGS_LIMITS.seed.min}
            max={SETTINGS_LIMITS.seed.max}
            value={seed}
            onChange={(e) => update({ seed: int(e.target.value) })}
          />
        </label>
        <button type="button" onClick={randomiseSeed} data-testid="randomise-seed" title="Pick a random seed">
          Randomise
        </button>
      </div>
      <div className="row">
        <label>
          Sampler
          <select
            data-testid="sampler"
            value={sampler}
            onChange={(e) =>
              update({
                sampler: e.target.value as SamplerName,
                steps: Math.min(steps, stepLimitsFor(e.target.value as SamplerName).max),
              })
            }
          >
            {valuesOf(SAMPLER_LABELS).map((s) => (
              <option key={s} value={s}>
                {SAMPLER_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Steps
          <input
            data-testid="steps"
            type="number"
            min={stepLimits.min}
            max={stepLimits.max}
            value={steps}
            onChange={(e) => update({ steps: int(e.target.value) })}
          />
        </label>
        <label>
          Guidance
          <input
            data-testid="guidance"
            type="number"
            min={SETTINGS_LIMITS.guidance.min}
            max={SETTINGS_LIMITS.guidance.max}
            step={0.5}
            value={guidance}
            onChange={(e) => update({ guidance: Number(e.target.value) })}
          />
        </label>
        <ModelDefaultsButton />
      </div>
      <EmphasisPanel />
      <MaskDiffusionPanel />
      <div className="row actions">
        <button type="submit" className="primary" data-testid="generate" disabled={!ready || running} title="Ctrl+Enter">
          Generate <kbd>Ctrl+Enter</kbd>
        </button>
        <button type="button" data-testid="cancel" disabled={!running} onClick={cancel} title="Esc">
          Cancel <kbd>Esc</kbd>
        </button>
      </div>
    </form>
  );
}
