// Reads captions and checker questions about the shapes world into objects, attributes, positions and relations.
import { COLOUR_NAMES, SHAPE_NAMES, WORLD, type PositionName, type RelationName } from './world';

export interface ObjectTerm {
  shape: string;
  colour?: string;
  size?: 'small' | 'big';
  position?: PositionName;
}

export interface RelationTerm {
  first: number;
  second: number;
  relation: RelationName;
}

export interface ShapesQuery {
  objects: ObjectTerm[];
  relations: RelationTerm[];
}

export type ParsedQuery = { ok: true; query: ShapesQuery } | { ok: false; reason: string };

// Phrases become single marker words first; relations before positions ("to the left of" vs "on the left").
const RELATION_PATTERNS: [RegExp, RelationName][] = [
  [/\b(?:to|on|at) the left of\b|\bleft of\b/g, 'leftOf'],
  [/\b(?:to|on|at) the right of\b|\bright of\b/g, 'rightOf'],
  [/\b(?:on top of|above|over)\b/g, 'above'],
  [/\b(?:below|under|underneath|beneath)\b/g, 'below'],
];
const SIDE = '(?: side| half| part)?(?: of the (?:image|picture|frame))?';
const POSITION_PATTERNS: [RegExp, PositionName][] = [
  [new RegExp(`\\b(?:on|at|in|to) the left${SIDE}`, 'g'), 'left'],
  [new RegExp(`\\b(?:on|at|in|to) the right${SIDE}`, 'g'), 'right'],
  [new RegExp(`\\b(?:at|in|on) the top${SIDE}`, 'g'), 'top'],
  [new RegExp(`\\b(?:at|in|on) the bottom${SIDE}`, 'g'), 'bottom'],
  [/\bin the (?:centre|center|middle)(?: of the (?:image|picture|frame))?/g, 'centre'],
];
const COUNTS: Record<string, number> = { a: 1, an: 1, one: 1, the: 1, two: 2, three: 3 };
/** Words that carry nothing to check (question scaffolding, conjunctions). */
const FILLER = new Set('is are there does do show shows image picture it this and with of'.split(' '));
const SIZE_WORDS: Record<string, 'small' | 'big'> = Object.fromEntries(
  (['small', 'big'] as const).flatMap((size) => WORLD.sizes[size].words.map((w) => [w, size])),
);

function shapeOf(word: string): string | undefined {
  if (SHAPE_NAMES.includes(word)) return word;
  if (word.endsWith('s') && SHAPE_NAMES.includes(word.slice(0, -1))) return word.slice(0, -1);
  return undefined;
}

/**
 * "a small blue square on the left", "Is the star above the heart?", "Is the circle red?",
 * "Are there two rings?". Any word outside the world makes the text unreadable (ok: false).
 */
export function parseShapesText(text: string): ParsedQuery {
  let s = ` ${text.toLowerCase().replace(/[?.!;:,]/g, ' ')} `;
  for (const [re, name] of RELATION_PATTERNS) s = s.replace(re, ` rel:${name} `);
  for (const [re, name] of POSITION_PATTERNS) s = s.replace(re, ` pos:${name} `);
  const objects: ObjectTerm[] = [];
  const relations: RelationTerm[] = [];
  let pending: Partial<ObjectTerm> & { count?: number } = {};
  let pendingRelation: { first: number; relation: RelationName } | null = null;
  let last = -1; // index of the last object named (its first copy when counted)
  let lastCount = 0;
  for (const word of s.split(/\s+/).filter(Boolean)) {
    if (word.startsWith('rel:')) {
      if (last < 0) return { ok: false, reason: `"${word.slice(4)}" relates nothing before it` };
      pendingRelation = { first: last, relation: word.slice(4) as RelationName };
    } else if (word.startsWith('pos:')) {
      const position = word.slice(4) as PositionName;
      if (last >= 0 && !pendingRelation) for (let k = 0; k < lastCount; k++) objects[last + k].position = position;
      else pending.position = position;
    } else if (word in COUNTS) {
      pending.count = COUNTS[word];
    } else if (COLOUR_NAMES.includes(word)) {
      if (pending.colour && pending.colour !== word)
        return { ok: false, reason: `two colours for one object (${pending.colour}, ${word})` };
      pending.colour = word;
    } else if (word in SIZE_WORDS) {
      pending.size = SIZE_WORDS[word];
    } else if (shapeOf(word)) {
      const { count = 1, ...term } = pending;
      last = objects.length;
      lastCount = count;
      for (let k = 0; k < count; k++) objects.push({ ...term, shape: shapeOf(word)! });
      if (pendingRelation) {
        relations.push({ first: pendingRelation.first, second: last, relation: pendingRelation.relation });
        pendingRelation = null;
      }
      pending = {};
    } else if (!FILLER.has(word)) {
      return { ok: false, reason: `"${word}" is not a shape, colour, size, position or relation of the shapes world` };
    }
  }
  if (pendingRelation) return { ok: false, reason: 'a relation without its second object' };
  // Trailing adjectives are predicates about the last object: "Is the circle red?", "Is the ring small?".
  if (pending.colour || pending.size || pending.position) {
    if (last < 0) return { ok: false, reason: 'no shape named' };
    for (let k = 0; k < lastCount; k++) {
      const o = objects[last + k];
      if ((pending.colour && o.colour && o.colour !== pending.colour) || (pending.size && o.size && o.size !== pending.size)) {
        return { ok: false, reason: 'an object given two different attributes' };
      }
      Object.assign(o, {
        ...(pending.colour && { colour: pending.colour }),
        ...(pending.size && { size: pending.size }),
        ...(pending.position && { position: pending.position }),
      });
    }
  }
  if (objects.length === 0) return { ok: false, reason: 'no shape named' };
  return { ok: true, query: { objects, relations } };
}
