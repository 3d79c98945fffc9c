// Vite plugin: patches the built-in model's UNets for attention control at build time and emits them with their
// index beside the model (src/worker/servedDenoiserPatch.ts), so the page's worker opens them as they are instead
// of patching at every load. Dev servers emit nothing: there the worker patches at load, as before.
import { readFileSync } from 'node:fs';
import { tsImport } from 'tsx/esm/api';
import type { Plugin } from 'vite';
import type { ModelManifest } from '../src/shared/manifest';

/** `folder`: the model's folder under public/ (its URL path in the built app). */
export function builtInDenoiserPatch(folder = 'models/tiny-sd'): Plugin {
  return {
    name: 'studio-built-in-denoiser-patch',
    apply: 'build',
    async generateBundle() {
      // Imported when it runs, through tsx: the config's own loader would otherwise bundle the whole patcher.
      const served: typeof import('../src/worker/servedDenoiserPatch') = await tsImport(
        '../src/worker/servedDenoiserPatch.ts',
        import.meta.url,
      );
      const read = (path: string) => new Uint8Array(readFileSync(`public/${folder}/${path}`));
      const manifest = JSON.parse(new TextDecoder().decode(read('manifest.json'))) as ModelManifest;
      const { index, graphs } = served.makeServedPatches(manifest, read);
      for (const [path, bytes] of graphs) this.emitFile({ type: 'asset', fileName: `${folder}/${path}`, source: bytes });
      this.emitFile({ type: 'asset', fileName: `${folder}/${served.SERVED_PATCH_INDEX}`, source: JSON.stringify(index) });
    },
  };
}
