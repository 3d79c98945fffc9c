// A yes/no question about the image, with what in the prompt it concerns (so the loop can steer those tokens).

export type QuestionKind = 'object' | 'attribute' | 'relation' | 'position' | 'whole' | 'track' | 'custom';

/** A character range of the prompt a question is about. */
export interface PromptSpan {
  start: number;
  end: number;
  text: string;
}

export interface CheckerQuestion {
  id: string;
  text: string;
  kind: QuestionKind;
  /** The prompt words the question concerns: emphasis would raise these tokens. */
  spans: PromptSpan[];
  /** Indices of the MaskDiffusion objects (splitSubPrompts) the question concerns. */
  objectIndices: number[];
  /** The PRISM-style track a template question came from. */
  track?: string;
}

let counter = 0;

/** Ids only need to be unique within a page session (list keys, edits). */
export function newQuestionId(): string {
  counter += 1;
  return `q${counter}-${Math.random().toString(36).slice(2, 7)}`;
}

export function customQuestion(text: string): CheckerQuestion {
  return { id: newQuestionId(), text, kind: 'custom', spans: [], objectIndices: [] };
}

/** Drops repeated question texts (case-insensitive), keeping the first. */
export function uniqueQuestions(questions: CheckerQuestion[]): CheckerQuestion[] {
  const seen = new Set<string>();
  return questions.filter((q) => {
    const key = q.text.trim().toLowerCase();
    if (!key || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
