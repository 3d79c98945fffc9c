// Sub-prompt embedding swap: each object's tokens in the full prompt take the embedding they get alone.
import type { TokenSpan } from './tokenSpans';

/**
 * full: [T, D] embedding of the whole prompt; subs[i]: [T, D] embedding of sub-prompt i encoded alone
 * (its tokens start at index 1, after the start token). Returns a new [T, D] array.
 */
export function swapSubPromptEmbeddings(full: Float32Array, subs: Float32Array[], spans: TokenSpan[], hidden: number): Float32Array {
  const out = full.slice();
  spans.forEach((span, i) => {
    const length = span.end - span.start;
    out.set(subs[i].subarray(hidden, (1 + length) * hidden), span.start * hidden);
  });
  return out;
}
