// Patches a denoiser graph so the sampler can steer cross-attention (MaskDiffusion), re-weight tokens,
// mask self-attention and read averaged cross-attention maps. Identity when strengths are 0 and gains 1.
import { SD_IO } from '../../shared/modelContract';
import { GraphEditor } from './graphEditor';
import { elementTypeOf } from './elementType';
import { CAST_OR_IDENTITY, computeLevels, findAttentionSites, UnpatchableGraphError, walkBack, type AttentionSite } from './findAttention';
import { decodeModel, encodeModel, TensorDataType, toNumber, type ModelProto, type ValueInfoProto } from './onnxProto';
import { MASK_THRESHOLD, PATCHED_INPUTS as IN, PATCHED_OUTPUTS as OUT, PATCHED_PRODUCER_SUFFIX } from './patchContract';
import { unfuseMultiHeadAttention } from './unfuseMultiHeadAttention';

export interface PatchOptions {
  /** Level whose cross-attention maps are averaged into attn_maps (default: min(deepest, 2): 16x16 for SD at 512). */
  mapsLevel?: number;
  /** Self-attention is masked only at levels >= this: its pair mask is N x N (default 1: 32x32 for SD at 512). */
  selfMaskMinLevel?: number;
  sampleInput?: string;
  textInput?: string;
}

export interface PatchReport {
  /**
   * Per cross-attention layer: its level, the tensors holding its raw and modulated scores and the V it reads (for
   * tests), and whether its token gain scales the text rows before V's projection (else V itself, in the layer).
   */
  crossLayers: { level: number; scores: string; modulatedScores: string; values: string; gainOnText: boolean }[];
  /** Per masked self-attention layer: its level and the tensors holding its raw and modulated scores (for tests). */
  selfLayers: { level: number; scores: string; modulatedScores: string }[];
  selfLayersUnmasked: number;
  unfusedCrossLayers: number;
  mapsLevel: number;
  mapsLayers: number;
}

const UNPATCHED_INPUT_ERROR = 'it already has the studio attention inputs (it was patched before).';

export function patchDenoiser(bytes: Uint8Array, options: PatchOptions = {}): { bytes: Uint8Array; report: PatchReport } {
  let model: ModelProto;
  try {
    model = decodeModel(bytes);
  } catch (error) {
    throw new UnpatchableGraphError(error instanceof Error ? error.message : String(error));
  }
  const report = patchModel(model, options);
  return { bytes: encodeModel(model), report };
}

