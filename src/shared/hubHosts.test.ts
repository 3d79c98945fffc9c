import { describe, expect, it } from 'vitest';
import { DEFAULT_HUB_HOSTS, downloadBase, hubFileUrl, usesMirror } from './hubHosts';

const mirror = { hubBase: 'https://huggingface.co', mirrorBase: 'https://models.example.internal/hf/' };

describe('hub or mirror', () => {
  it('downloads from the hub unless the mirror is both set and chosen', () => {
    expect(downloadBase(DEFAULT_HUB_HOSTS)).toBe('https://huggingface.co');
    expect(downloadBase(mirror)).toBe('https://huggingface.co');
    expect(downloadBase({ ...DEFAULT_HUB_HOSTS, useMirror: true })).toBe('https://huggingface.co');
    expect(usesMirror({ ...DEFAULT_HUB_HOSTS, useMirror: true })).toBe(false);
    expect(downloadBase({ ...mirror, useMirror: true })).toBe('https://models.example.internal/hf');
    expect(usesMirror({ ...mirror, useMirror: true })).toBe(true);
  });

  it('builds {base}/{repo}/resolve/{revision}/{path} with each segment encoded', () => {
    expect(hubFileUrl({ ...mirror, useMirror: true }, 'org/model', 'refs/pr/1', 'unet/model #1.onnx')).toBe(
      'https://models.example.internal/hf/org/model/resolve/refs%2Fpr%2F1/unet/model%20%231.onnx',
    );
  });
});
