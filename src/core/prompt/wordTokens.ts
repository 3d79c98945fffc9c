// Tokens of one chunk with the weight each token carries, tokenising word by word (CLIP BPE never merges across whitespace).
//
// A fragment boundary inside a word (`bl(ue)`, `(super)man`, `cat+s`) is handled so that emphasis never
// changes which tokens the encoder sees: the whole word is tokenised as in the plain prompt, and each token
// takes the weight held by most of its characters (ties: the earlier weight). When the tokenizer's pieces
// do not spell the word back (normalisation changed its length), we fall back to A1111's behaviour and
// tokenise each same-weight piece on its own.
import type { PromptChunk } from './promptTypes';

/** Anything that splits text into token strings: @huggingface/transformers' tokenizer.tokenize, or a fake in tests. */
export interface TextTokenizer {
  tokens(text: string): string[];
}

export interface WeightedToken {
  token: string;
  weight: number;
  /** Index of the word (whitespace-separated run) in its sub-prompt, counted over all its chunks. */
  word: number;
}

/** A whitespace-separated word of a sub-prompt as the encoder sees it, and where it sits in the prompt. */
export interface PromptWord {
  text: string;
  start: number;
  end: number;
}

interface WordChars {
  text: string;
  weights: number[];
  offsets: number[];
}

/** BPE markers that are not characters of the word: CLIP's end-of-word, GPT-2's space, SentencePiece's space. */
const TOKEN_MARKERS = /<\/w>$|^Ġ|^▁/g;

function spelledLength(token: string): number {
  return token.replace(TOKEN_MARKERS, '').length;
}

function splitWords(chunk: PromptChunk): WordChars[] {
  const words: WordChars[] = [];
  let current: WordChars | null = null;
  for (const fragment of chunk) {
    for (let i = 0; i < fragment.text.length; i++) {
      const ch = fragment.text[i];
      if (/\s/.test(ch)) {
        current = null;
        continue;
      }
      if (!current) words.push((current = { text: '', weights: [], offsets: [] }));
      current.text += ch;
      current.weights.push(fragment.weight);
      current.offsets.push(fragment.offsets[i]);
    }
  }
  return words;
}

/** Maximal runs of equal weight inside a word. */
function samePieces(word: WordChars): Array<{ text: string; weight: number; from: number }> {
  const pieces: Array<{ text: string; weight: number; from: number }> = [];
  word.weights.forEach((weight, i) => {
    const last = pieces[pieces.length - 1];
    if (last && last.weight === weight) last.text += word.text[i];
    else pieces.push({ text: word.text[i], weight, from: i });
  });
  return pieces;
}

function majorityWeight(weights: number[], from: number, to: number): number {
  const counts = new Map<number, number>();
  let best = weights[Math.min(from, weights.length - 1)];
  let bestCount = 0;
  for (let i = from; i < to; i++) {
    const count = (counts.get(weights[i]) ?? 0) + 1;
    counts.set(weights[i], count);
    if (count > bestCount) {
      best = weights[i];
      bestCount = count;
    }
  }
  return best;
}

function tokensOfWord(word: WordChars, tokenize: (text: string) => string[]): Array<{ token: string; weight: number }> {
  const pieces = samePieces(word);
  const pieceTokens = pieces.flatMap((p) => tokenize(p.text).map((token) => ({ token, weight: p.weight })));
  if (pieces.length === 1) return pieceTokens;
  const whole = tokenize(word.text);
  if (whole.length === pieceTokens.length && whole.every((t, k) => t === pieceTokens[k].token)) return pieceTokens;
  const lengths = whole.map(spelledLength);
  if (lengths.reduce((a, b) => a + b, 0) !== word.text.length) return pieceTokens;
  let position = 0;
  return whole.map((token, k) => {
    const weight = majorityWeight(word.weights, position, position + lengths[k]);
    position += lengths[k];
    return { token, weight };
  });
}

/** Tokens and words of a sub-prompt's chunks; `tokens[c]` are chunk c's tokens in order. */
export function weightedChunkTokens(chunks: PromptChunk[], tokenizer: TextTokenizer): { tokens: WeightedToken[][]; words: PromptWord[] } {
  const cache = new Map<string, string[]>();
  const tokenize = (text: string) => {
    let tokens = cache.get(text);
    if (!tokens) cache.set(text, (tokens = tokenizer.tokens(text)));
    return tokens;
  };
  const words: PromptWord[] = [];
  const tokens = chunks.map((chunk) =>
    splitWords(chunk).flatMap((word) => {
      const index = words.length;
      words.push({ text: word.text, start: word.offsets[0], end: word.offsets[word.offsets.length - 1] + 1 });
      return tokensOfWord(word, tokenize).map((t) => ({ ...t, word: index }));
    }),
  );
  return { tokens, words };
}
