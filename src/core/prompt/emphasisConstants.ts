// The numbers that define prompt emphasis and chunking, each from the tool whose behaviour it copies.

/** AUTOMATIC1111 (modules/prompt_parser.py, parse_prompt_attention). */
export const A1111_EMPHASIS = {
  /** `(word)` multiplies by 1.1; `((word))` by 1.1^2. */
  roundBracketMultiplier: 1.1,
  /** `[word]` divides by 1.1. */
  squareBracketMultiplier: 1 / 1.1,
} as const;

/** Compel (damian0815/compel, prompt_parser.py: attention_plus_base / attention_minus_base). */
export const COMPEL_EMPHASIS = {
  /** `word+` multiplies by 1.1 per `+`. */
  plusMultiplier: 1.1,
  /** `word-` multiplies by 0.9 per `-` (not 1/1.1: Compel's minus base differs from A1111's square bracket). */
  minusMultiplier: 0.9,
} as const;

/** CLIP text encoder window as A1111 chunks it (modules/sd_hijack_clip.py). */
export const CLIP_WINDOW = {
  /** Content tokens per chunk (A1111 `chunk_length`). */
  contentTokens: 75,
  /** Content plus the start and end tokens: the encoder's 77 positions. */
  windowTokens: 77,
  /**
   * A1111 `comma_padding_backtrack` default: when a chunk fills up and a comma sits within the last 20
   * tokens, the text after that comma moves to the next chunk so a phrase is not cut in half.
   */
  commaBacktrack: 20,
  /** CLIP's special tokens; SD 1.x pads with the end token (A1111 `id_pad = id_end`). */
  startToken: '<|startoftext|>',
  endToken: '<|endoftext|>',
} as const;

/** Weights closer than this are treated as equal when editing a prompt (formatting keeps 6 decimals). */
export const WEIGHT_EPSILON = 1e-9;

/** Decimals written for weights produced by setWordWeight (enough for a 1e-6 round trip). */
export const WEIGHT_DECIMALS = 6;
