// PNG Info's header button: a file picker, for keyboard users and anyone who would rather not drag.
import { useRef } from 'react';

export function PngInfoButton({ onFile }: { onFile: (file: File) => void }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" data-testid="png-info-open" title="Read the settings from a PNG (or drop or paste one anywhere)" onClick={() => input.current?.click()}>
        PNG Info…
      </button>
      <input
        ref={input}
        type="file"
        accept="image/png,.png"
        hidden
        data-testid="png-info-file"
        aria-label="Choose a PNG to read its settings"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = ''; // the same file chosen twice still opens
          if (file) onFile(file);
        }}
      />
    </>
  );
}
