// A prompt textarea that never holds more than the length limit: a longer paste is cut (with a notice) before it lands.
import { useLayoutEffect, useRef, type ClipboardEvent } from 'react';
import { capPrompt, promptCutMessage, PROMPT_MAX_CHARS } from '../app/promptLimit';
import { useUi } from '../app/uiState';

interface PromptTextAreaProps {
  testId: string;
  rows: number;
  value: string;
  onChange(value: string): void;
}

export function PromptTextArea({ testId, rows, value, onChange }: PromptTextAreaProps) {
  const setNotice = useUi((s) => s.setPromptCutNotice);
  const area = useRef<HTMLTextAreaElement>(null);
  const caretAfterPaste = useRef<number | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs after each new value, when the caret position a paste asked for can be set
  useLayoutEffect(() => {
    if (caretAfterPaste.current === null || !area.current) return;
    area.current.setSelectionRange(caretAfterPaste.current, caretAfterPaste.current);
    caretAfterPaste.current = null;
  }, [value]);

  // The paste is cut before the browser inserts it: 100 KB in a textarea costs layout and undo history for nothing.
  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    const pasted = event.clipboardData.getData('text/plain');
    const { selectionStart, selectionEnd } = event.currentTarget;
    const room = PROMPT_MAX_CHARS - (value.length - (selectionEnd - selectionStart));
    if (pasted.length <= room) return;
    event.preventDefault();
    const kept = pasted.slice(0, Math.max(0, room));
    caretAfterPaste.current = selectionStart + kept.length;
    onChange(value.slice(0, selectionStart) + kept + value.slice(selectionEnd));
    setNotice(promptCutMessage(pasted.length - kept.length, 'paste'));
  };

  return (
    <textarea
      ref={area}
      data-testid={testId}
      rows={rows}
      // Insertions other than pastes (drops, IME) are cut by the browser before they land: no 100 KB layout.
      maxLength={PROMPT_MAX_CHARS}
      // Spell-checking prompt jargon ("lowres", "8k") helps no one and costs the browser time on every edit of a long prompt.
      spellCheck={false}
      value={value}
      onPaste={onPaste}
      onChange={(e) => {
        // Drops and other insertions that are not pastes are cut here.
        const { text, cut } = capPrompt(e.target.value);
        if (cut > 0) setNotice(promptCutMessage(cut, 'paste'));
        onChange(text);
      }}
    />
  );
}
