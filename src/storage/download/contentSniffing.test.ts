// Content sniffing on real bytes: the tiny model's ONNX files pass; HTML pages and other bodies do not.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkFileHead, checkJson, isHtmlContentType, sniffKind } from './contentSniffing';

const bytes = (text: string) => new TextEncoder().encode(text);
const URL = 'https://huggingface.co/a/b/resolve/main/unet/model.onnx';

describe('content sniffing', () => {
  it('accepts the first bytes of every tiny-model ONNX file (ir_version comes first)', () => {
    for (const path of ['text_encoder/model.onnx', 'unet/model.onnx', 'vae_decoder/model_int8.onnx']) {
      const head = new Uint8Array(readFileSync(`public/models/tiny-sd/${path}`)).subarray(0, 64);
      expect(() => checkFileHead(path, head, URL)).not.toThrow();
    }
  });

  it.each([
    '<!DOCTYPE html><html><body>Sign in</body></html>',
    '\uFEFF  \n<!doctype HTML>',
    '<html lang="en">',
    '\r\n<HEAD><title>502</title>',
  ])('rejects an HTML page in place of a model: %j', (page) => {
    expect(() => checkFileHead('unet/model.onnx', bytes(page), URL)).toThrow(
      `Model file unet/model.onnx came back as an HTML page, not the file (from ${URL})`,
    );
    expect(() => checkFileHead('unet/model.onnx_data', bytes(page), URL)).toThrow('came back as an HTML page');
  });

  it('rejects a .onnx whose first byte is not the ir_version tag, but not raw external data', () => {
    const notOnnx = Uint8Array.from([0x12, 0x07, 0x70, 0x79, 0x74]);
    expect(() => checkFileHead('unet/model.onnx', notOnnx, URL)).toThrow('Model file unet/model.onnx is not an ONNX model');
    expect(() => checkFileHead('unet/model.onnx_data', notOnnx, URL)).not.toThrow();
  });

  it('tells HTML content types and file kinds apart', () => {
    expect(isHtmlContentType('text/html; charset=utf-8')).toBe(true);
    expect(isHtmlContentType('TEXT/HTML')).toBe(true);
    expect(isHtmlContentType('application/octet-stream')).toBe(false);
    expect(isHtmlContentType('text/htmlx')).toBe(false);
    expect(isHtmlContentType(null)).toBe(false);
    expect([
      sniffKind('a/model.onnx'),
      sniffKind('tokenizer/tokenizer.json'),
      sniffKind('a/model.onnx_data'),
      sniffKind('merges.txt'),
    ]).toEqual(['onnx', 'json', 'other', 'other']);
  });

  it('accepts JSON that parses and names the file when it does not', () => {
    expect(() =>
      checkJson('tokenizer/tokenizer.json', new Uint8Array(readFileSync('public/models/tiny-sd/tokenizer/tokenizer.json'))),
    ).not.toThrow();
    expect(() => checkJson('tokenizer/tokenizer_config.json', bytes('{"a": 1,'))).toThrow(
      /^Model file tokenizer\/tokenizer_config\.json is not valid JSON/,
    );
    expect(() => checkJson('x.json', Uint8Array.from([0x7b, 0xff, 0x7d]))).toThrow('is not valid JSON'); // not UTF-8
  });
});
