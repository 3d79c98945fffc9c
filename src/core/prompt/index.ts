// Public entry point of per-token emphasis: parsing (A1111 / Compel), token weights in 77-token windows, the weight maths, and word chips.
//
// Pure TypeScript: no DOM, no React, no onnxruntime. Typical use in the pipeline:
//   const parsed = parsePrompt(text, { syntax: 'auto' });            // diagnostics for the UI, never throws
//   const perPart = parsedPromptTokenWeights(parsed, tokenizer);      // tokens + weights per 77-token window
//   z = applyA1111Emphasis(z, window.weights)                         // or applyLerpFromEmpty / attentionGains
// BREAK works in both dialects; AND is A1111 only (Compel uses ("a", "b").and()).

export { parsePrompt, parsePromptStructure } from './parsePrompt';
export type { ParsePromptOptions } from './parsePrompt';
export { detectSyntax } from './detectSyntax';
export type {
  ComposablePrompt,
  EmphasisSyntax,
  EmphasisSyntaxOption,
  ParsedPrompt,
  PromptChunk,
  PromptCombination,
  PromptDiagnostic,
  PromptFragment,
} from './promptTypes';

export { concatenatedWindowWeights, parsedPromptTokenWeights, promptTokenWeights } from './tokenWindows';
export type { DroppedWord, PromptTokenWeights, TokenSource, TokenWindow, TokenWindowOptions } from './tokenWindows';
export type { TextTokenizer } from './wordTokens';

export { applyA1111Emphasis, applyLerpFromEmpty, attentionGains, EMPHASIS_MODES } from './emphasisMath';
export type { A1111Normalization, EmphasisMode, EmphasisModeInfo } from './emphasisMath';

export { promptToChips } from './promptChips';
export type { PromptChip } from './promptChips';
export { setWordWeight } from './setWordWeight';

export { A1111_EMPHASIS, CLIP_WINDOW, COMPEL_EMPHASIS } from './emphasisConstants';
