/**
 * llama.cpp's compute buffers: the scratch memory ggml-alloc reserves for the largest graph (one ubatch of n_ubatch
 * tokens with every output computed, attending over the whole cache; llama_context::sched_reserve -> graph_reserve ->
 * ggml_backend_sched_reserve in src/llama-context.cpp). Each backend gets its own buffer, sized by the peak of what
 * ggml-alloc (ggml/src/ggml-alloc.c, ggml_gallocr_alloc_graph_impl) holds live in it at one point of the graph.
 *
 * CPU (one buffer; the measured runs). Three points of the graph, the largest wins:
 *
 *   output    logits f32 [n_vocab, n_ubatch] + cOut x f32 [n_embd, n_ubatch]      + 4 B x n_ubatch (output ids)
 *   attention no FA: KQ f32 [n_kv, n_ubatch, n_head] + KQ mask f32 [n_kv, n_ubatch]
 *             FA:    KQ mask f16 [n_kv, n_ubatch]
 *             both:  + f32 [5 x n_embd + 2 x n_embd_k_gqa, n_ubatch]                + 16 B x n_ubatch (positions, ids)
 *   ffn       f32 [2 x n_embd + 3 x n_ff(active), n_ubatch]                       (gate, up, product; never the peak
 *                                                                                  in the measured runs, not fitted)
 *   cOut = 2 with flash attention and an F16/BF16/F32 cache, 3 with a quantized cache or without flash attention.
 *
 * Fitted on EVERY load of llamacpp-measured.json (llama.cpp 2026-09-28, de3ff815, CPU; 47 loads, 4 models, ctx 512 to
 * 32768, n_ubatch 128/512/2048, FA on/off, f16 and q8_0 caches): the coefficients 5 and 2 (attention) come from the
 * three FA-off loads at 32768 (SmolLM2 6.375 MiB, Qwen2.5 9.25 MiB, Llama-3.2 22.0 MiB beyond KQ + mask: 5E + 2Kg
 * fits all three exactly); cOut from the FA-on (2) and FA-off / q8_0 (3) loads. Residuals (predicted - printed):
 * all 47 loads within +-0.005 MiB, i.e. the printing precision (test/unit/compute-buffer.test.ts prints them).
 * cOut = 3 reflects where ggml-alloc places the logits (one more [n_embd, n_ubatch] block below them), not a tensor
 * we can name: it is an empirical term.
 *
 * CUDA (llamaCppCudaComputeBuffers: one buffer per GPU plus the "CUDA_Host" buffer). What decides which buffer a
 * tensor lives in is ggml_backend_sched (ggml/src/ggml-backend.cpp), and the mechanisms are:
 *
 *  1. Graph inputs (tokens, positions, output ids, KQ masks, and since PR #18550, b7774, the inp_embd tensor) are
 *     created on the last backend, the CPU, whose compute buffer llama_context puts in the first GPU's pinned host
 *     buffer type ("use the host buffer of the first device CPU for faster transfer"): the CUDA_Host compute buffer.
 *     The token embedding lookup (get_rows on token_embd, which stays in host memory) runs there too: CUDA
 *     offload_op refuses GET_ROWS (get_op_batch_size returns 0). So host = inputs + f32 [n_embd, n_ubatch].
 *  2. Every GPU that runs attention copies the masks it uses into its own buffer (sched "4.cpy" input copies).
 *     Before PR #23764 (b9410) the mask input is F32 and, with flash attention, cast to F16 once, on the GPU that runs
 *     the first layer of that mask (build_attn_inp_kv: kq_mask_cnv = ggml_cast(kq_mask, F16)); the other GPUs receive
 *     the F16 result. Since PR #23764 the input itself is F16 with flash attention: each GPU holds one f16 copy.
 *     Inputs are allocated at the start of the split that first uses them (ggml_backend_sched_split_graph adds them
 *     to the graph copy there). In a GPU's first split that is the bottom of its buffer: the F32 copy and the
 *     embeddings copied in with it sit under the cast's output, so that GPU carries f32 mask + f16 mask + f32
 *     [n_embd, n_ubatch] at its layer points. Once the cast is done the F32 copy is a free block that ggml-alloc's
 *     best fit (ggml_dyn_tallocr_alloc) hands to later tensors that fit in it: a later point whose activations all
 *     fit there adds nothing on top; when only some fit they are counted on top (the offload points of
 *     llamacpp-ik357-4 and -ik370-2 show no reuse). This reuse rule was added after the held-out record
 *     llamacpp-ik689-1 (n_ubatch 4096: a 2 GiB hole under its MoE activations) missed by 12% without it, so that
 *     record's compute is not a clean held-out check. A mask first used after a new split (an offloaded weight
 *     started one) lands on top of what the GPU used so far and is freed right after its cast: it adds its F32 size
 *     once, at that point, and only the F16 result stays (llamacpp-ik822-1: gpt-oss's full-attention mask, first
 *     used in layer 1 after layer 0's experts were offloaded).
 *  3. A GPU's layer points: attention (q, the attention output, the residual and the normed input; without flash
 *     attention the KQ matrix f32 [n_kv, n_ubatch, n_head]; MLA: the absorbed query, see attentionActivations) and
 *     the FFN of the layers whose FFN weights it holds (dense: gate and up outputs + 2 [n_embd] blocks; MoE: at the
 *     down projection, its input [n_ff_exp, n_used], its output [n_embd, n_used] and 3 [n_embd] blocks), each plus
 *     the masks it holds. The flash-attention and MLA counts are read from the graph code (build_attn_mha,
 *     llm_build_deepseek2's absorbed path), not fitted: no fit record peaks there.
 *  4. Weights in host memory (-ot ...=CPU, --n-cpu-moe, layers not offloaded): an op whose weight is in a host
 *     buffer is offloaded to the first GPU that wants it (ggml_backend_sched_backend_id_from_cur, cause "1.off";
 *     CUDA takes ops with a batch of at least 32 rows, op_offload_min_batch_size), and the weight is copied into that
 *     GPU's compute buffer. The scheduler starts a new split at every such weight ("by starting a new split, the
 *     memory of the previously offloaded weights can be reused"), so GPU 0 holds one copy at a time: the largest
 *     host-resident weight plus the activations of that point.
 *  5. The GPU of the output layer: logits f32 [n_vocab, n_ubatch] + f32 [n_embd, n_ubatch] (the normed last hidden
 *     state). Masks are freed by then. An output layer in host memory is offloaded to GPU 0 like any weight.
 *  6. Pipeline parallelism (several GPUs, every layer and the output offloaded, -sm layer, no tensor overrides;
 *     llama_context constructor): the scheduler keeps GGML_SCHED_MAX_COPIES = 4 copies of every graph input and
 *     input copy, flagged input + output so ggml-alloc never frees or reuses them. Not in any collected log: from
 *     the code only.
 *  7. A build with the BLAS backend (GGML_BLAS; its buffer prints as "CPU compute buffer"): ggml-blas supports
 *     MUL_MAT on host buffers with at least 32 rows and tokens, and it comes before the CPU backend, so the offload
 *     check (which only looks at ops the CPU backend would run) never sees 2-D matmuls on host weights: BLAS runs them
 *     in its own buffer (input f32 [n_embd, n_ubatch] copied in + output f32 [rows, n_ubatch]); GPU 0 still gets
 *     MUL_MAT_ID (experts) and the element-wise ops.
 *
 * Constants fitted on the field logs (src/data/reference/field-llamacpp-cuda.json, set "fit"), where the code leaves
 * the allocator's fragmentation open: the [n_embd, n_ubatch] block counts of points 3 and 5 (attention without FA:
 * 3 x q + 1 x n_embd + 2 x n_embd_k_gqa, from llamacpp-deipss-1 and llamacpp-ik514-1; dense FFN: 2 x n_ff + 2 x
 * n_embd and the embeddings hole of point 2, from llamacpp-14075-1; MoE: n_ff_exp x n_used + n_embd x n_used +
 * 3 x n_embd, from llamacpp-ik357-2; output: logits + 1 block, from llamacpp-ik357-4, -motlie-qwen3-4b and
 * -motlie-qwen3.6-27b). test/unit/field-llamacpp-cuda.test.ts prints every record against them.
 *
 * The 'gpu' mode of llamaCppComputeBuffer (what runtime.ts charges) is this model for one GPU holding every layer,
 * with opts.cudaRules, or by default the rules of the profile's build (defaultRules); a caller sizing a given build
 * passes cudaGraphRulesOfBuild(build). fit-llamacpp.ts sizes each GPU of a placement with llamaCppCudaComputeBuffers.
 */
