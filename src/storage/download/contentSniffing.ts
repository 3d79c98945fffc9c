// Content sniffing: is this an ONNX protobuf or JSON, or an HTML page a server sent in its place?
import { htmlInsteadOfFileError, notJsonError, notOnnxError } from './downloadErrors';

/** Enough leading bytes to tell an HTML page (after whitespace or a BOM) from a model file. */
export const SNIFF_BYTES = 64;

/**
 * An ONNX ModelProto starts with field 1 (ir_version, a varint): tag byte (1 << 3) | 0 = 0x08.
 * Protobuf writers emit fields in field-number order, so every exporter's .onnx starts with it.
 */
const ONNX_FIRST_TAG = 0x08;

export type SniffKind = 'onnx' | 'json' | 'other';

export function sniffKind(path: string): SniffKind {
  if (path.endsWith('.onnx')) return 'onnx';
  if (path.endsWith('.json')) return 'json';
  return 'other'; // .onnx_data (raw tensor bytes), merges.txt, ...
}

export function isHtmlContentType(contentType: string | null): boolean {
  return contentType !== null && /^\s*text\/html\b/i.test(contentType);
}

function looksLikeHtml(head: Uint8Array): boolean {
  const text = new TextDecoder('utf-8', { fatal: false })
    .decode(head)
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  return text.startsWith('<!doctype') || text.startsWith('<html') || text.startsWith('<head') || text.startsWith('<body');
}

/** Checks the first bytes of a file (offset 0); throws a StudioError that names the file. */
export function checkFileHead(path: string, head: Uint8Array, url: string): void {
  if (looksLikeHtml(head.subarray(0, SNIFF_BYTES))) throw htmlInsteadOfFileError(path, url);
  if (sniffKind(path) === 'onnx' && head[0] !== ONNX_FIRST_TAG) throw notOnnxError(path);
}

/** JSON files must parse (tokenizer files are small, so this reads them whole). */
export function checkJson(path: string, bytes: Uint8Array): void {
  try {
    JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw notJsonError(path, error instanceof Error ? error.message : String(error));
  }
}
