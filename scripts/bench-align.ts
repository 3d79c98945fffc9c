// npm run bench:align: GenEval-style alignment of the built-in model, scored exactly by the shapes checker.
// Generates every benchmark prompt (src/core/shapesWorld/alignBenchmark.ts) for several seeds through the real
// pipeline (onnxruntime-web WASM in Node), plain, with MaskDiffusion and with emphasis, and prints accuracy
// per category and how often the objects land in the boxes MaskDiffusion is given (plain: by chance); an "oracle"
// row scores perfect renders of the same prompts. The last line is one JSON object.
// Flags: --seeds N --steps N --modes plain,maskdiffusion,emphasis --variant fp32|int8 --model-dir DIR --save-dir DIR
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { inProcessEngine } from '../src/app/inProcessServices';
import { checkerImageFromPng } from '../src/checker/pngImage';
import { encodePng } from '../src/core/image';
import { serveFolder } from '../src/core/pipeline/publicServer.test-support';
import { tinyModelDir } from '../src/core/pipeline/testModel.test-support';
import {
  ALIGN_BENCH,
  ALIGN_CATEGORIES,
  ALIGN_MODES,
  ALIGN_PROMPTS,
  alignSettings,
  oracleScene,
  scoreAlignment,
  summarise,
  type AlignMode,
  type AlignResult,
} from '../src/core/shapesWorld/alignBenchmark';
import { renderScene } from '../src/core/shapesWorld/renderScene';
import { ShapesChecker } from '../src/core/shapesWorld/shapesChecker';
import type { ModelManifest } from '../src/shared/manifest';

const { values: flags } = parseArgs({
  options: {
    seeds: { type: 'string', default: String(ALIGN_BENCH.seeds) },
    steps: { type: 'string', default: String(ALIGN_BENCH.steps) },
    modes: { type: 'string', default: ALIGN_MODES.join(',') },
    variant: { type: 'string', default: 'fp32' },
    'model-dir': { type: 'string', default: tinyModelDir },
    'save-dir': { type: 'string' },
  },
});
const seeds = Array.from({ length: Number(flags.seeds) }, (_, i) => ALIGN_BENCH.firstSeed + i);
const steps = Number(flags.steps);
const modes = flags.modes.split(',') as AlignMode[];
const unknown = modes.filter((m) => !ALIGN_MODES.includes(m));
if (unknown.length) throw new Error(`Unknown mode(s) ${unknown.join(', ')}; use ${ALIGN_MODES.join(', ')}.`);
const modelDir = flags['model-dir'].endsWith('/') ? flags['model-dir'] : `${flags['model-dir']}/`;

const manifest = JSON.parse(readFileSync(`${modelDir}manifest.json`, 'utf8')) as ModelManifest;
const variant = manifest.variants.find((v) => v.id === flags.variant);
if (!variant) throw new Error(`${manifest.name} has no variant ${flags.variant}.`);
// The studio's own engine, in this thread: the model is fetched over HTTP as the page fetches the built-in one.
const files = await serveFolder(modelDir, '');
const engine = inProcessEngine({ runtimeOptions: { numThreads: 1 } }, files.engineUrls);
await engine.load('wasm', undefined, variant.id);
const checker = new ShapesChecker();
const started = performance.now();
const results: AlignResult[] = [];
const prompts = ALIGN_CATEGORIES.flatMap((category) => ALIGN_PROMPTS[category].map((prompt) => ({ category, prompt })));
console.log(
  `${manifest.name} (${variant.id}${manifest.randomWeights ? ', random weights: expect near-zero accuracy' : ''}); ${prompts.length} prompts x ${seeds.length} seeds, ${ALIGN_BENCH.sampler} ${steps} steps, guidance ${ALIGN_BENCH.guidance}`,
);

for (const { category, prompt } of prompts) {
  results.push({
    mode: 'oracle',
    category,
    prompt,
    seed: 0,
    score: await scoreAlignment(checker, renderScene(oracleScene(prompt)), prompt),
  });
}
for (const mode of modes) {
  const sheet: Uint8ClampedArray[][] = [];
  for (const { category, prompt } of prompts) {
    const row: Uint8ClampedArray[] = [];
    for (const seed of seeds) {
      const image = checkerImageFromPng((await engine.generate(alignSettings(prompt, mode, seed, steps)).done).png);
      results.push({ mode, category, prompt, seed, score: await scoreAlignment(checker, image, prompt) });
      row.push(image.rgba);
    }
    sheet.push(row);
  }
  if (flags['save-dir']) saveSheet(`${flags['save-dir']}/align-${mode}.png`, sheet, manifest.resolution.width);
}
await files.close();

const summary = summarise(results);
const percent = (a: number, n: number) => (n ? `${Math.round((100 * a) / n)}%` : '-');
// Which weights were measured: the built-in id is shared by the random and the trained export, so name the
// directory, the model's display name and the denoiser's hash too.
const unetFile = manifest.files.find((f) => f.path === variant.files.unet);
const json: Record<string, number | string | boolean> = {
  model: manifest.id,
  model_name: manifest.name,
  model_dir: modelDir,
  random_weights: Boolean(manifest.randomWeights),
  unet_sha256: unetFile?.sha256?.slice(0, 16) ?? 'unknown',
  variant: variant.id,
  steps,
  seeds: seeds.length,
};
for (const mode of ['oracle', ...modes]) {
  const cells = ALIGN_CATEGORIES.map((c) => summary[mode][c]);
  const total = cells.reduce(
    (s, c) => ({
      correct: s.correct + c.correct,
      objects: s.objects + c.objects,
      n: s.n + c.n,
      inBoxes: s.inBoxes + c.inBoxes,
      boxed: s.boxed + c.boxed,
    }),
    { correct: 0, objects: 0, n: 0, inBoxes: 0, boxed: 0 },
  );
  const text = ALIGN_CATEGORIES.map((c, i) => `${c} ${cells[i].correct}/${cells[i].n} (${percent(cells[i].correct, cells[i].n)})`).join(
    '  ',
  );
  console.log(
    `${mode.padEnd(13)} ${text}  | all ${percent(total.correct, total.n)}; named shapes present ${percent(total.objects, total.n)}; objects in their MaskDiffusion boxes ${total.inBoxes}/${total.boxed} (${percent(total.inBoxes, total.boxed)})`,
  );
  ALIGN_CATEGORIES.forEach((c, i) => {
    json[`align_${mode}_${c}`] = Number((cells[i].correct / cells[i].n).toFixed(3));
  });
  json[`align_${mode}_objects_present`] = Number((total.objects / total.n).toFixed(3));
  json[`align_${mode}_in_boxes`] = Number((total.inBoxes / total.boxed).toFixed(3));
}
json.seconds = Number(((performance.now() - started) / 1000).toFixed(1));
console.log(JSON.stringify(json));

/** One PNG per mode: a row per prompt, a column per seed. */
function saveSheet(path: string, rows: Uint8ClampedArray[][], size: number): void {
  const cols = rows[0].length;
  const width = cols * size;
  const out = new Uint8ClampedArray(width * rows.length * size * 4);
  rows.forEach((row, r) =>
    row.forEach((rgba, c) => {
      for (let y = 0; y < size; y++) out.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), ((r * size + y) * width + c * size) * 4);
    }),
  );
  mkdirSync(path.slice(0, path.lastIndexOf('/')), { recursive: true });
  writeFileSync(path, encodePng(out, width, rows.length * size));
}
