// Per-token emphasis weights in 77-token encoder windows, chunked the way A1111 chunks long prompts.
//
// A sub-prompt's tokens fill windows of 75 content tokens, each framed as
// [start, content..., end, padding...] (77 positions; weight 1 for start, end and padding). When a window
// fills up and a comma sits within its last `commaBacktrack` tokens, the text after the comma moves to the
// next window (A1111's comma_padding_backtrack); otherwise the cut is a plain 75-token cut. BREAK always
// starts a new window. With `maxChunks`, windows past the limit are dropped and their words listed; the last
// kept window then skips the comma backtrack, because moving text into a window that is dropped would only
// lose it. With the SD 1.x padding (the end token) the layout equals A1111's [start, content, pad..., end].
import { CLIP_WINDOW } from './emphasisConstants';
import type { ComposablePrompt, ParsedPrompt } from './promptTypes';
import { weightedChunkTokens, type TextTokenizer, type PromptWord, type WeightedToken } from './wordTokens';

export interface TokenWindowOptions {
  /** Keep at most this many windows (1 for a pipeline that encodes a single 77-token window). */
  maxChunks?: number;
  /** Default 20 (A1111); 0 cuts plainly every 75 tokens. */
  commaBacktrack?: number;
  startToken?: string;
  endToken?: string;
  /** Default: the end token (SD 1.x); SD 2.x's OpenCLIP pads with "!". */
  padToken?: string;
}

/** Where a token came from: its word's character range in the prompt and the word's index in its sub-prompt. */
export interface TokenSource {
  start: number;
  end: number;
  word: number;
}

export interface TokenWindow {
  /** 77 token strings: start, content, end, padding. */
  tokens: string[];
  /** 77 emphasis weights aligned with `tokens`. */
  weights: Float32Array;
  /** Per position, the word a content token came from; null for start, end and padding. */
  sources: Array<TokenSource | null>;
  /** Content tokens in this window (at most 75). */
  contentLength: number;
}

export interface DroppedWord {
  text: string;
  start: number;
  end: number;
  /** Some of the word's tokens made it into the kept windows. */
  partial: boolean;
}

export interface PromptTokenWeights {
  windows: TokenWindow[];
  /** Content tokens of the sub-prompt before truncation. */
  tokenCount: number;
  /** Words that lost tokens to `maxChunks`, in prompt order (empty without truncation). */
  droppedWords: DroppedWord[];
}

function isCommaToken(token: string): boolean {
  return token.replace(/<\/w>$|^Ġ|^▁/g, '') === ',';
}

/** Splits a sub-prompt's weighted tokens into windows (content only, before framing). */
function chunkTokens(chunks: WeightedToken[][], maxChunks: number, backtrack: number): WeightedToken[][] {
  const windows: WeightedToken[][] = [];
  let current: WeightedToken[] = [];
  let lastComma = -1;
  const finish = () => {
    windows.push(current);
    current = [];
    lastComma = -1;
  };
  chunks.forEach((chunk, c) => {
    if (c > 0) finish(); // BREAK, even when the window so far is empty (as A1111)
    for (const token of chunk) {
      const lastKept = windows.length >= maxChunks - 1;
      if (isCommaToken(token.token)) {
        lastComma = current.length;
      } else if (
        backtrack > 0 &&
        !lastKept &&
        current.length === CLIP_WINDOW.contentTokens &&
        lastComma !== -1 &&
        current.length - lastComma <= backtrack
      ) {
        const moved = current.splice(lastComma + 1);
        finish();
        current = moved;
      }
      if (current.length === CLIP_WINDOW.contentTokens) finish();
      current.push(token);
    }
  });
  if (current.length > 0 || windows.length === 0) finish();
  return windows;
}

function frameWindow(
  content: WeightedToken[],
  words: PromptWord[],
  options: Required<Omit<TokenWindowOptions, 'maxChunks' | 'commaBacktrack'>>,
): TokenWindow {
  const { windowTokens } = CLIP_WINDOW;
  const tokens: string[] = [options.startToken];
  const weights = new Float32Array(windowTokens).fill(1);
  const sources: Array<TokenSource | null> = [null];
  content.forEach((t, i) => {
    tokens.push(t.token);
    weights[i + 1] = t.weight;
    sources.push({ start: words[t.word].start, end: words[t.word].end, word: t.word });
  });
  tokens.push(options.endToken);
  sources.push(null);
  while (tokens.length < windowTokens) {
    tokens.push(options.padToken);
    sources.push(null);
  }
  return { tokens, weights, sources, contentLength: content.length };
}

/** Per-window tokens and weights of one sub-prompt. */
export function promptTokenWeights(
  prompt: ComposablePrompt,
  tokenizer: TextTokenizer,
  options: TokenWindowOptions = {},
): PromptTokenWeights {
  const maxChunks = Math.max(1, Math.floor(options.maxChunks ?? Infinity));
  const backtrack = Math.max(0, options.commaBacktrack ?? CLIP_WINDOW.commaBacktrack);
  const endToken = options.endToken ?? CLIP_WINDOW.endToken;
  const framing = { startToken: options.startToken ?? CLIP_WINDOW.startToken, endToken, padToken: options.padToken ?? endToken };
  const { tokens, words } = weightedChunkTokens(prompt.chunks, tokenizer);
  const contents = chunkTokens(tokens, maxChunks, backtrack);
  const kept = contents.slice(0, maxChunks);
  const keptWords = new Set(kept.flat().map((t) => t.word));
  const droppedIndices = [
    ...new Set(
      contents
        .slice(maxChunks)
        .flat()
        .map((t) => t.word),
    ),
  ];
  return {
    windows: kept.map((content) => frameWindow(content, words, framing)),
    tokenCount: tokens.reduce((n, chunk) => n + chunk.length, 0),
    droppedWords: droppedIndices.map((w) => ({ ...words[w], partial: keptWords.has(w) })),
  };
}

/** `promptTokenWeights` for every sub-prompt of a parsed prompt. */
export function parsedPromptTokenWeights(
  parsed: ParsedPrompt,
  tokenizer: TextTokenizer,
  options: TokenWindowOptions = {},
): PromptTokenWeights[] {
  return parsed.prompts.map((prompt) => promptTokenWeights(prompt, tokenizer, options));
}

/** The windows' weights one after another, as for embeddings concatenated along the token axis. */
export function concatenatedWindowWeights(windows: TokenWindow[]): Float32Array {
  const out = new Float32Array(windows.length * CLIP_WINDOW.windowTokens);
  windows.forEach((w, i) => out.set(w.weights, i * CLIP_WINDOW.windowTokens));
  return out;
}