export function patchModel(model: ModelProto, options: PatchOptions = {}): PatchReport {
  const sampleInput = options.sampleInput ?? SD_IO.unet.sample;
  const textInput = options.textInput ?? SD_IO.unet.textEmbeddings;
  const graph = model.graph;
  const inputNames = graph.input.map((i) => i.name);
  for (const name of [sampleInput, textInput]) {
    if (!inputNames.includes(name)) throw new UnpatchableGraphError(`it has no "${name}" input (inputs: ${inputNames.join(', ')}).`);
  }
  if (inputNames.includes(IN.crossMask) || (model.producer_name ?? '').endsWith(PATCHED_PRODUCER_SUFFIX))
    throw new UnpatchableGraphError(UNPATCHED_INPUT_ERROR);
  const opset = toNumber(model.opset_import.find((o) => !o.domain || o.domain === 'ai.onnx')?.version);
  if (opset < 13) throw new UnpatchableGraphError(`it uses ONNX opset ${opset}; opset 13 or newer is needed.`);
  const textType = graph.input.find((i) => i.name === textInput)?.type?.tensor_type?.elem_type ?? TensorDataType.FLOAT;
  if (textType !== TensorDataType.FLOAT && textType !== TensorDataType.FLOAT16)
    throw new UnpatchableGraphError(`its text input has element type ${textType}, not float or float16.`);

  const unfuser = new GraphEditor(graph);
  const unfused = unfuseMultiHeadAttention(unfuser, textInput);
  unfuser.commit();

  const g = new GraphEditor(graph);
  const sites = findAttentionSites(g, textInput, computeLevels(g, sampleInput));
  const cross = sites.filter((s) => s.kind === 'cross');
  if (cross.length === 0) throw new UnpatchableGraphError(`no cross-attention on "${textInput}" was found.`);
  const deepest = Math.max(...cross.map((s) => s.level));
  const mapsLevel = options.mapsLevel ?? Math.min(deepest, 2);
  if (!cross.some((s) => s.level === mapsLevel))
    throw new UnpatchableGraphError(`no cross-attention layer runs at level ${mapsLevel} for the attention maps.`);
  const selfMinLevel = options.selfMaskMinLevel ?? 1;

  g.emitInPrologue();
  const batch = g.add('Slice', [g.add('Shape', [IN.crossMask]), g.constInt64([0]), g.constInt64([1])]);
  const ops = new PatchOps(g, opset, batch);
  const crossTerms = new Map<number, ModulationTerms>();
  for (const level of new Set(cross.map((s) => s.level))) crossTerms.set(level, ops.crossTerms(level));
  const selfSites = sites.filter((s) => s.kind === 'self' && s.level >= selfMinLevel);
  const selfTerms = new Map<number, SelfModulationTerms>();
  for (const level of new Set(selfSites.map((s) => s.level))) selfTerms.set(level, ops.selfTerms(level));

  const mapParts: string[] = [];
  const crossLayers: PatchReport['crossLayers'] = [];
  for (const site of cross) {
    const scores = site.softmax.input[0];
    const terms = crossTerms.get(site.level)!;
    ops.modulateScores(site, terms);
    const gainOnText = ops.scaleProjectedText(site, textInput, textType);
    if (!gainOnText) ops.applyTokenGain(site);
    const values = site.probsMatMul.input[site.valueSlot];
    crossLayers.push({ level: site.level, scores, modulatedScores: site.softmax.input[0], values, gainOnText });
    if (site.level === mapsLevel) mapParts.push(ops.headMeanProbs(site, terms));
  }
  const selfLayers: PatchReport['selfLayers'] = [];
  for (const site of selfSites) {
    const scores = site.softmax.input[0];
    ops.modulateSelfScores(site, selfTerms.get(site.level)!);
    selfLayers.push({ level: site.level, scores, modulatedScores: site.softmax.input[0] });
  }

  g.emitInEpilogue();
  // A chain of Adds, not one variadic Sum: ORT's WebGPU EP runs Sum on the CPU, which would read the
  // maps back to the CPU on every step.
  const summed = mapParts.slice(1).reduce((acc, part) => g.add('Add', [acc, part]), mapParts[0]);
  const mean = g.add('Mul', [summed, g.constFloat([1 / mapParts.length], [])]);
  // [B,N,T] -> [B,T,N] -> [B,T,h,w]: a 3-D transpose (ORT's 4-D one, [B,h,w,T] -> [B,T,h,w], took twice as long).
  const tokensFirst = g.add('Transpose', [mean], { perm: [0, 2, 1] });
  const levelShape = g.add('Shape', [crossTerms.get(mapsLevel)!.pixelsLast]); // [1,h,w,T]
  const mapsShape = g.add('Concat', [batch, g.add('Gather', [levelShape, g.constInt64([3, 1, 2])], { axis: 0 })], { axis: 0 });
  const maps = g.add('Reshape', [tokensFirst, mapsShape]);
  g.add('Identity', [maps], {}, OUT.attnMaps);
  g.commit();

  graph.input.push(
    tensorInput(IN.crossMask, ['batch', 'tokens', 'height', 'width']),
    tensorInput(IN.crossStrength, ['batch']),
    tensorInput(IN.crossSuppress, ['batch']),
    tensorInput(IN.crossReference, ['batch']),
    tensorInput(IN.tokenGain, ['batch', 'tokens']),
    ...(selfSites.length
      ? [tensorInput(IN.selfMask, ['batch', 'objects', 'height', 'width']), tensorInput(IN.selfStrength, ['batch'])]
      : []),
  );
  graph.output.push(tensorInput(OUT.attnMaps, ['batch', 'tokens', 'map_height', 'map_width']));
  model.producer_name = `${model.producer_name ?? ''}${PATCHED_PRODUCER_SUFFIX}`;
  return {
    crossLayers,
    selfLayers,
    selfLayersUnmasked: sites.length - cross.length - selfSites.length + unfused.fusedSelfKept,
    unfusedCrossLayers: unfused.unfusedCross,
    mapsLevel,
    mapsLayers: mapParts.length,
  };
}

