// Chooses A1111 or Compel for a prompt: Compel when it uses a construct only Compel gives a meaning to.
//
// Known false positives, for which the caller can force a syntax: "C++" and a word glued to a trailing
// "-" ("self- portrait") read as Compel weights, and "(best quality)1girl" as a Compel number suffix.
import type { EmphasisSyntax, EmphasisSyntaxOption } from './promptTypes';

const COMPEL_ONLY: RegExp[] = [
  // ("a", "b").blend(1, 0.8), .and(), .add()
  /\)\s*\.(?:blend|and|add)\s*\(/,
  // (a cat).swap(dog), cat.swap(dog), (a cat).attend(...): Compel method calls the studio reports as unsupported
  /[\p{L}\p{N}_)"]\.(?:swap|attend)\(/u,
  // (words)1.3, (words).5, (words)+, "words"--
  /[)"](?:\d|\.\d|[+-]+(?=$|[\s,.()"=]))/,
  // word+, word-- (a sign run glued to a word and ending it; "t-shirt" does not match)
  /[\p{L}\p{N}_][+-]+(?=$|[\s,.()"=])/u,
];

/** The syntax a prompt most likely uses. */
export function detectSyntax(prompt: string): EmphasisSyntax {
  // An escaped character is text in both dialects, so it cannot signal either.
  const unescaped = prompt.replace(/\\[\s\S]/g, '__');
  return COMPEL_ONLY.some((pattern) => pattern.test(unescaped)) ? 'compel' : 'a1111';
}

export function resolveSyntax(prompt: string, option: EmphasisSyntaxOption): EmphasisSyntax {
  return option === 'auto' ? detectSyntax(prompt) : option;
}
