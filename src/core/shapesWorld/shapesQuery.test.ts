// Reading captions and checker questions of the shapes world.
import { describe, expect, it } from 'vitest';
import { parseShapesText } from './shapesQuery';

const query = (text: string) => {
  const parsed = parseShapesText(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.query;
};

describe('parseShapesText', () => {
  it('reads the caption templates', () => {
    expect(query('a red circle')).toEqual({ objects: [{ shape: 'circle', colour: 'red' }], relations: [] });
    expect(query('a small blue square on the left')).toEqual({
      objects: [{ shape: 'square', colour: 'blue', size: 'small', position: 'left' }],
      relations: [],
    });
    expect(query('a large green ring in the middle').objects[0]).toEqual({
      shape: 'ring',
      colour: 'green',
      size: 'big',
      position: 'centre',
    });
    expect(query('a red circle and a green triangle').objects).toEqual([
      { shape: 'circle', colour: 'red' },
      { shape: 'triangle', colour: 'green' },
    ]);
    expect(query('a yellow star above a purple heart')).toEqual({
      objects: [
        { shape: 'star', colour: 'yellow' },
        { shape: 'heart', colour: 'purple' },
      ],
      relations: [{ first: 0, second: 1, relation: 'above' }],
    });
    expect(query('an orange cross to the right of a black diamond').relations).toEqual([{ first: 0, second: 1, relation: 'rightOf' }]);
    expect(query('a cyan ring, a star and a blue heart').objects.map((o) => o.shape)).toEqual(['ring', 'star', 'heart']);
  });

  it('reads the checker panel questions (objects, attributes, positions, relations, whole prompt)', () => {
    expect(query('Is there a square?').objects).toEqual([{ shape: 'square' }]);
    expect(query('Is the square blue?').objects).toEqual([{ shape: 'square', colour: 'blue' }]);
    expect(query('Is the square small?').objects).toEqual([{ shape: 'square', size: 'small' }]);
    expect(query('Is the square on the left side of the image?').objects).toEqual([{ shape: 'square', position: 'left' }]);
    expect(query('Is the triangle at the bottom of the image?').objects).toEqual([{ shape: 'triangle', position: 'bottom' }]);
    expect(query('Is the star below the heart?').relations).toEqual([{ first: 0, second: 1, relation: 'below' }]);
    expect(query('Is the star to the left of the heart?').relations).toEqual([{ first: 0, second: 1, relation: 'leftOf' }]);
    expect(query('Does the image show a yellow star above a purple heart?').objects).toHaveLength(2);
    expect(query('Are there two rings?').objects).toEqual([{ shape: 'ring' }, { shape: 'ring' }]);
  });

  it('refuses words outside the world instead of guessing', () => {
    expect(parseShapesText('Is there a cat?')).toMatchObject({ ok: false, reason: expect.stringContaining('"cat"') });
    expect(parseShapesText('Is it red?')).toMatchObject({ ok: false, reason: 'no shape named' });
    expect(parseShapesText('a red blue circle')).toMatchObject({ ok: false });
    expect(parseShapesText('a star above')).toMatchObject({ ok: false, reason: 'a relation without its second object' });
    expect(parseShapesText('Is the circle next to the square?')).toMatchObject({ ok: false });
  });
});
