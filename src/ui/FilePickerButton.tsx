// A button that opens the file picker for one file (a hidden <input type=file>), for keyboard users and anyone who
// would rather not drag; the same file chosen twice still reports.
import { useRef, type ReactNode } from 'react';

interface FilePickerButtonProps {
  accept: string;
  onFile: (file: File) => void;
  /** What the hidden input is for, for screen readers; the button's own text is `children`. */
  inputLabel: string;
  testId: string;
  buttonTestId?: string;
  title?: string;
  children: ReactNode;
}

export function FilePickerButton({ accept, onFile, inputLabel, testId, buttonTestId, title, children }: FilePickerButtonProps) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" data-testid={buttonTestId} title={title} onClick={() => input.current?.click()}>
        {children}
      </button>
      <input
        ref={input}
        type="file"
        accept={accept}
        hidden
        data-testid={testId}
        aria-label={inputLabel}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) onFile(file);
        }}
      />
    </>
  );
}