/** Ops between V's projection and the attention that move elements without changing them. */
const VALUE_RESHAPES = new Set(['Reshape', 'Transpose', 'Identity', 'Squeeze', 'Unsqueeze']);
const SHAPE_READERS = new Set(['Shape', 'Size']);

function tensorInput(name: string, dims: string[]): ValueInfoProto {
  return { name, type: { tensor_type: { elem_type: TensorDataType.FLOAT, shape: { dim: dims.map((d) => ({ dim_param: d })) } } } };
}

/** Per-level terms of S' = S*C + A*rowmax(S) + Z*rowmin(S) for the prompt's row, float32 (cast to each site's score
 * type), broadcasting to [1,1,N,K]; A is [1,1,N,K]. */
interface ModulationTerms {
  c: string;
  a: string;
  z: string;
  /** The level's cross mask of the prompt's row, [1,h,w,T]. */
  pixelsLast: string;
}

/** Self-attention's terms: S' = S*keep + spread*(rowmax(S) - rowmin(S)), see PatchOps.selfTerms. */
interface SelfModulationTerms {
  keep: string;
  spread: string;
}

class PatchOps {
  /** Casts of float32 prologue tensors to another type, made once: "name:type" -> cast output. */
  private readonly casts = new Map<string, string>();

  constructor(
    private readonly g: GraphEditor,
    private readonly opset: number,
    /** [B], the batch size (from the mask input's shape). */
    private readonly batch: string,
  ) {}

  /**
   * Cross-attention: A = lambda [M>0.05] M, Z = lambda_s [M==0], R = ref [M>=0.05], C = 1 - A - Z + R.
   * A and R live where M >= 0.05 and Z where M == 0, so C is picked per element with Where instead of summed:
   * nine passes over the [B,1,N,T] mask per level instead of thirteen (the same values; C's sums are only ordered
   * differently).
   */
  crossTerms(level: number): ModulationTerms {
    const g = this.g;
    const pixelsLast = this.downsample(this.crossMaskPixelsLast(), level, [1, 2]); // [1,h,w,T]
    const m = this.flattenPixels(pixelsLast); // [1,1,N,T]
    const threshold = g.constFloat([MASK_THRESHOLD], []);
    const zero = g.constFloat([0], []);
    const one = g.constFloat([1], []);
    const a = g.add('Where', [g.add('Greater', [m, threshold]), g.add('Mul', [m, this.perBatch(IN.crossStrength)]), zero]);
    const empty = g.add('Equal', [m, zero]);
    const suppress = this.perBatch(IN.crossSuppress);
    const z = g.add('Where', [empty, suppress, zero]);
    const onePlusReference = g.add('Add', [one, this.perBatch(IN.crossReference)]); // [1,1,1,1]
    const outside = g.add('Where', [empty, g.add('Sub', [one, suppress]), one]); // 1 - Z where M < 0.05
    const c = g.add('Where', [g.add('GreaterOrEqual', [m, threshold]), g.add('Sub', [onePlusReference, a]), outside]);
    return { c, a, z, pixelsLast };
  }

  /**
   * Self-attention (DenseDiffusion): pair mask P = sum_k m_k m_kᵀ, strength w; A = w [P>0] and Z = w [P==0] cover
   * every pair between them, so C = 1 - A - Z = 1 - w and
   *   S*C + A*rowmax + Z*rowmin = (1-w) S + A (rowmax - rowmin) + w rowmin.
   * The last term is the same along each row, which softmax ignores: the graph leaves it out, and makes three passes
   * over the N×N scores instead of five (the scores before softmax differ by that row constant; the probabilities
   * do not).
   */
  selfTerms(level: number): SelfModulationTerms {
    const g = this.g;
    const levelMask = this.downsample(this.promptRowOf(IN.selfMask), level, [2, 3]);
    const objects = g.add('Reshape', [levelMask, g.constInt64([0, 0, -1])]); // [1,K,N]
    const pairs = g.add('MatMul', [g.add('Transpose', [objects], { perm: [0, 2, 1] }), objects]); // [1,N,N]
    const together = g.add('Cast', [g.add('Greater', [pairs, g.constFloat([0], [])])], { to: TensorDataType.FLOAT });
    const pair4 = this.unsqueeze(together, 1);
    const w = this.perBatch(IN.selfStrength);
    const spread = g.add('Mul', [pair4, w]);
    const keep = g.add('Sub', [g.constFloat([1], []), w]); // [1,1,1,1]
    return { keep, spread };
  }