import { llamaCppContext, kvWidths } from './kv-llamacpp.ts';
import { kvCache } from './kv-cache.ts';
import type { KvOptions } from './kv-cache-types.ts';
import { isQuantizedType } from '../formats/ggml-types.ts';
import { llamaCppProfile, type LlamaCppProfile } from './runtime-profiles.ts';
import type { LayerShape, ModelShape } from '../types.ts';
import { attentionOf } from '../mixers.ts';

/**
 * Graph rules of a llama.cpp build that change the CUDA compute buffers (see the header, mechanisms 1 and 2).
 * Build numbers are commits on master ("build: 9410 (031ddb2e)").
 */
export interface CudaGraphRules {
  /** PR #23764 (b9410, 2026-05-29): with flash attention the KQ mask input is F16; before, F32 cast to F16 on a GPU. */
  maskF16Input: boolean;
  /** PR #18550 (b7774, 2026-01-19): an inp_embd input f32 [n_embd, n_ubatch] beside the get_rows output, in host memory. */
  embdInputTensor: boolean;
}

/** Rules of builds before 2026 (the logdetective PR #106 CUDA log the 'gpu' mode was first checked on). */
export const CUDA_RULES_BEFORE_2026: CudaGraphRules = { maskF16Input: false, embdInputTensor: false };

