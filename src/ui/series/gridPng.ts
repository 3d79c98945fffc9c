// One PNG of a finished grid: the cells at their own size, column labels above, row labels at the left, and the
// grid's X/Y fields with the first cell's settings in its `parameters` chunk (as A1111's X/Y plot writes it).
import { canvasToPng, formatA1111Parameters } from '../../core/image';
import type { SeriesRun } from '../../app/slices/seriesSlice';

const LABEL_FONT = '13px sans-serif';
const TOP = 24;
const PAD = 6;

export async function gridPng(run: SeriesRun, modelName: string): Promise<Blob> {
  const made = run.images.filter((i) => i !== null);
  if (made.length === 0 || !run.labels) throw new Error('The grid has no finished image to save.');
  const { width: w, height: h } = made[0];
  const columns = Math.max(...run.cells.map((c) => c.x)) + 1;
  const rows = Math.max(...run.cells.map((c) => c.y)) + 1;
  const canvas = new OffscreenCanvas(1, 1);
  const measure = canvas.getContext('2d')!;
  measure.font = LABEL_FONT;
  const left = run.labels.rows.some(Boolean)
    ? Math.ceil(Math.max(...run.labels.rows.map((l) => measure.measureText(l).width))) + 2 * PAD
    : 0;
  canvas.width = left + columns * w;
  canvas.height = TOP + rows * h;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#000000';
  ctx.font = LABEL_FONT;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'center';
  run.labels.columns.forEach((label, x) => ctx.fillText(label, left + x * w + w / 2, TOP / 2, w - PAD));
  ctx.textAlign = 'left';
  run.labels.rows.forEach((label, y) => ctx.fillText(label, PAD, TOP + y * h + h / 2));
  for (const [i, cell] of run.cells.entries()) {
    const image = run.images[i];
    if (!image) continue; // a cancelled grid keeps white cells where images were not made
    const bitmap = await createImageBitmap(image.png);
    ctx.drawImage(bitmap, left + cell.x * w, TOP + cell.y * h);
    bitmap.close();
  }
  const first = run.cells[0].settings;
  const parameters = formatA1111Parameters({
    prompt: first.prompt,
    negativePrompt: first.negativePrompt,
    steps: first.steps,
    sampler: first.sampler,
    cfgScale: first.guidance,
    seed: first.seed,
    width: canvas.width,
    height: canvas.height,
    model: modelName,
    extra: run.description,
  });
  // The canvas is opaque (white under the cells), so the browser's encoder keeps every pixel exactly.
  return new Blob([(await canvasToPng(canvas, { parameters })) as Uint8Array<ArrayBuffer>], { type: 'image/png' });
}
