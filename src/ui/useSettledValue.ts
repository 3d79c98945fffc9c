// A value that follows another once it stopped changing for a moment: costly views of the prompt update after typing, not per key.
import { useEffect, useState } from 'react';

/** Prompt-derived views (word chips, MaskDiffusion objects) wait this long after the last edit. */
export const PROMPT_SETTLE_MS = 200;

export function useSettledValue<T>(value: T, delayMs = PROMPT_SETTLE_MS): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    if (Object.is(value, settled)) return;
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, settled, delayMs]);
  return settled;
}
