// Types of a parsed prompt: the public result (sub-prompts -> chunks -> weighted fragments) and the source-level form parsers build.

import type { EmphasisSyntaxOption } from '../../shared/settings';

/** 'auto' picks Compel when the prompt uses a Compel-only construct, otherwise A1111 (the list lives in shared/settings). */
export type { EmphasisSyntaxOption };
/** The two emphasis dialects the studio reads. */
export type EmphasisSyntax = Exclude<EmphasisSyntaxOption, 'auto'>;

/** Malformed input, reported instead of thrown; [start, end) are character positions in the prompt. */
export interface PromptDiagnostic {
  message: string;
  start: number;
  end: number;
}

/** A run of text that carries one weight. */
export interface PromptFragment {
  /** The text the encoder sees: emphasis syntax removed, escapes resolved. */
  text: string;
  weight: number;
  /** Character range in the original prompt that produced this text (syntax in between included). */
  start: number;
  end: number;
  /** Position in the original prompt of each character of `text` (an escape maps to its escaped character). */
  offsets: number[];
}

/** Fragments encoded together in one 75-token window series; BREAK starts a new chunk. */
export type PromptChunk = PromptFragment[];

/** One sub-prompt: an `AND` part (A1111) or an item of `.and()` / `.blend()` (Compel). */
export interface ComposablePrompt {
  /** The part's weight: `a cat :1.2 AND ...`, or the matching `.blend(...)` / `.and(...)` argument; 1 when absent. */
  weight: number;
  /** Character range of the part's text in the prompt (a trailing `:weight` and quotes excluded). */
  start: number;
  end: number;
  chunks: PromptChunk[];
}

/**
 * How sub-prompts combine. 'composable': A1111 `AND` (composable diffusion: one denoiser pass per part, the
 * guidance terms summed with the part weights). 'concat': Compel `.and()` (each part encoded on its own,
 * embeddings concatenated along the token axis). 'blend': Compel `.blend()` (a weighted sum of the parts'
 * embeddings). A prompt without any of these is a single 'composable' part.
 */
export type PromptCombination = 'composable' | 'concat' | 'blend';

export interface ParsedPrompt {
  /** The dialect actually used (the resolution of 'auto'). */
  syntax: EmphasisSyntax;
  combination: PromptCombination;
  /** Compel normalises blend weights to sum to 1 unless `no_normalize` is given; true for other combinations. */
  normalizeWeights: boolean;
  prompts: ComposablePrompt[];
  diagnostics: PromptDiagnostic[];
}

// ---- Source-level form: what the parsers build and the chip editor works on. ----

/** One character of a part's text and where it came from. */
export interface SourceChar {
  ch: string;
  /** Source range: one character, or two for an escape such as `\(`. */
  start: number;
  end: number;
  /** Written as an escape, so syntax-looking characters are literal. */
  escaped: boolean;
}

/** A BREAK keyword: chunk boundary before char index `at`. */
export interface ChunkBreak {
  at: number;
  start: number;
  end: number;
}

/** A bracket, quote or suffix that multiplies the weight of chars [first, last). */
export interface EmphasisGroup {
  multiplier: number;
  first: number;
  last: number;
  /** Source range of the whole construct: opening syntax, content, closing syntax and weight suffix. */
  start: number;
  end: number;
}

export interface ParsedPart {
  weight: number;
  start: number;
  end: number;
  /** Inside a Compel quoted list item, where `"` must be escaped when text is written back. */
  quoted: boolean;
  chars: SourceChar[];
  breaks: ChunkBreak[];
  groups: EmphasisGroup[];
}

export interface PromptStructure {
  syntax: EmphasisSyntax;
  combination: PromptCombination;
  normalizeWeights: boolean;
  parts: ParsedPart[];
  diagnostics: PromptDiagnostic[];
}
