// The patcher on every real-model fixture family (models/fixtures/families): each attention's own dtype, the
// optimizer's fused forms, identity with neutral inputs, and the masks still steering attention in fp16 graphs.
import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel } from './onnxProto';
import { PATCHED_INPUTS as IN } from './patchContract';
import { patchDenoiser } from './patchDenoiser';
import {
  denoiserFeeds,
  familyReferenceUnet,
  familyUnet,
  feedsFor,
  filled,
  FIXTURE_FAMILIES,
  floats,
  LATENT,
  maxAbsDiffAny,
  neutralPatchBound,
  neutralPatchFeeds,
  session,
  TOKENS,
} from './patchTesting.test-support';

describe.each(FIXTURE_FAMILIES)('%s', (family) => {
  it('patched equals unpatched with strengths 0 and gains 1, and reports the attention it found', async () => {
    const { bytes, report } = patchDenoiser(familyUnet(family));
    const [plain, patched] = await Promise.all([session(familyReferenceUnet(family)), session(bytes)]);
    const { feeds, batch } = denoiserFeeds(plain, 2);
    const all = { ...feeds, ...neutralPatchFeeds(batch) };
    const a = await plain.run(feedsFor(plain, all));
    const b = await patched.run(feedsFor(patched, all));
    const diff = maxAbsDiffAny(a.out_sample, b.out_sample);
    console.log(`${family} (batch ${batch}): patched vs unpatched max abs diff ${diff}`);
    expect(floats(a.out_sample).some((v) => v !== 0)).toBe(true);
    expect(diff).toBeLessThanOrEqual(neutralPatchBound(bytes));
    expect(b.attn_maps.type).toBe('float32');
    expect(b.attn_maps.dims).toEqual([batch, TOKENS, LATENT / 2, LATENT / 2]);
    expect(report.crossLayers.map((l) => l.level)).toEqual([0, 1, 0]);
    if (family.startsWith('optimizer-')) {
      // down0: packed QKV self + MHA(q,k,v,zero bias) cross; mid: Attention self + packed KV cross; up0 as down0.
      expect(report).toMatchObject({ unfusedCrossLayers: 3, selfLayers: [], selfLayersUnmasked: 3 });
      const ops = decodeModel(bytes)
        .graph.node.filter((n) => n.domain === 'com.microsoft')
        .map((n) => `${n.op_type}(${n.input.filter(Boolean).length})`);
      expect(ops.sort()).toEqual(['Attention(3)', 'MultiHeadAttention(3)', 'MultiHeadAttention(3)']); // self-attention stays fused, unpacked
    } else {
      expect(report).toMatchObject({ unfusedCrossLayers: 0, selfLayersUnmasked: 2 });
      expect(report.selfLayers).toHaveLength(1);
    }
  });

  it("a mask on one token moves that token's attention into its region, in the graph's own dtype", async () => {
    const patched = await session(patchDenoiser(familyUnet(family)).bytes);
    const { feeds, batch } = denoiserFeeds(patched, 2);
    const token = 3;
    const half = LATENT / 2;
    const inRegion = (i: number) => i % LATENT < half; // the left half of the latent
    const mask = filled([batch, TOKENS, LATENT, LATENT], (i) =>
      Math.floor(i / (LATENT * LATENT)) % TOKENS === token && inRegion(i % (LATENT * LATENT)) ? 1 : 0,
    );
    const share = async (strength: number) => {
      const out = await patched.run(
        feedsFor(patched, { ...feeds, ...neutralPatchFeeds(batch), [IN.crossMask]: mask, [IN.crossStrength]: filled([batch], strength) }),
      );
      const maps = floats(out.attn_maps); // [B, T, h, w]
      let inside = 0;
      let total = 0;
      for (let p = 0; p < half * half; p++) {
        const v = maps[(TOKENS * (batch - 1) + token) * half * half + p];
        total += v;
        if (p % half < half / 2) inside += v;
      }
      expect(maps.every(Number.isFinite)).toBe(true);
      return inside / total;
    };
    const before = await share(0);
    const after = await share(0.8);
    console.log(`${family}: token ${token}'s attention inside its region ${before.toFixed(3)} -> ${after.toFixed(3)}`);
    expect(after).toBeGreaterThan(before + 0.05);
  });
});

describe('refusals name the cause', () => {
  const editedOptimizerUnet = (edit: (nodes: ReturnType<typeof decodeModel>['graph']['node']) => void) => {
    const model = decodeModel(familyUnet('optimizer-mha-fp32'));
    edit(model.graph.node);
    return encodeModel(model);
  };

  it('a MultiHeadAttention with a padding mask or a decoder cache', () => {
    const masked = editedOptimizerUnet((nodes) => {
      const mha = nodes.find((n) => n.op_type === 'MultiHeadAttention' && n.input.length === 4)!;
      mha.input.push('sample'); // key_padding_mask
    });
    expect(() => patchDenoiser(masked)).toThrow(
      /MultiHeadAttention node ".*" has key_padding_mask inputs \(a padding mask, an attention bias or a decoder cache\)/,
    );
    const cached = editedOptimizerUnet((nodes) => {
      nodes.find((n) => n.op_type === 'MultiHeadAttention')!.output.push('present_key');
    });
    expect(() => patchDenoiser(cached)).toThrow(/returns present key\/value outputs \(a decoder cache\)/);
  });

  it("finds the scores MatMul on either side of baddbmm's Add", async () => {
    const model = decodeModel(familyUnet('sd-turbo-ort-web-baddbmm'));
    const adds = model.graph.node.filter(
      (n) => n.op_type === 'Add' && model.graph.node.some((s) => s.op_type === 'Softmax' && s.input[0] === n.output[0]),
    );
    expect(adds.length).toBe(6);
    for (const add of adds) add.input.reverse();
    expect(patchDenoiser(encodeModel(model)).report.crossLayers.length).toBe(3);
  });
});
