// Prompt tokenizer: @huggingface/transformers' CLIPTokenizer built from files we already hold (no hub fetch).
import { CLIPTokenizer } from '@huggingface/transformers';

export interface TokenizedPrompts {
  /** Row-major [prompts.length, maxLength] token ids, padded with the end token. */
  ids: Int32Array;
  /** Words that fell past the model's window, per prompt (shown to the user as a warning). */
  truncatedWords: string[][];
}

export class PromptTokenizer {
  private readonly tokenizer: CLIPTokenizer;

  constructor(tokenizerJson: object, tokenizerConfig: object, readonly maxLength: number) {
    this.tokenizer = new CLIPTokenizer(tokenizerJson, tokenizerConfig);
  }

  encode(prompts: string[]): TokenizedPrompts {
    const ids = new Int32Array(prompts.length * this.maxLength);
    const truncatedWords: string[][] = [];
    prompts.forEach((prompt, row) => {
      const full = this.tokenizer.encode(prompt) as number[];
      const kept = full.slice(0, this.maxLength);
      if (full.length > this.maxLength) {
        kept[this.maxLength - 1] = full[full.length - 1]; // keep the end token, as CLIP pipelines do
        truncatedWords.push(this.tokenizer.decode(full.slice(this.maxLength - 1, -1), { skip_special_tokens: true }).split(/\s+/).filter(Boolean));
      } else {
        truncatedWords.push([]);
      }
      const padId = this.tokenizer.pad_token_id ?? full[full.length - 1];
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
