// The alignment benchmark's prompts, generation modes, scoring by a Checker and per-category accuracy (no I/O).
import type { Checker, CheckerImage } from '../../checker/checkerTypes';
import { splitSubPrompts } from '../maskdiffusion/subPrompts';
import { withDefaultBlocks, type Box, type GenerationSettings } from '../../shared/settings';
import { detectShapes } from './detectShapes';
import { parseShapesText } from './shapesQuery';
import { COLOUR_NAMES, POSITION_NAMES, SHAPE_NAMES, WORLD, type PositionName, type Scene, type SceneObject } from './world';

export type AlignCategory = 'single' | 'two' | 'colour' | 'position';
export type AlignMode = 'plain' | 'maskdiffusion' | 'emphasis';
export const ALIGN_CATEGORIES: AlignCategory[] = ['single', 'two', 'colour', 'position'];
export const ALIGN_MODES: AlignMode[] = ['plain', 'maskdiffusion', 'emphasis'];

/** GenEval-like: single objects, two objects (either colour), colour binding, and positions (in the frame and relative). */
export const ALIGN_PROMPTS: Record<AlignCategory, string[]> = {
  single: ['a red circle', 'a blue square', 'a yellow star', 'a green triangle'],
  two: ['a circle and a square', 'a star and a heart', 'a triangle and a ring', 'a diamond and a cross'],
  colour: [
    'a red circle and a green triangle',
    'a blue square and a yellow star',
    'a purple heart and an orange ring',
    'a cyan diamond and a black cross',
  ],
  position: [
    'a yellow star above a purple heart',
    'a blue square to the left of a red circle',
    'a green triangle on the left',
    'a black ring at the bottom',
  ],
};

export const ALIGN_BENCH = {
  seeds: 3,
  /** Seeds are firstSeed, firstSeed + 1, ...: fixed, so runs compare like for like. */
  firstSeed: 1000,
  steps: 16,
  guidance: 7.5,
  sampler: 'euler' as const,
  /** A1111 weight put on every colour and shape word in emphasis mode. */
  emphasisWeight: 1.3,
};

const HALF: Record<PositionName, Box> = {
  left: { x0: 0, y0: 0, x1: 0.5, y1: 1 },
  right: { x0: 0.5, y0: 0, x1: 1, y1: 1 },
  top: { x0: 0, y0: 0, x1: 1, y1: 0.5 },
  bottom: { x0: 0, y0: 0.5, x1: 1, y1: 1 },
  centre: { x0: 0.25, y0: 0.25, x1: 0.75, y1: 0.75 },
};

/**
 * MaskDiffusion boxes per sub-prompt (splitSubPrompts): a named position gives its half of the frame;
 * two unplaced objects get the left and right halves; anything else (a relation inside one sub-prompt)
 * is left to the model's attention maps (null).
 */
export function maskBoxes(prompt: string): (Box | null)[] {
  const subs = splitSubPrompts(prompt);
  const placed = subs.map((s) => {
    const parsed = parseShapesText(s.text);
    const position = parsed.ok && parsed.query.relations.length === 0 ? parsed.query.objects[0].position : undefined;
    return position ? HALF[position] : null;
  });
  if (subs.length === 2 && placed.every((b) => b === null)) return [HALF.left, HALF.right];
  return placed;
}

/** The prompt with every colour and shape word weighted, A1111 style: "a (red:1.3) (circle:1.3)". */
export function emphasise(prompt: string, weight = ALIGN_BENCH.emphasisWeight): string {
  const words = new Set([...COLOUR_NAMES, ...SHAPE_NAMES]);
  return prompt.replace(/\p{L}+/gu, (w) => (words.has(w.toLowerCase()) ? `(${w}:${weight})` : w));
}

export function alignSettings(prompt: string, mode: AlignMode, seed: number, steps = ALIGN_BENCH.steps): GenerationSettings {
  const base = withDefaultBlocks({ prompt, negativePrompt: '', seed, steps, guidance: ALIGN_BENCH.guidance, sampler: ALIGN_BENCH.sampler });
  if (mode === 'emphasis') return { ...base, prompt: emphasise(prompt) };
  // At the UI's default strength and formula, with the boxes the benchmark knows.
  if (mode === 'maskdiffusion') return { ...base, maskDiffusion: { ...base.maskDiffusion, enabled: true, boxes: maskBoxes(prompt) } };
  return base;
}

export interface AlignScore {
  /** The whole prompt holds: every object with its colour, size and position, every relation. */
  correct: boolean;
  /** Every named shape is there, whatever its colour or place. */
  objectsPresent: boolean;
  pYes: number;
  note?: string;
  /** Every object MaskDiffusion gets a box for (maskBoxes) is drawn with its centre in that box; null: no boxes. */
  inBoxes: boolean | null;
}

