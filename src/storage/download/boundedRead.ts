// Reads a small response (a manifest, a JSON file) with a byte limit, so a server cannot make the studio hold an endless body.
import { StudioError } from '../../shared/errors';

/** A model manifest is a few KB; this leaves room for long notes and many files while refusing anything huge. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;

/** The body as text; throws naming `what` once more than `maxBytes` arrived (the rest is not read). */
export async function readBoundedText(response: Response, maxBytes: number, what: string): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  const tooLarge = () =>
    new StudioError({
      code: 'model-load',
      stage: 'load',
      message: `${what} is larger than ${maxBytes} bytes, more than such a file can be.`,
      remedy: 'Check the URL: it should point at a small JSON file.',
    });
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  const reader = response.body?.getReader();
  if (!reader) return '';
  const parts: Uint8Array[] = [];
  let received = 0;
  for (let part = await reader.read(); !part.done; part = await reader.read()) {
    received += part.value.length;
    if (received > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    parts.push(part.value);
  }
  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return new TextDecoder().decode(bytes);
}
