// Reads yes/no questions about colours and image regions into rules a program can answer exactly.

export type ColourName = 'red' | 'green' | 'blue' | 'yellow' | 'bright' | 'dark';
export type RegionName = 'left half' | 'right half' | 'top half' | 'bottom half' | 'centre' | 'whole image';

/** Normalised boxes (0..1, origin top-left). */
export const REGIONS: Record<RegionName, { x0: number; y0: number; x1: number; y1: number }> = {
  'left half': { x0: 0, y0: 0, x1: 0.5, y1: 1 },
  'right half': { x0: 0.5, y0: 0, x1: 1, y1: 1 },
  'top half': { x0: 0, y0: 0, x1: 1, y1: 0.5 },
  'bottom half': { x0: 0, y0: 0.5, x1: 1, y1: 1 },
  centre: { x0: 0.25, y0: 0.25, x1: 0.75, y1: 0.75 },
  'whole image': { x0: 0, y0: 0, x1: 1, y1: 1 },
};

const COLOUR_WORDS: [RegExp, ColourName][] = [
  [/\b(?:red|reddish|crimson|scarlet)\b/, 'red'],
  [/\b(?:green|greenish|lime)\b/, 'green'],
  [/\b(?:blue|bluish|navy|azure)\b/, 'blue'],
  [/\b(?:yellow|yellowish|golden)\b/, 'yellow'],
  [/\b(?:bright|brighter|light|white)\b/, 'bright'],
  [/\b(?:dark|darker|black)\b/, 'dark'],
];

const REGION_WORDS: [RegExp, RegionName][] = [
  [/\bleft (?:half|side|part)\b|\bon the left\b(?! of)/, 'left half'],
  [/\bright (?:half|side|part)\b|\bon the right\b(?! of)/, 'right half'],
  [/\b(?:top|upper) (?:half|part)\b|\bat the top\b/, 'top half'],
  [/\b(?:bottom|lower) (?:half|part)\b|\bat the bottom\b/, 'bottom half'],
  [/\b(?:centre|center|middle)\b/, 'centre'],
];

/** "X left of Y": which axis, and whether X's centroid should have the smaller coordinate. */
const RELATION_WORDS: [RegExp, { axis: 'x' | 'y'; firstSmaller: boolean }][] = [
  [/\bleft of\b/, { axis: 'x', firstSmaller: true }],
  [/\bright of\b/, { axis: 'x', firstSmaller: false }],
  [/\babove\b|\bon top of\b/, { axis: 'y', firstSmaller: true }],
  [/\bbelow\b|\bunder\b|\bbeneath\b/, { axis: 'y', firstSmaller: false }],
];

export type ColourRule =
  | { type: 'compare'; colour: ColourName; region: RegionName; other: RegionName }
  | { type: 'presence'; colour: ColourName; region: RegionName }
  | { type: 'relation'; first: ColourName; second: ColourName; axis: 'x' | 'y'; firstSmaller: boolean };

function found<T>(text: string, table: [RegExp, T][]): { value: T; at: number }[] {
  const hits: { value: T; at: number }[] = [];
  for (const [pattern, value] of table) {
    const global = new RegExp(pattern.source, 'g');
    for (const m of text.matchAll(global)) hits.push({ value, at: m.index });
  }
  return hits.sort((a, b) => a.at - b.at);
}

/** The rule a question asks for, or null when it names no colour the rules know. */
export function parseColourRule(question: string): ColourRule | null {
  const text = question.toLowerCase();
  const colours = found(text, COLOUR_WORDS);
  if (colours.length === 0) return null;
  const regions = found(text, REGION_WORDS).map((r) => r.value);
  const comparative = /\bmore\b|\w+er than\b/.test(text) && /\bthan\b/.test(text);
  if (comparative && regions.length >= 2) return { type: 'compare', colour: colours[0].value, region: regions[0], other: regions[1] };
  const relation = found(text, RELATION_WORDS)[0];
  const distinct = [...new Set(colours.map((c) => c.value))];
  if (relation && distinct.length >= 2) return { type: 'relation', first: distinct[0], second: distinct[1], ...relation.value };
  return { type: 'presence', colour: colours[0].value, region: regions[0] ?? 'whole image' };
}

/** How strongly a pixel shows a colour, -1..1: the channel's lead over the others' mean (0 for grey). */
export function colourDominance(colour: ColourName, r: number, g: number, b: number): number {
  switch (colour) {
    case 'red':
      return (r - (g + b) / 2) / 255;
    case 'green':
      return (g - (r + b) / 2) / 255;
    case 'blue':
      return (b - (r + g) / 2) / 255;
    case 'yellow':
      return ((r + g) / 2 - b) / 255;
    case 'bright':
      return (0.299 * r + 0.587 * g + 0.114 * b - 127.5) / 127.5;
    case 'dark':
      return -(0.299 * r + 0.587 * g + 0.114 * b - 127.5) / 127.5;
  }
}
