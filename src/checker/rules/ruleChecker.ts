// A deterministic checker behind the same interface as the VLM: colour and region rules measured on the pixels.
import type { Checker, CheckerImage, QuestionScore, ScoreOptions } from '../checkerTypes';
import { yieldToEventLoop } from '../../core/pipeline/yieldToEventLoop';
import { cancelledScoring } from '../checkerErrors';
import { colourDominance, parseColourRule, REGIONS, type ColourName, type ColourRule, type RegionName } from './colourRegionRules';

export const RULES = {
  /**
   * Logistic gain on a mean-dominance difference: a 0.1 lead (a tenth of full scale) reads as
   * P(Yes) = 0.77, so the noise-like images of a random model land between the extremes.
   */
  dominanceGain: 12,
  /** Logistic gain on a centroid distance in image widths: a quarter-width gap reads as 0.88. */
  positionGain: 8,
} as const;

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

export function meanDominance(image: CheckerImage, colour: ColourName, region: RegionName): number {
  const box = REGIONS[region];
  const x0 = Math.floor(box.x0 * image.width);
  const x1 = Math.ceil(box.x1 * image.width);
  const y0 = Math.floor(box.y0 * image.height);
  const y1 = Math.ceil(box.y1 * image.height);
  let sum = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * image.width + x) * 4;
      sum += colourDominance(colour, image.rgba[i], image.rgba[i + 1], image.rgba[i + 2]);
    }
  }
  return sum / Math.max(1, (x1 - x0) * (y1 - y0));
}

/** Where a colour sits: the centroid (0..1) of its positive dominance, or the centre when absent. */
export function colourCentroid(image: CheckerImage, colour: ColourName): { x: number; y: number } {
  let weight = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const i = (y * image.width + x) * 4;
      const w = Math.max(0, colourDominance(colour, image.rgba[i], image.rgba[i + 1], image.rgba[i + 2]));
      weight += w;
      sx += w * (x + 0.5);
      sy += w * (y + 0.5);
    }
  }
  return weight > 0 ? { x: sx / weight / image.width, y: sy / weight / image.height } : { x: 0.5, y: 0.5 };
}

export function evaluateRule(image: CheckerImage, rule: ColourRule): number {
  switch (rule.type) {
    case 'compare':
      return sigmoid(
        RULES.dominanceGain * (meanDominance(image, rule.colour, rule.region) - meanDominance(image, rule.colour, rule.other)),
      );
    case 'presence':
      return sigmoid(RULES.dominanceGain * meanDominance(image, rule.colour, rule.region));
    case 'relation': {
      const a = colourCentroid(image, rule.first)[rule.axis];
      const b = colourCentroid(image, rule.second)[rule.axis];
      return sigmoid(RULES.positionGain * (rule.firstSmaller ? b - a : a - b));
    }
  }
}

export function describeRule(rule: ColourRule): string {
  switch (rule.type) {
    case 'compare':
      return `mean ${rule.colour} of the ${rule.region} vs the ${rule.other}`;
    case 'presence':
      return `mean ${rule.colour} of the ${rule.region}`;
    case 'relation':
      return `${rule.first} centroid vs ${rule.second} centroid along ${rule.axis}`;
  }
}

export class RuleChecker implements Checker {
  readonly id = 'rules';
  readonly label = 'Colour & region rules (programmatic)';

  async score(image: CheckerImage, questions: readonly string[], options: ScoreOptions = {}): Promise<QuestionScore[]> {
    const scores: QuestionScore[] = [];
    for (const question of questions) {
      await yieldToEventLoop(); // lets a cancel message in between questions
      if (options.signal?.aborted) throw cancelledScoring();
      const rule = parseColourRule(question);
      scores.push(
        rule
          ? { question, pYes: evaluateRule(image, rule), note: `rule: ${describeRule(rule)}` }
          : {
              question,
              pYes: 0.5,
              note: 'The rules read only colours (red, green, blue, yellow, bright, dark) and regions; this question names none, so it scores an even 0.5.',
            },
      );
      options.onProgress?.({ done: scores.length, total: questions.length, label: 'Measuring' });
    }
    return scores;
  }
}
