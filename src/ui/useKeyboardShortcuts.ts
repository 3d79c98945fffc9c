// Global shortcuts: Ctrl/Cmd+Enter generates, Escape cancels a running generation; in step-by-step
// mode Space pauses/resumes and ArrowRight runs one step (unless the user is typing); ? lists them all
// (ShortcutHelp.tsx's SHORTCUTS, to be kept in step with this handler).
import { useEffect } from 'react';
import { useStudio } from '../app/store';
import { useUi } from '../app/uiState';

export function useKeyboardShortcuts(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const { generate, cancel, running, teachingMode, pausedBeforeStep, pauseRun, resumeRun, stepRun } = useStudio.getState();
      const typing = event.target instanceof HTMLElement && ['TEXTAREA', 'INPUT', 'SELECT'].includes(event.target.tagName);
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        void generate();
      } else if (event.key === '?' && !typing) {
        event.preventDefault();
        useUi.getState().setShortcutHelpOpen(true);
      } else if (event.key === 'Escape' && running) {
        event.preventDefault();
        cancel();
      } else if (teachingMode && running && !typing && event.key === ' ') {
        event.preventDefault();
        if (pausedBeforeStep !== null) resumeRun();
        else pauseRun();
      } else if (teachingMode && running && !typing && event.key === 'ArrowRight' && pausedBeforeStep !== null) {
        event.preventDefault();
        stepRun();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
