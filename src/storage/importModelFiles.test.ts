// Importing the tiny model from its files on disk: the same verification as a download.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importModelFiles, type ImportedFile } from './importModelFiles';
import { MemoryModelStore } from './memoryModelStore';
import { readStoredFile } from './storedModels';
import { UNET, sha256Hex, tinyManifest, unpinnedManifest } from './download/hubFixture.test-support';

/** The tiny model's folder as a folder pick gives it: every path under "tiny-sd/". */
function pickedFolder(change: (path: string, bytes: Uint8Array<ArrayBuffer>) => Uint8Array<ArrayBuffer> = (_p, b) => b): ImportedFile[] {
  return tinyManifest().files.map((f) => ({
    relativePath: `tiny-sd/${f.path}`,
    blob: new Blob([change(f.path, new Uint8Array(readFileSync(`public/models/tiny-sd/${f.path}`)))]),
  }));
}

describe('importModelFiles', () => {
  it('installs the tiny model from a picked folder, every file verified', async () => {
    const store = new MemoryModelStore();
    const progress: number[] = [];
    const summary = await importModelFiles({
      store,
      manifest: tinyManifest(),
      files: pickedFolder(),
      chunkBytes: 256 * 1024,
      onProgress: (p) => progress.push(p.loaded),
    });
    expect(summary).toMatchObject({ ready: true, verifiedFiles: tinyManifest().files.length });
    expect(await sha256Hex(await readStoredFile(store, tinyManifest().id, UNET))).toBe(
      tinyManifest().files.find((f) => f.path === UNET)!.sha256,
    );
    expect(progress[progress.length - 1]).toBe(summary.totalBytes);
  });

  it('rejects a corrupted file naming it, and lists missing files', async () => {
    const corrupt = pickedFolder((path, bytes) => {
      if (path !== UNET) return bytes;
      const copy = bytes.slice();
      copy[1000] ^= 1;
      return copy;
    });
    await expect(importModelFiles({ store: new MemoryModelStore(), manifest: tinyManifest(), files: corrupt })).rejects.toThrow(
      `Model file ${UNET} failed its checksum: the download was corrupted.`,
    );
    const partial = pickedFolder().filter((f) => !f.relativePath.endsWith('tokenizer.json'));
    await expect(importModelFiles({ store: new MemoryModelStore(), manifest: tinyManifest(), files: partial })).rejects.toThrow(
      `The files picked for ${tinyManifest().name} lack tokenizer/tokenizer.json`,
    );
  });

  it('pins files the manifest has no hash for, like a first download', async () => {
    const store = new MemoryModelStore();
    await importModelFiles({ store, manifest: unpinnedManifest('imported'), files: pickedFolder(), variantIds: ['int8'] });
    expect((await store.getFile('imported', 'unet/model_int8.onnx'))?.sha256PinnedHere).toBe(true);
  });

  it('matches loose files (picked without their folders) by name, and by size where several are called model.onnx', async () => {
    const store = new MemoryModelStore();
    const loose = pickedFolder().map((f) => ({ ...f, relativePath: f.relativePath.slice(f.relativePath.lastIndexOf('/') + 1) }));
    expect(loose.filter((f) => f.relativePath === 'model.onnx')).toHaveLength(3);
    const summary = await importModelFiles({ store, manifest: tinyManifest(), files: loose });
    expect(summary).toMatchObject({ ready: true, readyVariantIds: ['fp32', 'int8'] });
    // Without sizes to tell them apart, three model.onnx are ambiguous: the import says which file it cannot place.
    await expect(
      importModelFiles({ store: new MemoryModelStore(), manifest: unpinnedManifest('loose'), files: loose, variantIds: ['fp32'] }),
    ).rejects.toThrow(
      /lack text_encoder\/model\.onnx, unet\/model\.onnx, vae_decoder\/model\.onnx \(or several picked files could be it\)/,
    );
  });
});
