// Compel's whole-prompt operators: `("a", "b").blend(1, 0.8[, no_normalize])` and `("a", "b").and(1, 0.5)` (or `.add`).
//
// Compel only accepts these as the entire prompt. When text sits outside the operator we keep the
// operator's parts, ignore the outside text and say so in a diagnostic. Missing weights default to 1
// (reported for .blend, which needs them); extra or unreadable weights are reported and ignored / read as 1.
import { parseCompelPart } from './compelSyntax';
import type { ParsedPart, PromptDiagnostic, PromptStructure } from './promptTypes';

const OPERATOR_AFTER_LIST = /^\s*\.(blend|and|add)\s*\(/;
const WEIGHT_ARGUMENT = /^[-+]?(?:\d+\.?\d*|\.\d+)$/;

interface OperatorSpan {
  name: 'blend' | 'and' | 'add';
  /** Positions of the list's `(` and `)`. */
  listOpen: number;
  listClose: number;
  /** Range of the argument text and the end of the whole construct. */
  argsStart: number;
  argsEnd: number;
  end: number;
}

/** Finds `( ... ).blend(` / `.and(` / `.add(` outside quotes and brackets; null when the prompt has none. */
function findOperator(prompt: string): OperatorSpan | null {
  const opens: number[] = [];
  let inQuote = false;
  for (let i = 0; i < prompt.length; i++) {
    const c = prompt[i];
    if (c === '\\') i++;
    else if (c === '"') inQuote = !inQuote;
    else if (inQuote) continue;
    else if (c === '(') opens.push(i);
    else if (c === ')' && opens.length > 0) {
      const listOpen = opens.pop()!;
      const op = opens.length === 0 ? OPERATOR_AFTER_LIST.exec(prompt.slice(i + 1)) : null;
      if (!op) continue;
      const argsStart = i + 1 + op[0].length;
      const close = prompt.indexOf(')', argsStart);
      const argsEnd = close < 0 ? prompt.length : close;
      return {
        name: op[1] as OperatorSpan['name'],
        listOpen,
        listClose: i,
        argsStart,
        argsEnd,
        end: close < 0 ? prompt.length : close + 1,
      };
    }
  }
  return null;
}

/** Splits [from, to) at commas outside quotes and brackets. */
function splitTopLevel(prompt: string, from: number, to: number): Array<[number, number]> {
  const items: Array<[number, number]> = [];
  let depth = 0;
  let inQuote = false;
  let itemStart = from;
  for (let i = from; i < to; i++) {
    const c = prompt[i];
    if (c === '\\') i++;
    else if (c === '"') inQuote = !inQuote;
    else if (inQuote) continue;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      items.push([itemStart, i]);
      itemStart = i + 1;
    }
  }
  items.push([itemStart, to]);
  return items;
}

function trimRange(prompt: string, [from, to]: [number, number]): [number, number] {
  while (from < to && /\s/.test(prompt[from])) from++;
  while (to > from && /\s/.test(prompt[to - 1])) to--;
  return [from, to];
}

/** A list item is a quoted prompt (`"a cat"`, the usual form) or a bare / parenthesised fragment. */
function parseItem(prompt: string, range: [number, number], diagnostics: PromptDiagnostic[]): ParsedPart {
  const [from, to] = trimRange(prompt, range);
  if (from === to)
    diagnostics.push({
      message: 'Empty item in the list: it is encoded as an empty prompt.',
      start: range[0],
      end: Math.max(range[0], range[1]),
    });
  const isQuoted =
    to - from >= 2 &&
    prompt[from] === '"' &&
    prompt[to - 1] === '"' &&
    prompt[to - 2] !== '\\' &&
    !/(^|[^\\])"/.test(prompt.slice(from + 1, to - 1));
  return isQuoted
    ? parseCompelPart(prompt, from + 1, to - 1, 1, true, diagnostics)
    : parseCompelPart(prompt, from, to, 1, false, diagnostics);
}

export function parseCompel(prompt: string): PromptStructure {
  const diagnostics: PromptDiagnostic[] = [];
  const op = findOperator(prompt);
  if (!op) {
    return {
      syntax: 'compel',
      combination: 'composable',
      normalizeWeights: true,
      parts: [parseCompelPart(prompt, 0, prompt.length, 1, false, diagnostics)],
      diagnostics,
    };
  }
  const where = `.${op.name}(...)`;
  if (prompt.slice(0, op.listOpen).trim() !== '')
    diagnostics.push({
      message: `Text before ("...")${where} is ignored: Compel needs the operator to be the whole prompt.`,
      start: 0,
      end: op.listOpen,
    });
  if (prompt.slice(op.end).trim() !== '')
    diagnostics.push({
      message: `Text after ("...")${where} is ignored: Compel needs the operator to be the whole prompt.`,
      start: op.end,
      end: prompt.length,
    });
  if (op.end === prompt.length && prompt[op.argsEnd] !== ')')
    diagnostics.push({
      message: `Unclosed "(" of ${where}: weights read to the end of the prompt.`,
      start: op.argsStart - 1,
      end: op.argsStart,
    });

  const parts = splitTopLevel(prompt, op.listOpen + 1, op.listClose).map((range) => parseItem(prompt, range, diagnostics));
  let normalizeWeights = true;
  const weights: number[] = [];
  const args =
    op.argsStart === op.argsEnd && prompt.slice(op.argsStart, op.argsEnd).trim() === ''
      ? []
      : splitTopLevel(prompt, op.argsStart, op.argsEnd);
  for (const range of args) {
    const [from, to] = trimRange(prompt, range);
    const text = prompt.slice(from, to);
    if (op.name === 'blend' && text === 'no_normalize') normalizeWeights = false;
    else if (WEIGHT_ARGUMENT.test(text)) weights.push(Number(text));
    else if (text !== '' || args.length > 1) {
      diagnostics.push({
        message: `"${text}" is not a weight: read as 1.`,
        start: from,
        end: Math.min(prompt.length, Math.max(to, from + 1)),
      });
      weights.push(1);
    }
  }
  if (weights.length > parts.length) {
    diagnostics.push({
      message: `${where} has ${weights.length} weights for ${parts.length} prompts: the extra weights are ignored.`,
      start: op.argsStart,
      end: op.argsEnd,
    });
  } else if (weights.length < parts.length && (op.name === 'blend' || weights.length > 0)) {
    diagnostics.push({
      message: `${where} has ${weights.length} weights for ${parts.length} prompts: the missing ones are 1.`,
      start: op.argsStart,
      end: op.argsEnd,
    });
  }
  parts.forEach((part, k) => (part.weight = weights[k] ?? 1));
  return { syntax: 'compel', combination: op.name === 'blend' ? 'blend' : 'concat', normalizeWeights, parts, diagnostics };
}
