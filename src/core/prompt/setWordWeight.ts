// Rewrites a prompt so one word chip carries a chosen weight, leaving every other character's weight as it was.
//
// The edit is local: the smallest piece of the prompt around the word that can be rewritten on its own is
// replaced. That piece starts as the word and grows over brackets that hold only this word (they are
// replaced, so `((cat))` -> `(cat:1.3)`), over brackets that cross its edges (`bl(ue sky)`), and over
// brackets of weight 0 (nothing inside can be re-weighted relative to 0). Brackets holding other words stay,
// and the new weight is written relative to them: in `(big cat:1.2)`, cat at 1.5 becomes
// `(big (cat:1.25):1.2)`. Weight 1 removes the word's own emphasis. Every edit is checked by parsing the
// result; if a check fails (a digit right after a Compel weight, say), the whole sub-prompt is rewritten
// instead. Compel cannot write negative weights: they become 0. Out-of-range chips or non-finite weights
// return the prompt unchanged.
import { WEIGHT_EPSILON } from './emphasisConstants';
import { writeEmphasis, type WriterItem } from './emphasisWriter';
import { partCharWeights, parsePromptStructure } from './parsePrompt';
import { locateChips, type LocatedChip } from './promptChips';
import { resolveSyntax } from './detectSyntax';
import type { EmphasisGroup, EmphasisSyntax, EmphasisSyntaxOption, ParsedPart } from './promptTypes';

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
/** Relative error allowed when checking an edit (weights are written with 6 decimals). */
const CHECK_TOLERANCE = 1e-5;

interface Region {
  start: number;
  end: number;
  /** Product of the brackets that enclose the region and stay. */
  outer: number;
}

/** Grows the word's source range until it can be rewritten on its own; see the file header. */
function findRegion(part: ParsedPart, chip: LocatedChip): Region {
  let start = part.chars[chip.first].start;
  let end = part.chars[chip.last - 1].end;
  const absorbed = new Set<EmphasisGroup>();
  const holdsOnlyTheWord = (g: EmphasisGroup) => {
    for (let i = g.first; i < g.last; i++) if ((i < chip.first || i >= chip.last) && LETTER_OR_DIGIT.test(part.chars[i].ch)) return false;
    return true;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const g of part.groups) {
      if (absorbed.has(g) || g.end <= start || g.start >= end) continue;
      const inside = g.start >= start && g.end <= end;
      const encloses = g.start < start && end <= g.end;
      if (inside || !encloses || holdsOnlyTheWord(g) || Math.abs(g.multiplier) < WEIGHT_EPSILON) {
        absorbed.add(g);
        start = Math.min(start, g.start);
        end = Math.max(end, g.end);
        changed = true;
      }
    }
  }
  let outer = 1;
  for (const g of part.groups) if (!absorbed.has(g) && g.start < start && end <= g.end) outer *= g.multiplier;
  return { start, end, outer };
}

/** The region's characters and BREAKs with their weights relative to the enclosing brackets. */
function regionItems(part: ParsedPart, region: Region, weightOf: (index: number) => number): WriterItem[] {
  const items: WriterItem[] = [];
  const breaks = part.breaks.filter((b) => b.start >= region.start && b.end <= region.end);
  part.chars.forEach((char, i) => {
    if (char.start < region.start || char.end > region.end) return;
    for (const b of breaks) if (b.at === i) items.push({ kind: 'break' });
    items.push({ kind: 'char', char, weight: weightOf(i) / region.outer });
  });
  const lastChar = part.chars.findIndex((c) => c.start >= region.end);
  const after = lastChar < 0 ? part.chars.length : lastChar;
  for (const b of breaks) if (b.at === after && b.start >= region.start) items.push({ kind: 'break' });
  return items;
}

/** Character weights of every part, with the chip's characters set to `weight`. */
function expectedWeights(parts: ParsedPart[], chip: LocatedChip, weight: number): number[][] {
  return parts.map((part, p) =>
    Array.from(partCharWeights(part), (w, i) => (p === chip.prompt && i >= chip.first && i < chip.last ? weight : w)),
  );
}

function matches(candidate: string, syntax: EmphasisSyntax, expectedText: string[], expected: number[][]): boolean {
  const parts = parsePromptStructure(candidate, { syntax }).parts;
  if (parts.length !== expected.length) return false;
  return parts.every((part, p) => {
    if (part.chars.map((c) => c.ch).join('') !== expectedText[p]) return false;
    const weights = partCharWeights(part);
    return expected[p].every((w, i) => Math.abs(weights[i] - w) <= CHECK_TOLERANCE * Math.max(1, Math.abs(w)));
  });
}

/**
 * A new prompt in which chip `chipIndex` (see promptToChips) has weight `weight`, written in `syntax`
 * (default: the prompt's detected syntax); other words keep their weights. Parse the result with the same
 * syntax to read it back.
 */
export function setWordWeight(prompt: string, chipIndex: number, weight: number, syntax: EmphasisSyntaxOption = 'auto'): string {
  const dialect = resolveSyntax(prompt, syntax);
  const structure = parsePromptStructure(prompt, { syntax: dialect });
  const chip = locateChips(structure)[chipIndex];
  if (!chip || !Number.isFinite(weight)) return prompt;
  const target = dialect === 'compel' ? Math.max(0, weight) : weight;
  if (!chip.mixed && Math.abs(chip.weight - target) <= WEIGHT_EPSILON) return prompt;

  const part = structure.parts[chip.prompt];
  const current = partCharWeights(part);
  const weightOf = (i: number) => (i >= chip.first && i < chip.last ? target : current[i]);
  const expected = expectedWeights(structure.parts, chip, target);
  const expectedText = structure.parts.map((p) => p.chars.map((c) => c.ch).join(''));
  const rewrite = (region: Region) =>
    prompt.slice(0, region.start) + writeEmphasis(regionItems(part, region, weightOf), dialect) + prompt.slice(region.end);

  const local = rewrite(findRegion(part, chip));
  if (matches(local, dialect, expectedText, expected)) return local;
  return rewrite({ start: part.start, end: part.end, outer: 1 });
}
