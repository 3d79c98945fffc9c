// Scores a shapes query on detections: the best assignment of distinct detections to the query's objects.
import type { ShapeDetection } from './detectShapes';
import type { ObjectTerm, RelationTerm, ShapesQuery } from './shapesQuery';
import { ANSWERS, PLACEMENT } from './shapesConstants';
import { WORLD, type PositionName } from './world';

export interface QueryMatch {
  /** Product of the assigned detections' shape probabilities, 0 when no assignment meets every constraint. */
  score: number;
  /** Detection index per query object, or null when nothing fits. */
  assignment: number[] | null;
}

export function positionHolds(position: PositionName, cx: number, cy: number): boolean {
  const m = PLACEMENT.positionMargin;
  switch (position) {
    case 'left':
      return cx < 0.5 - m;
    case 'right':
      return cx > 0.5 + m;
    case 'top':
      return cy < 0.5 - m;
    case 'bottom':
      return cy > 0.5 + m;
    case 'centre':
      return Math.abs(cx - 0.5) <= PLACEMENT.centreRadius && Math.abs(cy - 0.5) <= PLACEMENT.centreRadius;
  }
}

export function relationHolds(relation: RelationTerm['relation'], a: { cx: number; cy: number }, b: { cx: number; cy: number }): boolean {
  const spec = WORLD.relations[relation];
  const key = spec.axis === 'x' ? 'cx' : 'cy';
  const lead = spec.firstSmaller ? b[key] - a[key] : a[key] - b[key];
  return lead > PLACEMENT.relationMargin;
}

/** How well one detection fits one object: P(shape), or 0 when a named colour, size or position differs. */
export function termScore(term: ObjectTerm, d: ShapeDetection): number {
  if (term.colour && d.colour !== term.colour) return 0;
  if (term.size && d.size !== term.size) return 0;
  if (term.position && !positionHolds(term.position, d.cx, d.cy)) return 0;
  return d.shapeProbs[term.shape] ?? 0;
}

export function matchQuery(query: ShapesQuery, detections: readonly ShapeDetection[]): QueryMatch {
  const n = query.objects.length;
  const fit = query.objects.map((t) => detections.map((d) => termScore(t, d)));
  let best: QueryMatch = { score: 0, assignment: null };
  const chosen: number[] = [];
  const used = new Set<number>();
  const relationsOk = () =>
    query.relations.every((r) => {
      if (r.first >= chosen.length || r.second >= chosen.length) return true; // not both placed yet
      return relationHolds(r.relation, detections[chosen[r.first]], detections[chosen[r.second]]);
    });
  const search = (k: number, score: number) => {
    if (score <= best.score) return; // products only shrink
    if (k === n) {
      best = { score, assignment: [...chosen] };
      return;
    }
    for (let j = 0; j < detections.length; j++) {
      if (used.has(j) || fit[k][j] === 0) continue;
      chosen.push(j);
      used.add(j);
      if (relationsOk()) search(k + 1, score * fit[k][j]);
      chosen.pop();
      used.delete(j);
    }
  };
  search(0, 1);
  return best;
}

/** A match score as P(Yes): clamped, because a measurement of a drawing is never fully certain. */
export function matchToPYes(score: number): number {
  return Math.min(ANSWERS.maxP, Math.max(ANSWERS.minP, score));
}