/** The graph rules of a build number. */
export function cudaGraphRulesOfBuild(build: number): CudaGraphRules {
  return { maskF16Input: build >= 9410, embdInputTensor: build >= 7774 };
}

/** The graph rules of a runtime profile's build, by its date (PR #18550 merged 2026-01-19, PR #23764 2026-05-29). */
export function cudaGraphRulesOfProfile(profile: LlamaCppProfile): CudaGraphRules {
  return { maskF16Input: profile.date >= '2026-05-29', embdInputTensor: profile.date >= '2026-01-19' };
}

/** Rules when the caller names none: those of the profile's build. */
function defaultRules(opts: ComputeBufferOptions): CudaGraphRules {
  return opts.cudaRules ?? cudaGraphRulesOfProfile(llamaCppProfile(opts.version));
}

export interface ComputeBufferOptions {
  ctx: number;
  seqs: number;
  typeK: string;
  typeV: string;
  flashAttn?: boolean;
  ubatch?: number;
  unified?: boolean;
  version?: string;
  /** 'cpu': one buffer (the measured runs). 'gpu': one GPU holding every layer, plus the host (CUDA_Host) buffer. */
  backend?: 'cpu' | 'gpu';
  /** CUDA graph rules of the build ('gpu' and llamaCppCudaComputeBuffers). Default: see defaultRules. */
  cudaRules?: CudaGraphRules;
}

export interface ComputeBuffer {
  /** Device (or, on CPU, the only) compute buffer. */
  deviceBytes: number;
  /** Host-side compute buffer of a GPU backend (inputs); 0 on CPU. */
  hostBytes: number;
  /** Which graph point sets the peak. */
  peak: 'output' | 'attention' | 'ffn';
  phases: { output: number; attention: number; ffn: number };
  /** Cells the attention of the largest cache spans (n_kv at reserve time = the full-attention cache size). */
  nKv: number;
  nUbatch: number;
}

const F32 = 4;
const F16 = 2;

/** Intermediate width of the FFN as computed for one token: dense n_ff, or the used experts plus shared experts. */
function activeFf(layer: LayerShape): number {
  const f = layer.ffn;
  if (f.kind === 'dense') return f.ff;
  return f.nExpertUsed * f.expertFf + f.sharedFf + f.nExpert;
}

