// The prompt as word chips: click one to set its weight with a slider; the prompt text and chips stay in sync
// both ways (chips are parsed from the text, and a slider rewrites the text in the chosen syntax).
import { useMemo, useState } from 'react';
import { useStudio } from '../../app/store';
import { DEFAULT_EMPHASIS_SETTINGS } from '../../app/slices/settingsSlice';
import { promptToChips, setWordWeight } from '../../core/prompt';

export function PromptChips() {
  const prompt = useStudio((s) => s.settings.prompt);
  const emphasis = useStudio((s) => s.settings.emphasis) ?? DEFAULT_EMPHASIS_SETTINGS;
  const update = useStudio((s) => s.updateSettings);
  const chips = useMemo(() => promptToChips(prompt, { syntax: emphasis.syntax }), [prompt, emphasis.syntax]);
  const [selected, setSelected] = useState<number | null>(null);
  const chip = selected !== null ? chips[selected] : undefined;

  return (
    <div className="chips" data-testid="prompt-chips">
      <ul>
        {chips.map((c, i) => (
          <li key={`${i}-${c.start}`}>
            <button
              type="button"
              data-testid="chip"
              data-weight={c.weight}
              className={`chip ${i === selected ? 'selected' : ''} ${c.weight > 1 ? 'up' : c.weight < 1 ? 'down' : ''}`}
              onClick={() => setSelected(i === selected ? null : i)}
              title={`weight ${c.weight.toFixed(2)}`}
            >
              {c.text}
              {c.weight !== 1 && <sub>{c.weight.toFixed(2)}</sub>}
            </button>
          </li>
        ))}
      </ul>
      {chip && selected !== null && (
        <label className="chip-slider">
          “{chip.text}” weight <strong data-testid="chip-weight">{chip.weight.toFixed(2)}</strong>
          <input
            type="range"
            data-testid="chip-slider"
            min={0}
            max={2}
            step={0.05}
            value={chip.weight}
            onChange={(e) => update({ prompt: setWordWeight(prompt, selected, Number(e.target.value), emphasis.syntax) })}
          />
          <button type="button" onClick={() => update({ prompt: setWordWeight(prompt, selected, 1, emphasis.syntax) })}>Reset</button>
        </label>
      )}
    </div>
  );
}
