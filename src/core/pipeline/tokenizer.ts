// Prompt tokenizer: @huggingface/transformers' CLIPTokenizer built from files we already hold (no hub fetch).
// The library is imported when a tokenizer is made, not with the engine worker's script: it is most of that
// script, and a model load reads it while ORT's WebAssembly starts (loadPipeline.ts).
import type { CLIPTokenizer } from '@huggingface/transformers';

export interface TokenizedPrompts {
  /** Row-major [prompts.length, maxLength] token ids, padded with the pad id (see PromptTokenizer). */
  ids: Int32Array;
  /** Words that fell past the model's window, per prompt (shown to the user as a warning). */
  truncatedWords: string[][];
}

export class PromptTokenizer {
  private readonly tokenizer: CLIPTokenizer;
  /** The manifest's pad id (SD 2.x / SD-Turbo pad with 0, "!"), else the tokenizer's own; undefined: the end token. */
  private readonly padId: number | undefined;
  /** The manifest's pad token as a string, for the emphasis windows; undefined keeps their default (the end token). */
  readonly padToken: string | undefined;

  static async create(tokenizerJson: object, tokenizerConfig: object, maxLength: number, padTokenId?: number): Promise<PromptTokenizer> {
    const { CLIPTokenizer } = await import('@huggingface/transformers');
    return new PromptTokenizer(new CLIPTokenizer(tokenizerJson, tokenizerConfig), maxLength, padTokenId);
  }

  private constructor(
    tokenizer: CLIPTokenizer,
    readonly maxLength: number,
    padTokenId?: number,
  ) {
    this.tokenizer = tokenizer;
    this.padId = padTokenId ?? this.tokenizer.pad_token_id ?? undefined;
    if (padTokenId !== undefined) {
      const token = [...this.tokenizer.get_vocab()].find(([, id]) => id === padTokenId)?.[0];
      if (token === undefined) throw new Error(`The manifest's pad token id ${padTokenId} is not in the tokenizer's vocabulary.`);
      this.padToken = token;
    }
  }

  encode(prompts: string[]): TokenizedPrompts {
    const ids = new Int32Array(prompts.length * this.maxLength);
    const truncatedWords: string[][] = [];
    prompts.forEach((prompt, row) => {
      const full = this.tokenizer.encode(prompt) as number[];
      const kept = full.slice(0, this.maxLength);
      if (full.length > this.maxLength) {
        kept[this.maxLength - 1] = full[full.length - 1]; // keep the end token, as CLIP pipelines do
        truncatedWords.push(
          this.tokenizer
            .decode(full.slice(this.maxLength - 1, -1), { skip_special_tokens: true })
            .split(/\s+/)
            .filter(Boolean),
        );
      } else {
        truncatedWords.push([]);
      }
      const padId = this.padId ?? full[full.length - 1];
      for (let i = 0; i < this.maxLength; i++) ids[row * this.maxLength + i] = i < kept.length ? kept[i] : padId;
    });
    return { ids, truncatedWords };
  }

  /** The tokens of a prompt as text pieces (for token chips and heatmaps later). */
  tokens(prompt: string): string[] {
    return this.tokenizer.tokenize(prompt);
  }

  /** Ids of token strings (the emphasis parser works on token strings to keep weights aligned). */
  ids(tokens: string[]): Int32Array {
    return Int32Array.from(tokens, (t) => {
      const id = this.tokenizer.convert_tokens_to_ids(t) as number | undefined;
      if (id === undefined || id === null) throw new Error(`The tokenizer has no token "${t}".`);
      return id;
    });
  }
}
