// npm run bench:patch (and part of npm run bench): peak memory and time of install-time attention patching on an
// SD-1.5-sized fp16 UNet (models/bench/sd15UnetBench.ts: 860M random weights, 1.7 GB), written to a temp folder and
// deleted after. The patch runs in a child process of its own (scripts/bench/patchUnetMemory.ts), so its peak
// resident memory is the patch's alone. Target: peak <= 1.5x the file's size. Prints a JSON last line (MB = 10^6 bytes).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MB = 1e6;
const lastJsonLine = (output) => JSON.parse(output.trim().split('\n').at(-1));
const run = (command, args) => lastJsonLine(execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));

const dir = mkdtempSync(join(tmpdir(), 'studio-patch-bench-'));
const unetFile = join(dir, 'unet-fp16.onnx');
try {
  const made = run('npx', ['tsx', 'scripts/bench/makeSd15Unet.ts', unetFile]);
  const patched = run('node', ['--expose-gc', '--import', 'tsx', 'scripts/bench/patchUnetMemory.ts', unetFile]);
  const read = run('node', ['--import', 'tsx', 'scripts/bench/patchUnetMemory.ts', unetFile, '--read-only']);
  const results = {
    patch_unet_file_mb: Number((patched.fileBytes / MB).toFixed(1)),
    patch_unet_parameters_m: Number((made.parameters / 1e6).toFixed(1)),
    patch_unet_peak_over_file: Number(patched.peakOverFile.toFixed(3)),
    patch_unet_peak_mb: Number(((patched.peakBytes - patched.baselineBytes) / MB).toFixed(1)),
    patch_unet_ms: Math.round(patched.patchMs),
    patch_unet_read_ms: Math.round(read.readMs),
    patch_unet_graph_mb: Number((patched.graphBytes / MB).toFixed(3)),
    patch_unet_cross_layers: patched.crossLayers,
  };
  console.log(
    `Install-time patching of an SD-1.5-sized fp16 UNet (${results.patch_unet_file_mb} MB, ${results.patch_unet_parameters_m}M weights, made in ${made.ms} ms): peak memory ${results.patch_unet_peak_mb} MB = ${results.patch_unet_peak_over_file}x the file (target <= 1.5), ${results.patch_unet_ms} ms (reading the file alone: ${results.patch_unet_read_ms} ms), patched graph ${results.patch_unet_graph_mb} MB with ${results.patch_unet_cross_layers} cross-attention layers`,
  );
  console.log(JSON.stringify(results));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
