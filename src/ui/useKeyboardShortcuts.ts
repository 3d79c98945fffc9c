// Global shortcuts: Ctrl/Cmd+Enter generates, Escape cancels a running generation.
import { useEffect } from 'react';
import { useStudio } from '../app/store';

export function useKeyboardShortcuts(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const { generate, cancel, running } = useStudio.getState();
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        void generate();
      } else if (event.key === 'Escape' && running) {
        event.preventDefault();
        cancel();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
