// PNG Info's header button: a file picker, for keyboard users and anyone who would rather not drag.
import { FilePickerButton } from '../FilePickerButton';

export function PngInfoButton({ onFile }: { onFile: (file: File) => void }) {
  return (
    <FilePickerButton
      accept="image/png,.png"
      onFile={onFile}
      inputLabel="Choose a PNG to read its settings"
      testId="png-info-file"
      buttonTestId="png-info-open"
      title="Read the settings from a PNG (or drop or paste one anywhere)"
    >
      PNG Info…
    </FilePickerButton>
  );
}
