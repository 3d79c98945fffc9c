// The prompt once typing paused, read from the store without subscribing to every keystroke: a panel that only
// shows prompt-derived views (MaskDiffusion's objects) then redraws when the prompt settles, not on each key.
import { useEffect, useState } from 'react';
import { useStudio } from '../app/store';
import { PROMPT_SETTLE_MS } from './useSettledValue';

export function useSettledPrompt(delayMs = PROMPT_SETTLE_MS): string {
  const [settled, setSettled] = useState(() => useStudio.getState().settings.prompt);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Only prompt changes restart the wait: progress updates during a run change the store many times a second.
    const unsubscribe = useStudio.subscribe((state, previous) => {
      if (state.settings.prompt === previous.settings.prompt) return;
      clearTimeout(timer);
      timer = setTimeout(() => setSettled(useStudio.getState().settings.prompt), delayMs);
    });
    // A change made between the first render and this subscription is picked up too.
    setSettled(useStudio.getState().settings.prompt);
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [delayMs]);
  return settled;
}