  /** Rewires the softmax to read S*C + A*rowmax(S) + Z*rowmin(S) (scores viewed as [B, heads, N, K]). */
  modulateScores(site: AttentionSite, t: ModulationTerms): void {
    const g = this.g;
    g.emitBefore(site.softmax);
    const scores = site.softmax.input[0];
    const all = site.scoresAre4d ? scores : g.add('Reshape', [scores, this.levelView(t.a)]);
    const s4 = this.promptRowOf(all);
    const rowMax = this.reduce('ReduceMax', s4, -1, true);
    const rowMin = this.reduce('ReduceMin', s4, -1, true);
    const typed = (x: string) => this.prologueAs(x, site.scoreType);
    const kept = g.add('Mul', [s4, typed(t.c)]);
    const pulledUp = g.add('Mul', [typed(t.a), rowMax]);
    const pulledDown = g.add('Mul', [typed(t.z), rowMin]);
    const modulated = this.withPromptRow(all, g.add('Add', [g.add('Add', [kept, pulledUp]), pulledDown]));
    site.softmax.input[0] = site.scoresAre4d ? modulated : g.add('Reshape', [modulated, g.add('Shape', [scores])]);
  }

  /** Rewires the softmax to read S*keep + spread*(rowmax(S) - rowmin(S)) (scores viewed as [B, heads, N, N]). */
  modulateSelfScores(site: AttentionSite, t: SelfModulationTerms): void {
    const g = this.g;
    g.emitBefore(site.softmax);
    const scores = site.softmax.input[0];
    const all = site.scoresAre4d ? scores : g.add('Reshape', [scores, this.levelView(t.spread)]);
    const s4 = this.promptRowOf(all);
    const range = g.add('Sub', [this.reduce('ReduceMax', s4, -1, true), this.reduce('ReduceMin', s4, -1, true)]);
    const typed = (x: string) => this.prologueAs(x, site.scoreType);
    const modulated = this.withPromptRow(all, g.add('Add', [g.add('Mul', [s4, typed(t.keep)]), g.add('Mul', [typed(t.spread), range])]));
    site.softmax.input[0] = site.scoresAre4d ? modulated : g.add('Reshape', [modulated, g.add('Shape', [scores])]);
  }

  /**
   * (P ⊙ g) V == P (g ⊙ V) == P ((g ⊙ E) W): when V is a bias-free projection of the text embeddings E, reshaped
   * but not otherwise changed, E's rows are scaled once for every layer (in the prologue) and the layer's projection
   * reads them, adding no node to the layer. False when V's path is anything else.
   */
  scaleProjectedText(site: AttentionSite, textInput: string, textType: number): boolean {
    const g = this.g;
    let tensor = site.probsMatMul.input[site.valueSlot];
    for (let guard = 0; guard < 16; guard++) {
      const node = g.producers.get(tensor);
      // Only this layer may read the values on V's path (exports read their shapes too): the rows are scaled for it alone.
      const readers = (g.consumers.get(tensor) ?? []).filter((n) => !SHAPE_READERS.has(n.op_type));
      if (!node || readers.length !== 1) return false;
      if (node.op_type === 'MatMul') {
        const [activation, weight] = node.input;
        if (!g.isConstant(weight) || g.isConstant(activation)) return false;
        if (walkBack(g, activation, CAST_OR_IDENTITY).tensor !== textInput) return false;
        const type = elementTypeOf(g, activation);
        if (type !== TensorDataType.FLOAT && type !== TensorDataType.FLOAT16) return false;
        node.input[0] = this.gainScaledText(textInput, textType, type);
        return true;
      }
      if (!VALUE_RESHAPES.has(node.op_type)) return false;
      tensor = node.input[0];
    }
    return false;
  }

