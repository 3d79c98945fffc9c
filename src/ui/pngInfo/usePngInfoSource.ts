// Where PNG Info gets its files: a PNG dropped anywhere on the page or pasted, as in A1111's PNG Info tab.
import { useCallback, useEffect, useState } from 'react';
import { PNG_INFO_MAX_FILE_BYTES, readPngInfo, type PngInfo } from '../../core/image';

export type PngInfoView = { name: string; info: PngInfo; fromClipboard: boolean } | { name: string; error: string };

const isPng = (file: File) => file.type === 'image/png' || /\.png$/i.test(file.name);

export async function readPngInfoFile(file: File, fromClipboard = false): Promise<PngInfoView> {
  if (file.size > PNG_INFO_MAX_FILE_BYTES) {
    return {
      name: file.name,
      error: `${file.name} is ${(file.size / 2 ** 20).toFixed(0)} MB; PNG Info reads images up to ${PNG_INFO_MAX_FILE_BYTES / 2 ** 20} MB.`,
    };
  }
  try {
    return { name: file.name, info: readPngInfo(new Uint8Array(await file.arrayBuffer())), fromClipboard };
  } catch (error) {
    return { name: file.name, error: `${file.name}: ${(error as Error).message}` };
  }
}

/**
 * The PNG Info being shown, and `show(file)` for the file picker. Drops and pastes of a PNG anywhere are taken,
 * unless something nearer already handled the event (a model entry importing files, a text field pasting text).
 */
export function usePngInfoSource() {
  const [view, setView] = useState<PngInfoView | null>(null);
  const show = useCallback(async (file: File, fromClipboard = false) => setView(await readPngInfoFile(file, fromClipboard)), []);

  useEffect(() => {
    const carriesFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;
    const onDragOver = (e: DragEvent) => {
      if (carriesFiles(e) && !e.defaultPrevented) e.preventDefault(); // without this the browser opens the file instead
    };
    const onDrop = (e: DragEvent) => {
      if (e.defaultPrevented || !carriesFiles(e)) return;
      e.preventDefault();
      const files = [...(e.dataTransfer?.files ?? [])];
      const png = files.find(isPng);
      if (png) void show(png);
      else if (files.length > 0) setView({ name: files[0].name, error: `${files[0].name} is not a PNG; PNG Info reads PNG images.` });
    };
    const onPaste = (e: ClipboardEvent) => {
      const png = [...(e.clipboardData?.files ?? [])].find(isPng);
      if (!png || e.defaultPrevented) return;
      e.preventDefault();
      void show(png, true);
    };
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('drop', onDrop);
    window.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('drop', onDrop);
      window.removeEventListener('paste', onPaste);
    };
  }, [show]);

  return { view, show, close: useCallback(() => setView(null), []) };
}
