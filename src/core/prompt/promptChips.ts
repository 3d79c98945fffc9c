// Word chips for a prompt editor: each word with its weight and where its characters sit in the prompt.
import { partCharWeights, partChunkRanges, parsePromptStructure } from './parsePrompt';
import type { PromptChip } from '../../shared/promptChipsProtocol';
import type { EmphasisSyntaxOption, PromptStructure } from './promptTypes';

export type { PromptChip };

/** A chip and the character indices [first, last) of its word in its part. */
export interface LocatedChip extends PromptChip {
  first: number;
  last: number;
}

/** Letters and digits, with inner apostrophes, hyphens and underscores: "t-shirt", "don't", "8k". */
const CHIP_WORD = /[\p{L}\p{N}_]+(?:['’-][\p{L}\p{N}_]+)*/gu;

export function locateChips(structure: PromptStructure): LocatedChip[] {
  const chips: LocatedChip[] = [];
  structure.parts.forEach((part, p) => {
    const weights = partCharWeights(part);
    for (const [from, to] of partChunkRanges(part)) {
      const text = part.chars
        .slice(from, to)
        .map((c) => c.ch)
        .join('');
      for (const match of text.matchAll(CHIP_WORD)) {
        const first = from + match.index;
        const last = first + match[0].length;
        const counts = new Map<number, number>();
        for (let i = first; i < last; i++) counts.set(weights[i], (counts.get(weights[i]) ?? 0) + 1);
        let weight = weights[first];
        for (const [w, n] of counts) if (n > counts.get(weight)!) weight = w;
        chips.push({
          text: match[0],
          weight,
          mixed: counts.size > 1,
          start: part.chars[first].start,
          end: part.chars[last - 1].end,
          prompt: p,
          first,
          last,
        });
      }
    }
  });
  return chips;
}

/** The words of a prompt with their weights and character ranges, in prompt order. */
export function promptToChips(prompt: string, options: { syntax?: EmphasisSyntaxOption } = {}): PromptChip[] {
  return locateChips(parsePromptStructure(prompt, options)).map(({ first: _first, last: _last, ...chip }) => chip);
}
