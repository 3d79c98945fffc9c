// The keyboard-shortcut help (press ?): every shortcut the studio answers, in one list.
import { useEffect, useRef } from 'react';
import { useUi } from '../app/uiState';
import { closeOnEscape } from './dialogKeys';

/** What useKeyboardShortcuts and the dialogs answer; keep this list beside any new shortcut. */
export const SHORTCUTS: readonly [keys: string, what: string][] = [
  ['Ctrl+Enter (⌘+Enter)', 'Generate'],
  ['Esc', 'Cancel the running generation, or close the open viewer or dialog'],
  ['Space', 'Step-by-step: pause or resume the run'],
  ['→', 'Step-by-step: run one step (in the presentation view: the next step)'],
  ['←', 'Presentation view: the previous step'],
  ['← / →', 'Gallery viewer: previous / next image'],
  ['?', 'Show this list'],
];

export function ShortcutHelp() {
  const open = useUi((s) => s.shortcutHelpOpen);
  const setOpen = useUi((s) => s.setShortcutHelpOpen);
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open) close.current?.focus();
  }, [open]);
  if (!open) return null;
  return (
    <div
      className="shortcut-help"
      role="dialog"
      aria-modal="true"
      aria-labelledby="shortcut-help-title"
      data-testid="shortcut-help"
      onKeyDown={closeOnEscape(() => setOpen(false))}
    >
      <header>
        <h2 id="shortcut-help-title">Keyboard shortcuts</h2>
        <button type="button" ref={close} aria-label="Close the shortcut list" onClick={() => setOpen(false)}>
          ×
        </button>
      </header>
      <dl>
        {SHORTCUTS.map(([keys, what]) => (
          <div key={keys}>
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <p className="hint">Every control is reachable with Tab; the focused one is outlined in yellow.</p>
    </div>
  );
}
