// The shapes checker against ground truth: every Python preview caption on every preview scene, derived questions, refusals.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { derivePromptQuestions } from '../../checker/questions/promptQuestions';
import type { ShapeDetection } from './detectShapes';
import { matchQuery } from './matchQuery';
import { renderScene } from './renderScene';
import { ShapesChecker } from './shapesChecker';
import { parseShapesText } from './shapesQuery';
import { SHAPE_NAMES, sizeOfExtent, type Scene } from './world';

const preview = JSON.parse(readFileSync(new URL('../../../models/shapes/preview.json', import.meta.url), 'utf8')) as {
  scenes: Required<Scene>[];
};
const checker = new ShapesChecker();
const images = preview.scenes.map((s) => renderScene(s));

/** What a perfect detector would report for a scene (the ground truth the checker is measured against). */
function truthDetections(scene: Scene): ShapeDetection[] {
  return scene.objects.map((o) => ({
    colour: o.colour,
    shape: o.shape,
    shapeProbs: Object.fromEntries(SHAPE_NAMES.map((s) => [s, s === o.shape ? 1 : 0])),
    cx: o.cx / 128,
    cy: o.cy / 128,
    extent: o.extent,
    size: sizeOfExtent(o.extent),
    area: 0,
    features: { fill: 0, solidity: 0, hole: 0, centroidY: 0, spans: [] },
  }));
}

function truth(caption: string, scene: Scene): boolean {
  const parsed = parseShapesText(caption);
  if (!parsed.ok) throw new Error(parsed.reason);
  return matchQuery(parsed.query, truthDetections(scene)).score > 0.5;
}

describe('ShapesChecker', () => {
  it('agrees with the ground truth on every caption x scene pair of the preview', async () => {
    let pairs = 0;
    let agree = 0;
    let trueAccepted = 0;
    let trueCount = 0;
    for (const [k, image] of images.entries()) {
      const questions = preview.scenes.map((s) => `Does the image show ${s.caption}?`);
      const scores = await checker.score(image, questions);
      preview.scenes.forEach((s, j) => {
        const expected = truth(s.caption, preview.scenes[k]);
        const said = scores[j].pYes > 0.5;
        pairs++;
        if (said === expected) agree++;
        if (expected) {
          trueCount++;
          if (said) trueAccepted++;
        }
      });
    }
    console.log(
      `caption x scene pairs: ${pairs}, agreement with ground truth ${((agree / pairs) * 100).toFixed(1)}%, true captions accepted ${trueAccepted}/${trueCount}`,
    );
    expect(trueCount).toBeGreaterThanOrEqual(24); // each scene's own caption at least
    expect(trueCount).toBeLessThan(pairs / 4); // most pairs are false: the test checks rejection too
    expect(agree).toBe(pairs);
  });

  it("says yes to every question the checker panel derives from a scene's own caption", async () => {
    let asked = 0;
    for (const [k, scene] of preview.scenes.entries()) {
      const questions = derivePromptQuestions(scene.caption).map((q) => q.text);
      const scores = await checker.score(images[k], questions);
      for (const s of scores) expect(s.pYes, `${scene.caption} / ${s.question}: ${s.note}`).toBeGreaterThan(0.5);
      asked += scores.length;
    }
    expect(asked).toBeGreaterThan(100);
  });

  it('binds colours to shapes, reads relations in order, and rejects absent objects', async () => {
    const image = renderScene({
      objects: [
        { shape: 'circle', colour: 'red', cx: 64, cy: 30, extent: 36 },
        { shape: 'triangle', colour: 'green', cx: 64, cy: 96, extent: 36 },
      ],
    });
    const ask = async (q: string) => (await checker.score(image, [q]))[0].pYes;
    expect(await ask('Does the image show a red circle and a green triangle?')).toBeGreaterThan(0.9);
    expect(await ask('Does the image show a green circle and a red triangle?')).toBeLessThan(0.1);
    expect(await ask('Is the circle above the triangle?')).toBeGreaterThan(0.9);
    expect(await ask('Is the triangle above the circle?')).toBeLessThan(0.1);
    expect(await ask('Is there a star?')).toBeLessThan(0.1);
    expect(await ask('Are there two circles?')).toBeLessThan(0.1);
    expect(await ask('Is the circle big?')).toBeLessThan(0.1);
  });

  it('reads each relation and frame position in its own direction only', async () => {
    const pair = (ax: number, ay: number, bx: number, by: number) =>
      renderScene({
        objects: [
          { shape: 'star', colour: 'yellow', cx: ax, cy: ay, extent: 30 },
          { shape: 'heart', colour: 'purple', cx: bx, cy: by, extent: 30 },
        ],
      });
    const says = async (image: ReturnType<typeof renderScene>, q: string) => (await checker.score(image, [q]))[0].pYes > 0.5;
    const sideBySide = pair(44, 64, 84, 66); // star left of heart, nearly level
    const stacked = pair(62, 44, 64, 84); // star above heart, nearly aligned
    const relations = ['above', 'below', 'to the left of', 'to the right of'];
    expect(await Promise.all(relations.map((r) => says(sideBySide, `Is the star ${r} the heart?`)))).toEqual([false, false, true, false]);
    expect(await Promise.all(relations.map((r) => says(stacked, `Is the star ${r} the heart?`)))).toEqual([true, false, false, false]);
    expect(await Promise.all(relations.map((r) => says(stacked, `Is the heart ${r} the star?`)))).toEqual([false, true, false, false]);
    const frame = ['on the left', 'on the right', 'at the top', 'at the bottom', 'in the centre'];
    const leftStar = renderScene({ objects: [{ shape: 'star', colour: 'yellow', cx: 30, cy: 64, extent: 30 }] });
    expect(await Promise.all(frame.map((f) => says(leftStar, `Does the image show a yellow star ${f}?`)))).toEqual([
      true,
      false,
      false,
      false,
      false,
    ]);
  });

  it('scores questions outside its world an even 0.5 with the reason, and stops when cancelled', async () => {
    const [cat] = await checker.score(images[0], ['Is there a cat?']);
    expect(cat.pYes).toBe(0.5);
    expect(cat.note).toMatch(/"cat" is not a shape/);
    const controller = new AbortController();
    const seen: number[] = [];
    const run = checker.score(images[0], ['Is there a ring?', 'Is there a star?', 'Is there a heart?'], {
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p.done);
        if (p.done === 2) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(seen).toEqual([1, 2]);
  });
});
