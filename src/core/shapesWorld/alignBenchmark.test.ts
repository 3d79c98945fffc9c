// The alignment benchmark's machinery: prompts in the world, settings per mode, and scoring on perfect drawings.
import { describe, expect, it } from 'vitest';
import { validateSettings } from '../../shared/settings';
import {
  ALIGN_CATEGORIES,
  ALIGN_MODES,
  ALIGN_PROMPTS,
  alignSettings,
  emphasise,
  inTheirBoxes,
  maskBoxes,
  oracleScene,
  scoreAlignment,
  summarise,
  type AlignResult,
} from './alignBenchmark';
import { renderScene } from './renderScene';
import { ShapesChecker } from './shapesChecker';

const checker = new ShapesChecker();

describe('alignment benchmark', () => {
  it('scores a perfect drawing of every prompt correct, and a drawing of another prompt in its category wrong', async () => {
    const results: AlignResult[] = [];
    for (const category of ALIGN_CATEGORIES) {
      const prompts = ALIGN_PROMPTS[category];
      for (const [i, prompt] of prompts.entries()) {
        const image = renderScene(oracleScene(prompt));
        results.push({ mode: 'oracle', category, prompt, seed: 0, score: await scoreAlignment(checker, image, prompt) });
        const other = await scoreAlignment(checker, image, prompts[(i + 1) % prompts.length]);
        expect(other.correct, `${prompt} drawn, ${prompts[(i + 1) % prompts.length]} asked`).toBe(false);
      }
    }
    const summary = summarise(results);
    // Boxes: none for single objects; left and right halves for two unplaced objects; a named position's half.
    const boxed = { single: 0, two: 4, colour: 4, position: 2 };
    for (const category of ALIGN_CATEGORIES)
      expect(summary.oracle[category]).toEqual({ correct: 4, objects: 4, n: 4, inBoxes: boxed[category], boxed: boxed[category] });
  });

  it('scores objects in their MaskDiffusion boxes: swapped sides, or one of them missing, is out', () => {
    const prompt = 'a red circle and a green triangle';
    expect(inTheirBoxes(renderScene(oracleScene(prompt)), prompt)).toBe(true);
    expect(inTheirBoxes(renderScene(oracleScene('a green triangle and a red circle')), prompt)).toBe(false);
    expect(inTheirBoxes(renderScene(oracleScene('a red circle and a green square')), prompt)).toBe(false);
    // Only the named shape counts, in the named colour.
    expect(inTheirBoxes(renderScene(oracleScene('a blue circle and a green triangle')), prompt)).toBe(false);
    expect(inTheirBoxes(renderScene(oracleScene('a black ring at the top')), 'a black ring at the bottom')).toBe(false);
    expect(inTheirBoxes(renderScene(oracleScene('a red circle')), 'a red circle')).toBeNull();
  });

  it('tells colour binding from presence: swapped colours keep the objects but fail the prompt', async () => {
    const image = renderScene(oracleScene('a green circle and a red triangle'));
    const score = await scoreAlignment(checker, image, 'a red circle and a green triangle');
    expect(score).toMatchObject({ correct: false, objectsPresent: true });
  });

  it('makes valid settings for every mode: boxes from named places, emphasis on colours and shapes', () => {
    for (const mode of ALIGN_MODES)
      for (const prompts of Object.values(ALIGN_PROMPTS)) for (const p of prompts) validateSettings(alignSettings(p, mode, 1000));
    expect(maskBoxes('a green triangle on the left')).toEqual([{ x0: 0, y0: 0, x1: 0.5, y1: 1 }]);
    expect(maskBoxes('a black ring at the bottom')).toEqual([{ x0: 0, y0: 0.5, x1: 1, y1: 1 }]);
    expect(maskBoxes('a circle and a square')).toEqual([
      { x0: 0, y0: 0, x1: 0.5, y1: 1 },
      { x0: 0.5, y0: 0, x1: 1, y1: 1 },
    ]);
    expect(maskBoxes('a yellow star above a purple heart')).toEqual([null]);
    expect(emphasise('a red circle and an orange ring')).toBe('a (red:1.3) (circle:1.3) and an (orange:1.3) (ring:1.3)');
    expect(alignSettings('a red circle', 'emphasis', 3).prompt).toBe('a (red:1.3) (circle:1.3)');
    expect(alignSettings('a red circle', 'plain', 3).maskDiffusion.enabled).toBe(false);
    expect(alignSettings('a red circle', 'maskdiffusion', 3).maskDiffusion).toEqual({
      enabled: true,
      strength: 1,
      variant: 'corrected',
      boxes: [null],
    });
  });
});
