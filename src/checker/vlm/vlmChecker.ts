// The VLM checker: P(Yes) from the next-token logits of an Idefics3/SmolVLM model run through transformers.js.
import { RawImage, type AutoModelForVision2Seq, type AutoProcessor, type Tensor } from '@huggingface/transformers';
import { yieldToEventLoop } from '../../core/pipeline/yieldToEventLoop';
import { cancelledScoring, checkerScoreError } from '../checkerErrors';
import { CHECKER } from '../checkerConstants';
import type { Checker, CheckerImage, QuestionScore, ScoreOptions } from '../checkerTypes';
import { findAnswerTokens, yesProbability, type AnswerTokens } from './answerTokens';

export type VlmProcessor = Awaited<ReturnType<typeof AutoProcessor.from_pretrained>>;
export type VlmModel = Awaited<ReturnType<typeof AutoModelForVision2Seq.from_pretrained>>;

/** The parts of an Idefics3 model the logits path drives one by one, so the image is encoded once per score(). */
interface ImageTextModel {
  encode_image(inputs: { pixel_values: Tensor; pixel_attention_mask?: Tensor }): Promise<Tensor>;
  encode_text(inputs: { input_ids: Tensor }): Promise<Tensor>;
  _merge_input_ids_with_image_features(kwargs: {
    image_features: Tensor;
    inputs_embeds: Tensor;
    input_ids: Tensor;
    attention_mask: Tensor;
  }): { inputs_embeds: Tensor; attention_mask: Tensor };
  forward(inputs: { inputs_embeds: Tensor; attention_mask: Tensor }): Promise<{ logits: Tensor }>;
}

export interface VlmCheckerInfo {
  id: string;
  label: string;
  device: string;
  imageSplitting: boolean;
}

export class VlmChecker implements Checker {
  readonly id: string;
  readonly label: string;
  readonly answerTokens: AnswerTokens;

  constructor(
    private readonly processor: VlmProcessor,
    private readonly model: VlmModel,
    readonly info: VlmCheckerInfo,
  ) {
    this.id = info.id;
    this.label = info.label;
    const tokenizer = processor.tokenizer as { encode(text: string): number[] };
    this.answerTokens = findAnswerTokens((t) => tokenizer.encode(t), this.promptFor('Is this a test?'), {
      yes: CHECKER.yesAnswer,
      no: CHECKER.noAnswer,
    });
  }

  /** The chat-formatted prompt, ending with the generation prompt ("Assistant:") the answer follows. */
  promptFor(question: string): string {
    const messages = [
      { role: 'user', content: [{ type: 'image' }, { type: 'text', text: `${question.trim()} ${CHECKER.answerInstruction}` }] },
    ];
    return this.processor.apply_chat_template(messages, { add_generation_prompt: true }) as string;
  }

  async score(image: CheckerImage, questions: readonly string[], options: ScoreOptions = {}): Promise<QuestionScore[]> {
    const model = this.model as unknown as ImageTextModel;
    const raw = new RawImage(image.rgba, image.width, image.height, 4);
    let imageFeatures: Tensor | null = null;
    const scores: QuestionScore[] = [];
    for (const question of questions) {
      await yieldToEventLoop(); // a WASM run can resolve without returning to the event loop; a cancel must get in
      if (options.signal?.aborted) throw cancelledScoring();
      options.onProgress?.({ done: scores.length, total: questions.length, label: `Asking: ${question}` });
      try {
        const inputs = (await this.processor(this.promptFor(question), [raw], { do_image_splitting: this.info.imageSplitting })) as Record<
          string,
          Tensor
        >;
        imageFeatures ??= await model.encode_image({
          pixel_values: inputs.pixel_values,
          pixel_attention_mask: inputs.pixel_attention_mask,
        });
        const merged = model._merge_input_ids_with_image_features({
          image_features: imageFeatures,
          inputs_embeds: await model.encode_text({ input_ids: inputs.input_ids }),
          input_ids: inputs.input_ids,
          attention_mask: inputs.attention_mask,
        });
        const { logits } = await model.forward(merged);
        scores.push(this.readAnswer(question, logits));
      } catch (error) {
        throw checkerScoreError(`asking "${question}"`, error);
      }
    }
    options.onProgress?.({ done: scores.length, total: questions.length, label: 'Done' });
    return scores;
  }

  /** The last position's logits for the two answer tokens; nothing is generated or sampled. */
  private readAnswer(question: string, logits: Tensor): QuestionScore {
    const [, sequence, vocab] = logits.dims;
    const data = (logits.type === 'float32' ? logits : logits.to('float32')).data as Float32Array; // fp16 exports give fp16 logits
    const last = (sequence - 1) * vocab;
    const logitYes = Number(data[last + this.answerTokens.yes]);
    const logitNo = Number(data[last + this.answerTokens.no]);
    return {
      question,
      pYes: yesProbability(logitYes, logitNo),
      evidence: { yesTokenId: this.answerTokens.yes, noTokenId: this.answerTokens.no, logitYes, logitNo },
    };
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}