/** llama.cpp's compute buffer for a model and context (the build's graph at reserve time). */
export function llamaCppComputeBuffer(shape: ModelShape, opts: ComputeBufferOptions): ComputeBuffer {
  if ((opts.backend ?? 'gpu') === 'gpu') return oneGpu(shape, opts);
  const profile = llamaCppProfile(opts.version);
  const kvOpts: KvOptions = { runtime: 'llama.cpp', ...opts };
  const c = llamaCppContext(kvOpts, profile);
  const U = c.nUbatch;
  const E = shape.hiddenSize;
  const V = shape.vocabSize;
  const attn = shape.layers.filter((l) => attentionOf(l) !== null);
  const nHead = Math.max(0, ...attn.map((l) => attentionOf(l)?.nHead ?? 0));
  const kGqa = Math.max(0, ...attn.map((l) => kvWidths(l, profile.mla)?.k ?? 0));
  const ff = Math.max(0, ...shape.layers.map(activeFf));
  // At reserve time the attention spans the whole full-attention cache (SWA caches are smaller).
  const nKv = attn.length > 0 ? c.nCtx : 0;
  const quantizedCache = isQuantizedType(opts.typeK) || isQuantizedType(opts.typeV);

  const cOut = c.flashAttn && !quantizedCache ? 2 : 3;
  const output = F32 * U * (V + cOut * E) + 4 * U;
  const mask = c.flashAttn ? F16 * nKv * U : F32 * nKv * U;
  const kq = c.flashAttn ? 0 : F32 * nKv * U * nHead;
  const attention = attn.length > 0 ? kq + mask + F32 * U * (5 * E + 2 * kGqa) + 16 * U : 0;
  const ffn = F32 * U * (2 * E + 3 * ff);

  const phases = { output, attention, ffn };
  const peakValue = Math.max(output, attention, ffn);
  const peak = peakValue === output ? 'output' : peakValue === attention ? 'attention' : 'ffn';
  return { deviceBytes: peakValue, hostBytes: 0, peak, phases, nKv, nUbatch: U };
}