  private scaledText?: string;

  /** E ⊙ g ([B,T,D] times token_gain as [B,T,1]), in the prologue, in `type`. */
  private gainScaledText(textInput: string, textType: number, type: number): string {
    const g = this.g;
    if (!this.scaledText) {
      const gain3 = g.addInPrologue('Reshape', [IN.tokenGain, g.constInt64([0, -1, 1])]);
      this.scaledText = g.addInPrologue('Mul', [textInput, this.prologueAs(gain3, textType)]);
    }
    return type === textType ? this.scaledText : this.prologueCast(this.scaledText, type);
  }

  /** (P ⊙ g) V == P (g ⊙ V): scaling V's rows costs T*d per head instead of N*T. */
  applyTokenGain(site: AttentionSite): void {
    const g = this.g;
    g.emitBefore(site.probsMatMul);
    const value = site.probsMatMul.input[site.valueSlot];
    const shape = g.add('Shape', [value]);
    const v4 = g.add('Reshape', [value, this.batchHeadsShape(shape)]); // [B,h,T,d]
    const gain = this.prologueAs(this.tokenGain4(), site.valueType); // [B,1,T,1]
    site.probsMatMul.input[site.valueSlot] = g.add('Reshape', [g.add('Mul', [v4, gain]), shape]);
  }

  /** Post-softmax probabilities averaged over heads: [B,N,T]. */
  headMeanProbs(site: AttentionSite, t: ModulationTerms): string {
    const g = this.g;
    g.emitBefore(site.probsMatMul);
    const probs = site.softmax.output[0];
    const p4 = site.scoresAre4d ? probs : g.add('Reshape', [probs, this.levelView(t.a)]);
    const mean = this.reduce('ReduceMean', p4, 1, false);
    return site.scoreType === TensorDataType.FLOAT ? mean : g.add('Cast', [mean], { to: TensorDataType.FLOAT });
  }

  /** A float32 tensor computed in the prologue, in `type` (one Cast per tensor and type, also in the prologue). */
  private prologueAs(name: string, type: number): string {
    return type === TensorDataType.FLOAT ? name : this.prologueCast(name, type);
  }

  private prologueCast(name: string, type: number): string {
    const key = `${name}:${type}`;
    let cast = this.casts.get(key);
    if (!cast) this.casts.set(key, (cast = this.g.addInPrologue('Cast', [name], { to: type })));
    return cast;
  }

  private gain4?: string;

  /** token_gain [B,T] viewed as [B,1,T,1], made once. */
  private tokenGain4(): string {
    this.gain4 ??= this.g.addInPrologue('Reshape', [IN.tokenGain, this.g.constInt64([0, 1, -1, 1])]);
    return this.gain4;
  }

  /**
   * [B, -1, shape[-2], shape[-1]]: views 3-D [B*heads, N, K] and 4-D [B, heads, N, K] scores alike. Made where the
   * editor emits, or in the prologue.
   */
  private batchHeadsShape(shape: string, inPrologue = false): string {
    const g = this.g;
    const add = inPrologue ? g.addInPrologue.bind(g) : g.add.bind(g);
    const tail = add('Slice', [shape, g.constInt64([-2]), g.constInt64([2 ** 31 - 1])]);
    return add('Concat', [this.batch, g.constInt64([-1]), tail], { axis: 0 });
  }

  /**
   * Nearest-neighbour downsampling by 2^level on two axes (mask pixels at the attention's resolution): every
   * 2^level-th row and column, as a strided Slice, which is what a nearest Resize (floor, asymmetric) picks where
   * the size divides, and keeps the UNet's ceil(size / 2) per level where it does not.
   */
  private downsample(mask: string, level: number, axes: [number, number]): string {
    if (level === 0) return mask;
    const step = 2 ** level;
    const end = 2 ** 31 - 1;
    const g = this.g;
    return g.add('Slice', [mask, g.constInt64([0, 0]), g.constInt64([end, end]), g.constInt64(axes), g.constInt64([step, step])]);
  }

  private pixelsLastMask?: string;

