// Finds the Yes/No answer token ids by tokenising the formatted prompt with and without each answer.
import { answerTokenError } from '../checkerErrors';

export interface AnswerTokens {
  yes: number;
  no: number;
}

/**
 * The answer's token is whatever tokenising `prompt + answer` adds after `prompt`'s own tokens. Looking it up
 * in context (after "Assistant:") gets the leading-space variant the model actually predicts there, and a
 * model whose answer is not exactly one token is refused instead of scored on a word fragment.
 */
export function findAnswerTokens(encode: (text: string) => number[], prompt: string, answers: { yes: string; no: string }): AnswerTokens {
  const base = encode(prompt);
  const idOf = (answer: string): number => {
    const full = encode(prompt + answer);
    let common = 0;
    while (common < base.length && full[common] === base[common]) common++;
    const added = full.slice(common);
    // A merge across the boundary would change the prompt's last token too: then the answer is not separable.
    if (common !== base.length || added.length !== 1) throw answerTokenError(answer, added);
    return added[0];
  };
  const yes = idOf(answers.yes);
  const no = idOf(answers.no);
  if (yes === no) throw answerTokenError(`${answers.yes}/${answers.no}`, [yes]);
  return { yes, no };
}

/** P(Yes) normalised over the two answers: softmax over [logitYes, logitNo], i.e. a logistic of their gap. */
export function yesProbability(logitYes: number, logitNo: number): number {
  return 1 / (1 + Math.exp(logitNo - logitYes));
}