/** The 'gpu' mode: the CUDA model for one GPU holding every layer and the output layer. */
function oneGpu(shape: ModelShape, opts: ComputeBufferOptions): ComputeBuffer {
  const n = shape.layers.length;
  const r = llamaCppCudaComputeBuffers(shape, opts, { nDevices: 1, layerDevice: new Array<number>(n).fill(0), outputDevice: 0 });
  const d = r.devices[0] ?? { bytes: 0, peak: 'none' as const, points: { output: 0, attention: 0, ffn: 0, offload: 0 } };
  const peak = d.peak === 'output' || d.peak === 'attention' ? d.peak : 'ffn';
  return {
    deviceBytes: d.bytes,
    hostBytes: r.hostBytes,
    peak,
    phases: { output: d.points.output, attention: d.points.attention, ffn: d.points.ffn },
    nKv: r.nKv,
    nUbatch: r.nUbatch,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// CUDA: one compute buffer per GPU and the CUDA_Host buffer

/** Where llama.cpp runs each part of the graph (from the layer split, -ngl, -ot / --n-cpu-moe). GPUs are 0..n-1. */
export interface CudaGraphPlacement {
  nDevices: number;
  /** Per layer: the GPU holding the layer (its attention, norms and KV), -1 when the layer stays on the CPU. */
  layerDevice: readonly number[];
  /** Per layer: the GPU holding its FFN weights (routed experts for MoE), -1 for host memory. Default: layerDevice. */
  ffnDevice?: readonly number[];
  /** Per layer: bytes of its largest weight in host memory (what an offloaded op copies to GPU 0); 0 or absent: none. */
  hostWeightBytes?: readonly number[];
  /** GPU of the output layer, -1 for the CPU. */
  outputDevice: number;
  /** Bytes of output.weight when the output layer is in host memory (copied to GPU 0 by the offloaded matmul). */
  outputHostWeightBytes?: number;
  /** llama.cpp's pipeline parallelism is on (mechanism 6). Default false. */
  pipelineParallel?: boolean;
  /** Ops on host-resident weights offloaded to GPU 0 (llama.cpp --no-op-offload turns it off). Default true. */
  opOffload?: boolean;
  /**
   * The build has the BLAS backend (GGML_BLAS; its buffer prints as "CPU compute buffer" beside CUDA_Host). It takes the
   * 2-D matmuls on host-resident weights, which are then not offloaded: give hostWeightBytes without them.
   */
  blasBackend?: boolean;
  /** With blasBackend: output widths (rows) of the 2-D host-resident weights it multiplies (output.weight: n_vocab). */
  blasMatrixRows?: readonly number[];
}

export type CudaPeak = 'output' | 'attention' | 'ffn' | 'offload' | 'none';

export interface CudaDeviceBuffer {
  bytes: number;
  peak: CudaPeak;
  /** Largest value of each kind of point on this GPU (0 when it has none). */
  points: { output: number; attention: number; ffn: number; offload: number };
}

export interface CudaComputeBuffers {
  /** One entry per GPU ("CUDAn compute buffer size"). */
  devices: CudaDeviceBuffer[];
  /** "CUDA_Host compute buffer size": graph inputs, the embedding lookup, and the CPU's share of the graph. */
  hostBytes: number;
  /** The BLAS backend's buffer ("CPU compute buffer size"); 0 without blasBackend. */
  cpuBytes: number;
  nKv: number;
  nUbatch: number;
}

/** Scheduler copies with pipeline parallelism (GGML_SCHED_MAX_COPIES). */
const SCHED_COPIES = 4;
/** CUDA offloads an op on a host-resident weight when its batch has at least this many rows (op_offload_min_batch_size). */
const OFFLOAD_MIN_BATCH = 32;

type MaskKind = 'base' | 'swa';

interface Geometry {
  U: number;
  E: number;
  flashAttn: boolean;
  /** Cells one stream of each cache spans (the mask's n_kv). */
  nKv: Record<MaskKind, number>;
}

/** Geometry per shape and options: a fit search sizes the graph of one model for many placements. */
const GEOMETRY_CACHE = new WeakMap<ModelShape, Map<string, Geometry>>();

function geometry(shape: ModelShape, opts: ComputeBufferOptions): Geometry {
  const key = JSON.stringify([opts.ctx, opts.seqs, opts.typeK, opts.typeV, opts.flashAttn, opts.ubatch, opts.unified, opts.version, (opts as KvOptions).swaFull]);
  const perShape = GEOMETRY_CACHE.get(shape) ?? new Map<string, Geometry>();
  GEOMETRY_CACHE.set(shape, perShape);
  const known = perShape.get(key);
  if (known) return known;
  const g = computeGeometry(shape, opts);
  perShape.set(key, g);
  return g;
}

function computeGeometry(shape: ModelShape, opts: ComputeBufferOptions): Geometry {
  const profile = llamaCppProfile(opts.version);
  const kvOpts: KvOptions = { runtime: 'llama.cpp', ...opts };
  const c = llamaCppContext(kvOpts, profile);
  // The masks span the cells of one stream of each cache (build_attn_inp_kq_mask: [n_kv, n_tokens / n_stream, 1, n_stream]).
  const groups = kvCache(shape, kvOpts).groups;
  const cellsOf = (labels: string[]): number => Math.max(0, ...groups.filter((g) => labels.includes(g.label)).map((g) => g.cells / c.nStream));
  const base = cellsOf(['global', 'mla']) || c.nCtxSeq;
  const swa = cellsOf(['sliding', 'chunked']) || base;
  return { U: c.nUbatch, E: shape.hiddenSize, flashAttn: c.flashAttn, nKv: { base, swa } };
}

function maskKindOf(layer: LayerShape): MaskKind | null {
  const m = attentionOf(layer);
  if (!m) return null;
  return m.kind === 'attention' && m.window !== null ? 'swa' : 'base';
}

/**
 * Activations live at a layer's attention point, masks apart (mechanism 3). Standard attention with flash attention:
 * q, the attention output, the residual and the normed input. Without: the KQ matrix and 3 q + 1 n_embd + 2 n_embd_k_gqa
 * blocks. MLA (absorbed, llm_build_deepseek2 with is_mla): at the concat of the query, the query [n_head x (nope +
 * rope)], its roped part, the absorbed q_nope [n_head x kv_lora_rank], the concatenated query [n_head x (kv_lora_rank
 * + rope)] and 2 n_embd blocks; without flash attention plus the KQ matrix. Layers without attention: 0.
 */
function attentionActivations(layer: LayerShape, g: Geometry, nKv: number): number {
  const m = attentionOf(layer);
  const { U, E } = g;
  if (!m) return 0;
  const kq = g.flashAttn ? 0 : F32 * nKv * U * m.nHead;
  if (m.kind === 'mla') {
    const q = m.nHead * (m.qkNopeHeadDim + m.qkRopeHeadDim);
    const qPe = m.nHead * m.qkRopeHeadDim;
    const absorbed = m.nHead * m.kvLoraRank;
    const concat = m.nHead * (m.kvLoraRank + m.qkRopeHeadDim);
    return kq + F32 * U * (q + qPe + absorbed + concat + 2 * E);
  }
  const q = m.nHead * m.headDimK;
  if (!g.flashAttn) return kq + F32 * U * (3 * q + E + 2 * m.nHeadKv * m.headDimK);
  return F32 * U * (q + m.nHead * m.headDimV + 2 * E);
}

/** Activations live at a layer's FFN point (mechanism 3): dense at the gate/up pair, MoE at the down projection. */
function ffnActivations(layer: LayerShape, g: Geometry): number {
  const f = layer.ffn;
  const { U, E } = g;
  if (f.kind === 'dense') return f.ff > 0 ? F32 * U * (2 * f.ff + 2 * E) : 0;
  return F32 * U * (f.expertFf * f.nExpertUsed + E * f.nExpertUsed + 3 * E);
}

/** Bytes of one mask as an input in host memory, and as held by a GPU. */
function maskBytes(g: Geometry, rules: CudaGraphRules, kind: MaskKind): { host: number; f16: number; f32: number } {
  const cells = g.nKv[kind] * g.U;
  return { host: (g.flashAttn && rules.maskF16Input ? F16 : F32) * cells, f16: F16 * cells, f32: F32 * cells };
}

function emptyDevice(): CudaDeviceBuffer {
  return { bytes: 0, peak: 'none', points: { output: 0, attention: 0, ffn: 0, offload: 0 } };
}

function raise(dev: CudaDeviceBuffer, kind: keyof CudaDeviceBuffer['points'], bytes: number): void {
  dev.points[kind] = Math.max(dev.points[kind], bytes);
  if (bytes > dev.bytes) {
    dev.bytes = bytes;
    dev.peak = kind;
  }
}

/** The graph inputs and the embedding lookup in host memory (mechanism 1), and the CPU's share of the graph. */
function hostBuffer(shape: ModelShape, g: Geometry, rules: CudaGraphRules, p: CudaGraphPlacement, copies: number): number {
  const { U, E } = g;
  const kinds = new Set(shape.layers.map(maskKindOf).filter((k): k is MaskKind => k !== null));
  let inputs = 12 * U; // inp_tokens, inp_pos, inp_out_ids (i32)
  if (rules.embdInputTensor) inputs += F32 * U * E;
  for (const k of kinds) inputs += maskBytes(g, rules, k).host;
  let cpu = F32 * U * E; // get_rows on token_embd
  // Attention of layers left on the CPU runs there: with an F32 mask input and flash attention, the cast too.
  for (const k of kinds) {
    const onCpu = shape.layers.some((l, i) => maskKindOf(l) === k && (p.layerDevice[i] ?? -1) < 0);
    if (onCpu && g.flashAttn && !rules.maskF16Input) cpu += maskBytes(g, rules, k).f16;
  }
  return copies * inputs + cpu;
}

/** Per GPU, what the pass over the layers has seen so far. */
interface DeviceState {
  buffer: CudaDeviceBuffer;
  /** Masks (and holes under them) the GPU holds from now on. */
  masks: number;
  /** Input copies the GPU received, for pipeline parallelism's extra copies. */
  inputs: number;
  kinds: Set<MaskKind>;
  /** A split has already started on this GPU after its first (an offloaded weight started a new one). */
  laterSplit: boolean;
  /** The embeddings copied in under a bottom F32 mask are counted (once per GPU). */
  embdHole: boolean;
  /** Bytes of the bottom F32 mask copy, a free block once its cast is done (0: none). */
  hole: number;
  /** The cast is done: later points may put their activations in the hole. */
  holeFree: boolean;
}

/**
 * A GPU meets a mask kind for the first time (mechanism 2). Inputs are allocated at the start of the split that uses
 * them: in the GPU's first split, at the bottom of its buffer, where the F32 copy of a cast stays as a hole under the
 * F16 result. In a later split (after an offloaded weight), the F32 copy lands on top of everything used so far and
 * is freed right after the cast: it counts once, at that point, and only the F16 result stays.
 */
function meetMask(st: DeviceState, g: Geometry, rules: CudaGraphRules, kind: MaskKind, castsHere: boolean): void {
  st.kinds.add(kind);
  const m = maskBytes(g, rules, kind);
  const embd = F32 * g.U * g.E;
  if (!g.flashAttn) {
    st.masks += m.f32;
    st.inputs += m.f32;
  } else if (rules.maskF16Input || !castsHere) {
    st.masks += m.f16;
    st.inputs += m.f16;
  } else if (!st.laterSplit) {
    st.masks += m.f32 + m.f16 + (st.embdHole ? 0 : embd);
    st.embdHole = true;
    st.hole = Math.max(st.hole, m.f32);
    st.inputs += m.f32;
  } else {
    raise(st.buffer, 'attention', st.buffer.bytes + m.f32);
    st.masks += m.f16;
    st.inputs += m.f32;
  }
}

/** llama.cpp's compute buffers on CUDA GPUs for a placement of the model (see the header). */
export function llamaCppCudaComputeBuffers(shape: ModelShape, opts: ComputeBufferOptions, p: CudaGraphPlacement): CudaComputeBuffers {
  const g = geometry(shape, opts);
  const rules = defaultRules(opts);
  const { U, E } = g;
  const copies = p.pipelineParallel ? SCHED_COPIES : 1;
  const offload = (p.opOffload ?? true) && U >= OFFLOAD_MIN_BATCH && p.nDevices > 0;
  const states: DeviceState[] = Array.from({ length: p.nDevices }, () => ({ buffer: emptyDevice(), masks: 0, inputs: 0, kinds: new Set<MaskKind>(), laterSplit: false, embdHole: false, hole: 0, holeFree: false }));
  // The GPU that casts each mask kind: the one running the first layer that uses it.
  const firstDevice = new Map<MaskKind, number>();
  shape.layers.forEach((l, i) => {
    const k = maskKindOf(l);
    const d = p.layerDevice[i] ?? -1;
    if (k && d >= 0 && !firstDevice.has(k)) firstDevice.set(k, d);
  });
  // Pipeline parallelism: the extra copies of each GPU's inputs (masks and the residual) are never freed.
  const held = (st: DeviceState): number => st.masks + (copies - 1) * (st.inputs + (st.kinds.size > 0 ? F32 * U * E : 0));
  // A point's activations go into the freed bottom F32 mask copy when they all fit in it (best fit); else on top.
  const point = (st: DeviceState, acts: number): number => (st.holeFree && acts <= st.hole ? 0 : acts) + held(st);

  shape.layers.forEach((layer, i) => {
    const d = p.layerDevice[i] ?? -1;
    const kind = maskKindOf(layer);
    const st = states[d];
    if (st && kind) {
      if (!st.kinds.has(kind)) meetMask(st, g, rules, kind, firstDevice.get(kind) === d);
      raise(st.buffer, 'attention', point(st, attentionActivations(layer, g, g.nKv[kind])));
      st.holeFree = st.hole > 0;
    }
    const fd = p.ffnDevice?.[i] ?? d;
    const ffnSt = states[fd];
    if (ffnSt) raise(ffnSt.buffer, 'ffn', point(ffnSt, ffnActivations(layer, g)));
    const hostWeight = p.hostWeightBytes?.[i] ?? 0;
    const gpu0 = states[0];
    if (offload && gpu0 && (hostWeight > 0 || (fd < 0 && !p.blasBackend))) {
      raise(gpu0.buffer, 'offload', point(gpu0, hostWeight + ffnActivations(layer, g)));
      gpu0.laterSplit = true;
    }
  });

  const logits = F32 * shape.vocabSize * U + F32 * U * E;
  const keptInputs = (st: DeviceState): number => (copies - 1) * st.inputs;
  const out = states[p.outputDevice];
  if (out) raise(out.buffer, 'output', logits + keptInputs(out));
  else if (offload && states[0] && !p.blasBackend) raise(states[0].buffer, 'offload', (p.outputHostWeightBytes ?? 0) + logits + keptInputs(states[0]));

  // The BLAS backend (mechanism 7): input f32 [n_embd, n_ubatch] copied in, output f32 [rows, n_ubatch].
  const blasRows = p.blasBackend ? Math.max(0, ...(p.blasMatrixRows ?? [])) : 0;
  return {
    devices: states.map((s) => s.buffer),
    hostBytes: hostBuffer(shape, g, rules, p, copies),
    cpuBytes: blasRows > 0 ? F32 * U * (blasRows + E) : 0,
    nKv: g.nKv.base,
    nUbatch: U,
  };
}

/**
 * llama.cpp's output buffer: logits f32 [n_vocab, n_outputs_max], n_outputs_max = max(1, n_seq_max) at context
 * creation (llama_context::output_reserve). Measured: 0.19 / 0.58 / 0.49 / 1.00 MiB for vocabularies of
 * 49152 / 151936 / 128256 / 262144.
 */
export function llamaCppOutputBuffer(shape: ModelShape, seqs: number): number {
  return F32 * shape.vocabSize * Math.max(1, seqs);
}