  /**
   * The prompt's row of the cross mask, [1,T,H,W] as [1,H,W,T], transposed once for every level (ORT's Transpose is a slow copy here).
   * Each level's view is then a Reshape, which ORT's transpose optimizer does not move: a [B,T,N] Transpose before
   * an Unsqueeze was pushed through the terms' elementwise ops and copied back once per term.
   */
  private crossMaskPixelsLast(): string {
    this.pixelsLastMask ??= this.g.add('Transpose', [this.promptRowOf(IN.crossMask)], { perm: [0, 2, 3, 1] });
    return this.pixelsLastMask;
  }

  private flatShape?: string;

  /** [B,h,w,T] -> [B,1,h*w,T] (the target shape [0,1,-1,T] made once). */
  private flattenPixels(pixelsLast: string): string {
    const g = this.g;
    if (!this.flatShape) {
      const tokens = g.add('Slice', [g.add('Shape', [IN.crossMask]), g.constInt64([1]), g.constInt64([2])]);
      this.flatShape = g.add('Concat', [g.constInt64([0, 1, -1]), tokens], { axis: 0 });
    }
    return g.add('Reshape', [pixelsLast, this.flatShape]);
  }

  private readonly perBatchViews = new Map<string, string>();

  /** [B] -> its last row (the prompt's) as [1,1,1,1], made once per input. */
  private perBatch(input: string): string {
    let view = this.perBatchViews.get(input);
    if (!view) this.perBatchViews.set(input, (view = this.g.add('Reshape', [this.promptRowOf(input), this.g.constInt64([-1, 1, 1, 1])])));
    return view;
  }

  private readonly levelViews = new Map<string, string>();

  /**
   * [B, -1, N, K], the shape that shows 3-D [B*heads, N, K] scores (and probabilities) per batch row: N and K are
   * the level's whatever a layer's heads, so it is made once per level, in the prologue, from a [B,1,N,K] term of
   * the level.
   */
  private levelView(levelTerm: string): string {
    let view = this.levelViews.get(levelTerm);
    if (!view) this.levelViews.set(levelTerm, (view = this.batchHeadsShape(this.g.addInPrologue('Shape', [levelTerm]), true)));
    return view;
  }

  private readonly promptRows = new Map<string, string>();

  /**
   * The batch's last row of `x`, [1, ...]: the prompt's row, the only one modulated (patchContract.ts). Made once
   * per tensor, where the editor emits (the prologue for inputs).
   */
  private promptRowOf(x: string): string {
    let row = this.promptRows.get(x);
    if (!row) {
      const g = this.g;
      row = g.add('Slice', [x, g.constInt64([-1]), g.constInt64([2 ** 31 - 1]), g.constInt64([0])]);
      this.promptRows.set(x, row);
    }
    return row;
  }

  private promptRowFlag?: string;

  /** `all` [B, ...] with its last row replaced by `promptRow` [1, ...]: the other rows pass as they are. */
  private withPromptRow(all: string, promptRow: string): string {
    if (!this.promptRowFlag) {
      // Bool [B,1,1,1], true on the last row: Range(0, B) == B - 1, once, in the prologue.
      const g = this.g;
      const size = g.addInPrologue('Squeeze', [this.batch, g.constInt64([0])]);
      const rows = g.addInPrologue('Range', [g.constInt64([0], []), size, g.constInt64([1], [])]);
      const last = g.addInPrologue('Equal', [rows, g.addInPrologue('Sub', [size, g.constInt64([1], [])])]);
      this.promptRowFlag = g.addInPrologue('Reshape', [last, g.constInt64([-1, 1, 1, 1])]);
    }
    return this.g.add('Where', [this.promptRowFlag, promptRow, all]);
  }

  private unsqueeze(x: string, axis: number): string {
    return this.g.add('Unsqueeze', [x, this.g.constInt64([axis])]);
  }

  /** Reductions moved `axes` from attribute to input in opset 18 (ReduceSum in 13). */
  private reduce(op: 'ReduceMax' | 'ReduceMin' | 'ReduceMean', x: string, axis: number, keep: boolean): string {
    if (this.opset >= 18) return this.g.add(op, [x, this.g.constInt64([axis])], { keepdims: keep ? 1 : 0 });
    return this.g.add(op, [x], { axes: [axis], keepdims: keep ? 1 : 0 });
  }
}
