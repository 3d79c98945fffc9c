// PRISM-Bench-style question sets (arXiv 2509.09680): one template per track, filled from the prompt.
import { splitSubPrompts } from '../../core/maskdiffusion/subPrompts';
import { CHECKER } from '../checkerConstants';
import { newQuestionId, uniqueQuestions, type CheckerQuestion } from './checkerQuestion';
import { derivePromptQuestions, plainPromptText } from './promptQuestions';

export type TrackId = 'style' | 'text-rendering' | 'composition' | 'affection' | 'entity' | 'imagination' | 'long-text';

export interface QuestionTrack {
  id: TrackId;
  label: string;
  /** What the track judges, as PRISM-Bench describes it. */
  about: string;
  questions(prompt: string): string[];
}

const STYLE_WORDS =
  /\b(?:in the style of [\p{L} .'-]+|oil painting|watercolou?r|pencil sketch|sketch|anime|cartoon|pixel art|3d render|photograph|photo|painting|illustration|digital art|impressionist|cubist|minimalist|vintage|cinematic)\b/giu;
const MOOD_WORDS =
  /\b(?:happy|joyful|cheerful|sad|melancholic|gloomy|calm|serene|peaceful|cozy|cosy|romantic|eerie|scary|spooky|angry|dramatic|mysterious|nostalgic|lonely|playful|tense)\b/gi;

function matches(prompt: string, pattern: RegExp): string[] {
  return [...new Set([...plainPromptText(prompt).matchAll(pattern)].map((m) => m[0].trim()))];
}

/** Quoted text the image should render: "a sign that says 'OPEN'" -> OPEN. */
function quotedTexts(prompt: string): string[] {
  return [...prompt.matchAll(/["“']([^"”']{1,60})["”']/g)].map((m) => m[1].trim()).filter(Boolean);
}

/** Capitalised names after the first word ("the Eiffel Tower at night" -> Eiffel Tower). */
function namedEntities(prompt: string): string[] {
  const plain = plainPromptText(prompt);
  const names = [...plain.matchAll(/(?<!^)\b\p{Lu}[\p{L}'-]*(?:\s+\p{Lu}[\p{L}'-]*)*/gu)].map((m) => m[0]);
  return [...new Set(names)];
}

/** Sentences and clauses of a long prompt, each checked on its own. */
function clauses(prompt: string): string[] {
  return plainPromptText(prompt)
    .split(/[.;!?]+|,\s+(?=\p{Ll})/u)
    .map((c) => c.trim())
    .filter((c) => c.split(/\s+/).length >= 2);
}

export const QUESTION_TRACKS: QuestionTrack[] = [
  {
    id: 'style',
    label: 'Style',
    about: 'whether the requested artistic style or medium is rendered consistently',
    questions: (prompt) => {
      const styles = matches(prompt, STYLE_WORDS);
      return [
        ...styles.map((s) =>
          s.toLowerCase().startsWith('in the style of')
            ? `Is the image ${s}?`
            : `Does the image look like ${/^[aeiou]/i.test(s) ? 'an' : 'a'} ${s}?`,
        ),
        'Is the style consistent across the whole image?',
      ];
    },
  },
  {
    id: 'text-rendering',
    label: 'Text rendering',
    about: 'whether requested text appears, spelled exactly and legible',
    questions: (prompt) => {
      const texts = quotedTexts(prompt);
      if (texts.length === 0) return ['Is there any legible text in the image?'];
      return texts
        .flatMap((t) => [`Does the image contain the text "${t}"?`, `Is the text "${t}" spelled correctly?`])
        .concat('Is all the text legible?');
    },
  },
  {
    id: 'composition',
    label: 'Composition',
    about: 'whether every object, count, position and relation is as described',
    questions: (prompt) => {
      const objects = splitSubPrompts(plainPromptText(prompt)).map((o) => o.text);
      const derived = derivePromptQuestions(prompt).filter((q) => q.kind === 'relation' || q.kind === 'position' || q.kind === 'object');
      return [
        ...(objects.length > 1 ? [`Are all of these in the image: ${objects.join('; ')}?`] : []),
        ...derived.map((q) => q.text),
        'Is the main subject fully inside the frame?',
      ];
    },
  },
  {
    id: 'affection',
    label: 'Affection',
    about: 'whether the image conveys the mood or emotion asked for',
    questions: (prompt) => {
      const moods = matches(prompt, MOOD_WORDS);
      return moods.length
        ? moods.map((m) => `Does the image feel ${m.toLowerCase()}?`)
        : ['Does the image convey a clear mood or emotion?'];
    },
  },
  {
    id: 'entity',
    label: 'Entity',
    about: 'whether named, real-world entities are recognisable',
    questions: (prompt) => {
      const names = namedEntities(prompt);
      return names.length
        ? names.map((n) => `Is ${n} recognisable in the image?`)
        : ['Is each object recognisable as what the prompt names?'];
    },
  },
  {
    id: 'imagination',
    label: 'Imagination',
    about: 'whether an unusual or impossible scene is depicted as imagined',
    questions: (prompt) => [
      `Does the image depict this scene as imagined, even if it is unrealistic: ${plainPromptText(prompt)}?`,
      'Are the unusual elements combined into one coherent scene?',
    ],
  },
  {
    id: 'long-text',
    label: 'Long text',
    about: 'whether every part of a long, detailed prompt made it into the image',
    questions: (prompt) => clauses(prompt).map((c) => `Does the image show ${c}?`),
  },
];

/** The questions one track adds for this prompt (deduplicated, at most CHECKER.maxTrackQuestions). */
export function trackQuestions(trackId: TrackId, prompt: string): CheckerQuestion[] {
  const track = QUESTION_TRACKS.find((t) => t.id === trackId);
  if (!track) return [];
  // A template question that is also a derived one keeps what it concerns, so the loop can steer it.
  const derived = new Map(derivePromptQuestions(prompt).map((q) => [q.text, q]));
  const questions = track.questions(prompt).map((text): CheckerQuestion => {
    const known = derived.get(text);
    return {
      id: newQuestionId(),
      text,
      kind: 'track',
      spans: known?.spans ?? [],
      objectIndices: known?.objectIndices ?? [],
      track: track.id,
    };
  });
  return uniqueQuestions(questions).slice(0, CHECKER.maxTrackQuestions);
}
