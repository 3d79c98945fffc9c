// Pluggable adjustments for the feedback loop: each proposes one change to the settings for the questions that failed.
import { promptToChips, setWordWeight } from '../../core/prompt';
import type { GenerationSettings } from '../../shared/settings';
import { FEEDBACK_LOOP } from '../checkerConstants';
import type { FailedQuestion } from '../scoreSummary';

export type AdjustmentId = 'mask-strength' | 'seed' | 'emphasis';

/** One thing a round changed, in words the round list shows. */
export interface SettingChange {
  adjustment: AdjustmentId;
  what: string;
  from: string;
  to: string;
  because: string;
}

export interface AdjustmentContext {
  /** The best round's settings so far: every round starts from the best, not the last. */
  base: GenerationSettings;
  /** The settings of round 0, the image the user started from. */
  start: GenerationSettings;
  failed: FailedQuestion[];
  /** How many earlier rounds this adjustment made (best-of-N counts its seeds with it). */
  timesUsed: number;
  capabilities: { maskDiffusion: boolean };
}

export interface Adjustment {
  id: AdjustmentId;
  label: string;
  /** Returns the new settings and what changed, or null when it has nothing to offer for these failures. */
  propose(ctx: AdjustmentContext): { settings: GenerationSettings; changes: SettingChange[] } | null;
}

const quoted = (failed: FailedQuestion[]) => failed.map((f) => `"${f.question.text}"`).join(', ');

/** Raises MaskDiffusion's strength (switching it on first) when a failed question concerns one of the prompt's objects. */
export const maskStrengthAdjustment: Adjustment = {
  id: 'mask-strength',
  label: 'MaskDiffusion strength',
  propose({ base, failed, capabilities }) {
    const aboutObjects = failed.filter((f) => f.question.objectIndices.length > 0);
    if (!capabilities.maskDiffusion || aboutObjects.length === 0) return null;
    const md = base.maskDiffusion;
    const strength = md.enabled
      ? Math.min(FEEDBACK_LOOP.maskStrengthCap, md.strength + FEEDBACK_LOOP.maskStrengthStep)
      : Math.max(md.strength, FEEDBACK_LOOP.maskStrengthStart);
    if (md.enabled && strength <= md.strength) return null;
    const from = md.enabled ? md.strength.toFixed(1) : 'off';
    return {
      settings: { ...base, maskDiffusion: { ...md, enabled: true, strength } },
      changes: [
        {
          adjustment: 'mask-strength',
          what: 'MaskDiffusion strength',
          from,
          to: strength.toFixed(1),
          because: `failed: ${quoted(aboutObjects)}`,
        },
      ],
    };
  },
};

/** Best-of-N: another seed, from a fixed sequence after the starting seed, so a rerun tries the same candidates. */
export const seedAdjustment: Adjustment = {
  id: 'seed',
  label: 'New seed (best-of-N)',
  propose({ base, start, failed, timesUsed }) {
    if (failed.length === 0) return null;
    const seed = (start.seed + (timesUsed + 1) * FEEDBACK_LOOP.seedStride) >>> 0;
    return {
      settings: { ...base, seed },
      changes: [
        {
          adjustment: 'seed',
          what: 'seed',
          from: String(base.seed),
          to: String(seed),
          because: `candidate ${timesUsed + 2} of best-of-N for ${quoted(failed)}`,
        },
      ],
    };
  },
};

/** The single words a failed question is about (not the whole-prompt question, which would raise everything). */
function failedWords(failed: FailedQuestion[]): Set<string> {
  const spans = failed.filter((f) => f.question.kind !== 'whole').flatMap((f) => f.question.spans);
  return new Set(spans.map((s) => s.text.trim().toLowerCase()).filter((w) => /^[\p{L}\p{N}'’-]+$/u.test(w)));
}

/**
 * Raises the prompt weight of the words the failed questions concern, rewriting the prompt in its own
 * emphasis syntax (A1111 "(red:1.1)" or Compel "red+") through the prompt module's setWordWeight.
 */
export const emphasisAdjustment: Adjustment = {
  id: 'emphasis',
  label: 'Emphasis of the failed words',
  propose({ base, failed }) {
    const words = failedWords(failed);
    if (words.size === 0) return null;
    const syntax = base.emphasis.syntax;
    let prompt = base.prompt;
    const changes: SettingChange[] = [];
    // Rewriting adds syntax but never words, so chip indices stay valid from one rewrite to the next.
    const count = promptToChips(prompt, { syntax }).length;
    for (let i = 0; i < count; i++) {
      const chip = promptToChips(prompt, { syntax })[i];
      if (!words.has(chip.text.toLowerCase())) continue;
      const to = Math.min(FEEDBACK_LOOP.emphasisCap, Math.round(chip.weight * FEEDBACK_LOOP.emphasisStep * 100) / 100);
      if (to <= chip.weight + 1e-9) continue;
      prompt = setWordWeight(prompt, i, to, syntax);
      const about = failed.filter((f) => f.question.spans.some((s) => s.text.trim().toLowerCase() === chip.text.toLowerCase()));
      changes.push({
        adjustment: 'emphasis',
        what: `weight of "${chip.text}"`,
        from: chip.weight.toFixed(2),
        to: to.toFixed(2),
        because: `failed: ${quoted(about)}`,
      });
    }
    return changes.length ? { settings: { ...base, prompt }, changes } : null;
  },
};

/** In the order the loop tries them: round k starts with the k-th. */
export const AVAILABLE_ADJUSTMENTS: Adjustment[] = [maskStrengthAdjustment, seedAdjustment, emphasisAdjustment];