export async function scoreAlignment(checker: Checker, image: CheckerImage, prompt: string): Promise<AlignScore> {
  const parsed = parseShapesText(prompt);
  if (!parsed.ok) throw new Error(`Benchmark prompt "${prompt}" is outside the shapes world: ${parsed.reason}`);
  const shapes = parsed.query.objects.map((o) => `a ${o.shape}`).join(' and ');
  const [whole, present] = await checker.score(image, [`Does the image show ${prompt}?`, `Does the image show ${shapes}?`]);
  return {
    correct: whole.pYes > 0.5,
    objectsPresent: present.pYes > 0.5,
    pYes: whole.pYes,
    note: whole.note,
    inBoxes: inTheirBoxes(image, prompt),
  };
}

/**
 * Layout, which the accuracy above does not see for two-object prompts: MaskDiffusion with boxes is asked to put each
 * object in its box, so every mode is scored on whether it did (plain gives the rate by chance). An object counts
 * when a drawn shape of its kind (and colour, when named) has its centre inside the box.
 */
export function inTheirBoxes(image: CheckerImage, prompt: string): boolean | null {
  const boxes = maskBoxes(prompt);
  if (boxes.every((box) => box === null)) return null;
  const drawn = detectShapes(image);
  return splitSubPrompts(prompt).every((sub, i) => {
    const box = boxes[i];
    if (!box) return true;
    const parsed = parseShapesText(sub.text);
    if (!parsed.ok) throw new Error(`Benchmark sub-prompt "${sub.text}" is outside the shapes world: ${parsed.reason}`);
    const { shape, colour } = parsed.query.objects[0];
    return drawn.some(
      (d) => d.shape === shape && (!colour || d.colour === colour) && d.cx >= box.x0 && d.cx <= box.x1 && d.cy >= box.y0 && d.cy <= box.y1,
    );
  });
}

export interface AlignResult {
  mode: AlignMode | 'oracle';
  category: AlignCategory;
  prompt: string;
  seed: number;
  score: AlignScore;
}

/** Per mode and category: prompts correct, named shapes present, out of n; objects in their boxes, out of boxed. */
export type AlignSummary = Record<
  string,
  Record<AlignCategory, { correct: number; objects: number; n: number; inBoxes: number; boxed: number }>
>;

export function summarise(results: AlignResult[]): AlignSummary {
  const summary: AlignSummary = {};
  for (const r of results) {
    summary[r.mode] ??= Object.fromEntries(
      ALIGN_CATEGORIES.map((c) => [c, { correct: 0, objects: 0, n: 0, inBoxes: 0, boxed: 0 }]),
    ) as AlignSummary[string];
    const cell = summary[r.mode][r.category];
    cell.n++;
    if (r.score.correct) cell.correct++;
    if (r.score.objectsPresent) cell.objects++;
    if (r.score.inBoxes !== null) cell.boxed++;
    if (r.score.inBoxes) cell.inBoxes++;
  }
  return summary;
}

/**
 * A scene that satisfies a prompt, for the oracle row (what the checker says of a perfect drawing):
 * relations put the objects apart on their axis, named positions use their band's middle, unnamed
 * colours take the first palette colour not yet used, sizes default to the medium class.
 */
export function oracleScene(prompt: string): Scene {
  const parsed = parseShapesText(prompt);
  if (!parsed.ok) throw new Error(parsed.reason);
  const { objects, relations } = parsed.query;
  const c = WORLD.canvas;
  const slots: [number, number][] =
    objects.length === 1
      ? [[0.5, 0.5]]
      : objects.length === 2
        ? [
            [0.27, 0.5],
            [0.73, 0.5],
          ]
        : [
            [0.2, 0.5],
            [0.5, 0.5],
            [0.8, 0.5],
          ];
  const rel = relations[0];
  if (rel) {
    const spec = WORLD.relations[rel.relation];
    const [a, b] = spec.firstSmaller ? [0.27, 0.73] : [0.73, 0.27];
    slots[rel.first] = spec.axis === 'x' ? [a, 0.5] : [0.5, a];
    slots[rel.second] = spec.axis === 'x' ? [b, 0.5] : [0.5, b];
  }
  const used = new Set(objects.map((o) => o.colour).filter(Boolean));
  const out: SceneObject[] = objects.map((o, i) => {
    const colour = o.colour ?? COLOUR_NAMES.find((n) => !used.has(n))!;
    used.add(colour);
    const [lo, hi] = WORLD.sizes[o.size ?? 'medium'].extent;
    let [fx, fy] = slots[i];
    if (o.position && POSITION_NAMES.includes(o.position)) {
      const band = WORLD.positions[o.position];
      if (band.cx) fx = (band.cx[0] + band.cx[1]) / 2;
      if (band.cy) fy = (band.cy[0] + band.cy[1]) / 2;
    }
    return { shape: o.shape, colour, cx: Math.round(fx * c), cy: Math.round(fy * c), extent: Math.round((lo + hi) / 2) };
  });
  return { objects: out, caption: prompt };
}
