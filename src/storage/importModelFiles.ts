// Installs a model from files the user picked or dropped, through the same checks as a download.
import { StudioError } from '../shared/errors';
import type { LibraryManifest } from './libraryManifest';
import type { ModelStore } from './modelStore';
import { summarizeModel, type InstalledModelSummary } from './storedModels';
import { DEFAULT_CHUNK_BYTES } from './download/downloadModel';
import { filesForVariants, pinIfNew, prepareRecord, saveModelRecord } from './download/installRecords';
import { StoredFileWriter, emptiedRecord } from './download/storedFileWriter';

/** A picked or dropped file: `relativePath` is File.webkitRelativePath for a folder pick, else the name. */
export interface ImportedFile {
  relativePath: string;
  blob: Blob;
}

export interface ImportModelOptions {
  store: ModelStore;
  manifest: LibraryManifest;
  files: ImportedFile[];
  variantIds?: string[];
  chunkBytes?: number;
  onProgress?: (progress: { loaded: number; total: number }) => void;
}

/**
 * Matches files to the manifest by path suffix (a picked folder adds its own name in front: "tiny-sd/unet/model.onnx"),
 * then stores each through the download's StoredFileWriter: sniffed, size-checked, sha256-checked or pinned.
 */
export async function importModelFiles(options: ImportModelOptions): Promise<InstalledModelSummary> {
  const { store, manifest } = options;
  const variantIds = options.variantIds ?? manifest.variants.map((v) => v.id);
  const wanted = filesForVariants(manifest, variantIds);
  const picked = new Map(wanted.map((f) => [f.path, findFile(options.files, f.path)]));
  const missing = wanted.filter((f) => !picked.get(f.path)).map((f) => f.path);
  if (missing.length > 0) {
    throw new StudioError({
      code: 'model-load',
      stage: 'load',
      message: `The files picked for ${manifest.name} lack ${missing.join(', ')}.`,
      remedy: "Pick the model's whole folder (or drop all its files), keeping its sub-folders.",
    });
  }

  const model = await saveModelRecord(store, manifest, variantIds, wanted);
  const total = wanted.reduce((sum, f) => sum + (picked.get(f.path)?.size ?? 0), 0);
  let loaded = 0;
  for (const file of wanted) {
    const blob = picked.get(file.path)!;
    const prepared = await prepareRecord(store, manifest, model.id, file);
    if (prepared.verified) {
      loaded += blob.size;
      continue;
    }
    const record = { ...emptiedRecord(prepared), source: prepared.source };
    await store.resetFile(record); // an import replaces any partial download of the file
    const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    const writer = await StoredFileWriter.open(store, record, { chunkBytes, origin: `the file ${file.path} you picked` });
    for (let offset = 0; offset < blob.size; offset += chunkBytes) {
      await writer.write(new Uint8Array(await blob.slice(offset, offset + chunkBytes).arrayBuffer()));
      loaded += Math.min(chunkBytes, blob.size - offset);
      options.onProgress?.({ loaded, total });
    }
    await pinIfNew(store, manifest, wanted, await writer.finish());
  }
  options.onProgress?.({ loaded: total, total });
  return summarizeModel(store, (await store.getModel(model.id)) ?? model);
}

function findFile(files: ImportedFile[], path: string): Blob | undefined {
  const normalized = (p: string) => p.replace(/\\/g, '/').replace(/^\/+/, '');
  return files.find((f) => {
    const candidate = normalized(f.relativePath);
    return candidate === path || candidate.endsWith(`/${path}`);
  })?.blob;
}
