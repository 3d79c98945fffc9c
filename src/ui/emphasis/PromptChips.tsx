// The prompt as word chips: click one to set its weight with a slider; the prompt text and chips stay in sync
// both ways (chips are parsed from the text, and a slider rewrites the text in the chosen syntax).
import { memo, startTransition, useEffect, useMemo, useRef, useState } from 'react';
import { useStudio } from '../../app/store';
import { promptChipsOffThread } from '../../app/promptChipsClient';
import { promptToChips, setWordWeight, type PromptChip } from '../../core/prompt';
import { useSettledValue } from '../useSettledValue';

/** Chips drawn at most: a long prompt's words beyond these are counted, not drawn (thousands of buttons froze the page). */
export const MAX_CHIPS_SHOWN = 80;

const NO_CHIPS: PromptChip[] = [];

export function PromptChips() {
  const prompt = useStudio((s) => s.settings.prompt);
  const emphasis = useStudio((s) => s.settings.emphasis);
  const update = useStudio((s) => s.updateSettings);
  // Typed text is parsed in a worker once typing pauses (a long prompt takes tens of milliseconds to parse);
  // a slider's own rewrite is parsed at once, so the chip being weighted stays under the pointer.
  const settled = useSettledValue(prompt);
  const [parsed, setParsed] = useState<{ prompt: string; syntax: string; chips: PromptChip[]; total: number }>();
  useEffect(() => {
    let current = true;
    void promptChipsOffThread(settled, emphasis.syntax, MAX_CHIPS_SHOWN).then((r) => {
      // A transition: React renders the new chips in slices of a few milliseconds, keeping keystrokes first.
      if (current) startTransition(() => setParsed({ ...r, prompt: settled, syntax: emphasis.syntax }));
    });
    return () => {
      current = false;
    };
  }, [settled, emphasis.syntax]);
  const writtenBySlider = useRef<string | null>(null);
  const sliderChips = useMemo(() => {
    if (prompt !== writtenBySlider.current) return undefined;
    const all = promptToChips(prompt, { syntax: emphasis.syntax });
    return { prompt, chips: all.slice(0, MAX_CHIPS_SHOWN), total: all.length };
  }, [prompt, emphasis.syntax]);
  const shown = sliderChips ?? parsed;
  const chips = shown?.chips ?? NO_CHIPS;
  const [selected, setSelected] = useState<number | null>(null);
  // A slider rewrites the prompt the chips were parsed from, so only while they are up to date.
  const chip = selected !== null && shown?.prompt === prompt ? chips[selected] : undefined;
  const hidden = (shown?.total ?? 0) - chips.length;
  const setWeight = (weight: number) => {
    if (selected === null) return;
    writtenBySlider.current = setWordWeight(prompt, selected, weight, emphasis.syntax);
    update({ prompt: writtenBySlider.current });
  };

  return (
    <div className="chips" data-testid="prompt-chips">
      <ChipList chips={chips} hidden={hidden} selected={selected} onSelect={setSelected} />
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
            onChange={(e) => setWeight(Number(e.target.value))}
          />
          <button type="button" onClick={() => setWeight(1)}>
            Reset
          </button>
        </label>
      )}
    </div>
  );
}

/** The chip buttons; memoised, so a keystroke (which changes the prompt, not yet the chips) redraws none of them. */
const ChipList = memo(function ChipList({
  chips,
  hidden,
  selected,
  onSelect,
}: {
  chips: PromptChip[];
  hidden: number;
  selected: number | null;
  onSelect(index: number | null): void;
}) {
  return (
    <ul>
      {chips.map((c, i) => (
        <li key={`${i}-${c.start}`}>
          <button
            type="button"
            data-testid="chip"
            data-weight={c.weight}
            className={`chip ${i === selected ? 'selected' : ''} ${c.weight > 1 ? 'up' : c.weight < 1 ? 'down' : ''}`}
            onClick={() => onSelect(i === selected ? null : i)}
            title={`weight ${c.weight.toFixed(2)}`}
          >
            {c.text}
            {c.weight !== 1 && <sub>{c.weight.toFixed(2)}</sub>}
          </button>
        </li>
      ))}
      {hidden > 0 && (
        <li className="hint" data-testid="chips-hidden">
          +{hidden} more words (chips show the first {MAX_CHIPS_SHOWN})
        </li>
      )}
    </ul>
  );
});
