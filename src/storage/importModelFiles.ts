// Installs a model from files the user picked or dropped, through the same checks as a download.
import { StudioError } from '../shared/errors';
import type { ImportedFile } from '../shared/libraryProtocol';

export type { ImportedFile };
import type { LibraryFile, LibraryManifest } from './libraryManifest';
import type { ModelStore } from './modelStore';
import { summarizeModel, type InstalledModelSummary } from './storedModels';
import { DEFAULT_CHUNK_BYTES } from './download/downloadModel';
import { planInstall } from './download/installPlan';
import { filesForVariants } from './download/installRecords';
import { StoredFileWriter, emptiedRecord } from './download/storedFileWriter';

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
 * then stores each through the download's StoredFileWriter: sniffed, size- and sha256-checked where the manifest gives them.
 */
export async function importModelFiles(options: ImportModelOptions): Promise<InstalledModelSummary> {
  const { store, manifest } = options;
  const variantIds = options.variantIds ?? manifest.variants.map((v) => v.id);
  const wanted = filesForVariants(manifest, variantIds);
  const picked = new Map(wanted.map((f) => [f.path, findFile(options.files, f, wanted)]));
  const missing = wanted.filter((f) => !picked.get(f.path)).map((f) => f.path);
  if (missing.length > 0) {
    throw new StudioError({
      code: 'model-load',
      stage: 'load',
      message: `The files picked for ${manifest.name} lack ${missing.join(', ')} (or several picked files could be it).`,
      remedy: "Pick the model's whole folder (or drop it), so its sub-folders tell same-named files apart.",
    });
  }

  // Imports never pin: a local file says nothing about what the hub serves (filePins.ts).
  const plan = await planInstall(store, manifest, variantIds);
  const total = wanted.reduce((sum, f) => sum + (picked.get(f.path)?.size ?? 0), 0);
  let loaded = 0;
  for (const prepared of plan.records) {
    if (prepared.verified) {
      loaded += picked.get(prepared.path)?.size ?? 0;
      continue;
    }
    const blob = picked.get(prepared.path);
    if (!blob) {
      // An update also renews the installed variants it keeps: their changed files must be among the picked ones.
      throw new StudioError({
        code: 'model-load',
        stage: 'load',
        message: `The files picked for ${manifest.name} lack ${prepared.path}, which its installed variants need in this version.`,
        remedy: 'Pick the whole model folder.',
      });
    }
    const record = { ...emptiedRecord(prepared), source: prepared.source, pinKey: undefined };
    await store.resetFile(record); // an import replaces any partial download of the file
    const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    await StoredFileWriter.using(store, record, { chunkBytes, origin: `the file ${record.path} you picked` }, async (writer) => {
      for (let offset = 0; offset < blob.size; offset += chunkBytes) {
        await writer.write(new Uint8Array(await blob.slice(offset, offset + chunkBytes).arrayBuffer()));
        loaded += Math.min(chunkBytes, blob.size - offset);
        options.onProgress?.({ loaded, total });
      }
      await writer.finish();
    });
  }
  options.onProgress?.({ loaded: total, total });
  await plan.complete();
  const installed = await store.getModel(manifest.id);
  if (!installed)
    throw new StudioError({
      code: 'storage',
      stage: 'load',
      message: `${manifest.name} was deleted while it was imported.`,
      remedy: 'Import it again.',
    });
  return summarizeModel(store, installed);
}

/**
 * By path (a folder pick or drop keeps sub-folders: "tiny-sd/unet/model.onnx"); else, for loose files, by name
 * when the manifest has one file of that name, or by name and the manifest's size when several share it.
 */
function findFile(files: ImportedFile[], file: LibraryFile, wanted: LibraryFile[]): Blob | undefined {
  const normalized = (p: string) => p.replace(/\\/g, '/').replace(/^\/+/, '');
  const baseName = (p: string) => p.slice(p.lastIndexOf('/') + 1);
  const byPath = files.find((f) => {
    const candidate = normalized(f.relativePath);
    return candidate === file.path || candidate.endsWith(`/${file.path}`);
  });
  if (byPath) return byPath.blob;
  const name = baseName(file.path);
  const sameName = files.filter((f) => baseName(normalized(f.relativePath)) === name);
  if (sameName.length === 1 && wanted.filter((w) => baseName(w.path) === name).length === 1) return sameName[0].blob;
  const sameSize = file.size === undefined ? [] : sameName.filter((f) => f.blob.size === file.size);
  return sameSize.length === 1 ? sameSize[0].blob : undefined;
}
