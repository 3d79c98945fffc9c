// The shapes-world checker behind the shared Checker interface: exact answers from segmentation and geometry.
import type { Checker, CheckerImage, QuestionScore, ScoreOptions } from '../../checker/checkerTypes';
import { cancelledScoring } from '../../checker/checkerErrors';
import { yieldToEventLoop } from '../pipeline/yieldToEventLoop';
import { describeDetection, detectShapes, type ShapeDetection } from './detectShapes';
import { matchQuery, matchToPYes } from './matchQuery';
import { parseShapesText } from './shapesQuery';

export class ShapesChecker implements Checker {
  readonly id = 'shapes';
  readonly label = 'Shapes world (programmatic: colour segmentation and geometry)';

  async score(image: CheckerImage, questions: readonly string[], options: ScoreOptions = {}): Promise<QuestionScore[]> {
    const detections = detectShapes(image);
    const found = detections.length ? detections.map(describeDetection).join('; ') : 'no shapes';
    const scores: QuestionScore[] = [];
    for (const question of questions) {
      await yieldToEventLoop(); // lets a cancel message in between questions
      if (options.signal?.aborted) throw cancelledScoring();
      scores.push(answer(question, detections, found));
      options.onProgress?.({ done: scores.length, total: questions.length, label: 'Measuring shapes' });
    }
    return scores;
  }
}

export function answer(question: string, detections: readonly ShapeDetection[], found: string): QuestionScore {
  const parsed = parseShapesText(question);
  if (!parsed.ok) {
    return {
      question,
      pYes: 0.5,
      note: `The shapes checker reads only shapes, colours, sizes, positions and relations of its world: ${parsed.reason}, so it scores an even 0.5. Found: ${found}.`,
    };
  }
  const match = matchQuery(parsed.query, detections);
  const used = match.assignment
    ? `matched: ${match.assignment.map((i) => describeDetection(detections[i])).join('; ')}`
    : 'no assignment fits';
  return { question, pYes: matchToPYes(match.score), note: `${used}. Found: ${found}.` };
}
