// Turns picked files (input, folder input) and dropped files or folders into paths plus blobs for the importer.
import type { ImportedFile } from '../../storage/importModelFiles';

/** A folder pick sets webkitRelativePath ("tiny-sd/unet/model.onnx"); a plain pick only has the name. */
export function filesFromInput(list: FileList | null): ImportedFile[] {
  return [...(list ?? [])].map((file) => ({ relativePath: file.webkitRelativePath || file.name, blob: file }));
}

/** Reads dropped entries, walking dropped folders so sub-folder paths tell same-named files apart. */
export async function filesFromDrop(data: DataTransfer): Promise<ImportedFile[]> {
  const entries = [...data.items].map((item) => item.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => Boolean(e));
  if (entries.length === 0) return [...data.files].map((file) => ({ relativePath: file.name, blob: file }));
  const out: ImportedFile[] = [];
  for (const entry of entries) await walk(entry, out);
  return out;
}

async function walk(entry: FileSystemEntry, out: ImportedFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((done, fail) => (entry as FileSystemFileEntry).file(done, fail));
    out.push({ relativePath: entry.fullPath.replace(/^\//, ''), blob: file });
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries returns at most ~100 entries per call; read until it returns none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((done, fail) => reader.readEntries(done, fail));
    if (batch.length === 0) break;
    for (const child of batch) await walk(child, out);
  }
}
