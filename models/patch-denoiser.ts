// CLI: patch a denoiser ONNX file for attention control, as the studio does when it installs a model.
// Usage: npx tsx models/patch-denoiser.ts IN.onnx OUT.onnx [--maps-level N] [--self-min-level N]
import { readFileSync, writeFileSync } from 'node:fs';
import { UnpatchableGraphError } from '../src/core/onnx/findAttention';
import { patchDenoiser } from '../src/core/onnx/patchDenoiser';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args.splice(i, 2)[1]) : undefined;
};
const mapsLevel = option('--maps-level');
const selfMaskMinLevel = option('--self-min-level');
const [input, output] = args;
if (!input || !output) {
  console.error('Usage: npx tsx models/patch-denoiser.ts IN.onnx OUT.onnx [--maps-level N] [--self-min-level N]');
  process.exit(2);
}
try {
  const { bytes, report } = patchDenoiser(new Uint8Array(readFileSync(input)), { mapsLevel, selfMaskMinLevel });
  writeFileSync(output, bytes);
  console.log(`patched ${input} -> ${output}`);
  console.log(JSON.stringify(report, null, 2));
} catch (error) {
  if (error instanceof UnpatchableGraphError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
