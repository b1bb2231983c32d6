/**
 * The weights as vLLM holds them on each GPU ("Model loading took X GiB"): the checkpoint's own storage, read from
 * its quantization_config, tensor by tensor, as vLLM's quantization methods allocate it (vllm-project/vllm,
 * vllm/model_executor/layers/quantization/*.py and vocab_parallel_embedding.py at main, 2026-05):
 *  - every tensor a method does not quantize stays in the model dtype: embeddings and lm_head (FP8, MXFP4, and AWQ /
 *    GPTQ unless the config quantizes lm_head), norms, biases, routers built without a quant config, and every module
 *    the checkpoint's skip list names (ignored_layers, modules_to_not_convert, ignore);
 *  - FP8: one byte per weight plus per-tensor, per-channel or per-128x128-block float32 scales (fp8.py, fp8_utils.py);
 *  - MXFP4 (gpt-oss): only the routed experts, 4-bit blocks with one uint8 scale per 32 and bf16 biases, on sizes the
 *    MoE kernel pads (fused_moe/oracle/mxfp4.py: Marlin pads hidden to 256 and intermediate to 128, FlashInfer TRTLLM
 *    both to 256, Triton intermediate to 64);
 *  - AWQ / GPTQ / bitsandbytes: the encodings of formats/gpu-formats.ts;
 *  - the vocabulary padded to a multiple of 64, then split evenly over the tensor-parallel ranks;
 *  - the rotary embedding's cos/sin cache, [max_position_embeddings, rotary_dim] in the model dtype (one per model).
 * Shards follow plan/fit-vllm.ts rankShare (replicated norms, routers and KV heads beyond the head count).
 */
import { SizingError } from '../errors.ts';
import { elementCount } from '../formats/ggml-types.ts';
import { encodedBytes, gpuFormat } from '../formats/gpu-formats.ts';
import type { HfConfig, ModelShape, TensorInfo } from '../types.ts';

export type MoeBackend = 'marlin' | 'triton' | 'trtllm';

/** What a checkpoint's quantization_config says, reduced to what decides bytes. */
export interface CheckpointQuantization {
  method: 'none' | 'fp8' | 'mxfp4' | 'awq' | 'gptq' | 'bnb4' | 'bnb8' | 'nvfp4' | 'w8a8-int8';
  /** FP8 scale granularity. */
  fp8Scales?: 'tensor' | 'channel' | 'block';
  /** GPTQ / AWQ bits and group. */
  bits?: number;
  group?: number;
  /** Module paths (HF names) kept in the model dtype: exact names, prefixes, "*" wildcards or "re:" regexes. */
  skip: string[];
  /** Whether lm_head is quantized (GPTQ / AWQ lm_head key). */
  lmHeadQuantized: boolean;
}

const NONE: CheckpointQuantization = { method: 'none', skip: [], lmHeadQuantized: false };

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The checkpoint's storage from its config.json `quantization_config` (absent: the model dtype throughout). */
export function checkpointQuantization(config: HfConfig): CheckpointQuantization {
  const q = config['quantization_config'];
  if (typeof q !== 'object' || q === null || Array.isArray(q)) return NONE;
  const c = q as Record<string, unknown>;
  const method = String(c['quant_method'] ?? '').toLowerCase();
  const skip = [...strings(c['ignored_layers']), ...strings(c['modules_to_not_convert']), ...strings(c['ignore']), ...strings(c['llm_int8_skip_modules'])];
  const lmHeadQuantized = c['lm_head'] === true;
  switch (method) {
    case 'fp8':
    case 'fbgemm_fp8':
      return { method: 'fp8', fp8Scales: Array.isArray(c['weight_block_size']) ? 'block' : method === 'fbgemm_fp8' ? 'channel' : 'tensor', skip, lmHeadQuantized: false };
    case 'mxfp4':
    case 'gpt_oss_mxfp4':
      return { method: 'mxfp4', skip, lmHeadQuantized: false };
    case 'awq':
      return { method: 'awq', bits: Number(c['bits'] ?? c['w_bit'] ?? 4), group: Number(c['group_size'] ?? c['q_group_size'] ?? 128), skip, lmHeadQuantized };
    case 'gptq':
      return { method: 'gptq', bits: Number(c['bits'] ?? 4), group: Number(c['group_size'] ?? 128), skip, lmHeadQuantized };
    case 'bitsandbytes':
      return { method: c['load_in_8bit'] === true ? 'bnb8' : 'bnb4', skip, lmHeadQuantized: false };
    case 'modelopt':
    case 'modelopt_fp4':
      return { method: String(c['quant_algo'] ?? '').toUpperCase().includes('FP8') ? 'fp8' : 'nvfp4', fp8Scales: 'tensor', skip, lmHeadQuantized: false };
    case 'compressed-tensors':
      return compressedTensors(c, skip);
    default:
      throw new SizingError(`quantization_config.quant_method "${method}" is not one the engine sizes for vLLM`, 'quantization_config');
  }
}

/** compressed-tensors: the first config group's weight scheme (8-bit float: FP8; 4/8-bit int: WNA16 / W8A8). */
function compressedTensors(c: Record<string, unknown>, skip: string[]): CheckpointQuantization {
  const groups = c['config_groups'];
  const first = typeof groups === 'object' && groups !== null ? Object.values(groups as Record<string, unknown>)[0] : undefined;
  const weights = typeof first === 'object' && first !== null ? (first as Record<string, unknown>)['weights'] : undefined;
  const w = (typeof weights === 'object' && weights !== null ? weights : {}) as Record<string, unknown>;
  const bits = Number(w['num_bits'] ?? 8);
  const type = String(w['type'] ?? 'float');
  const strategy = String(w['strategy'] ?? 'tensor');
  if (type === 'float' && bits === 8) return { method: 'fp8', fp8Scales: strategy === 'block' ? 'block' : strategy === 'channel' ? 'channel' : 'tensor', skip, lmHeadQuantized: false };
  if (type === 'float' && bits === 4) return { method: 'nvfp4', skip, lmHeadQuantized: false };
  if (bits === 8) return { method: 'w8a8-int8', skip, lmHeadQuantized: false };
  return { method: 'gptq', bits, group: Number(w['group_size'] ?? 128), skip, lmHeadQuantized: false };
}

/** The Hugging Face module path of a GGUF tensor (what skip lists name), e.g. blk.3.attn_q.weight -> model.layers.3.self_attn.q_proj. */
export function hfModulePath(t: TensorInfo): string {
  if (t.role === 'token_embd') return 'model.embed_tokens';
  if (t.role === 'output') return 'lm_head';
  const m = /^blk\.(\d+)\.([a-z0-9_]+)/.exec(t.name);
  if (!m) return t.name;
  const [, il, part] = m;
  const layer = `model.layers.${il}`;
  const attn: Record<string, string> = { attn_q: 'q_proj', attn_k: 'k_proj', attn_v: 'v_proj', attn_output: 'o_proj', attn_qkv: 'qkv_proj' };
  if (part && attn[part]) return `${layer}.self_attn.${attn[part]}`;
  if (part?.startsWith('attn_')) return `${layer}.self_attn.${part.slice(5)}`;
  if (part === 'ffn_gate_inp') return `${layer}.mlp.gate`;
  if (part?.endsWith('_exps')) return `${layer}.mlp.experts`;
  if (part?.endsWith('_shexp')) return `${layer}.mlp.shared_expert`;
  const mlp: Record<string, string> = { ffn_gate: 'gate_proj', ffn_up: 'up_proj', ffn_down: 'down_proj' };
  if (part && mlp[part]) return `${layer}.mlp.${mlp[part]}`;
  return `${layer}.${part ?? ''}`;
}

/** Whether a skip-list entry names a module path (vLLM: exact or prefix match, "*" wildcards, "re:" regexes). */
export function skipMatches(entry: string, path: string): boolean {
  if (entry.startsWith('re:')) {
    try {
      return new RegExp(entry.slice(3)).test(path);
    } catch {
      return false;
    }
  }
  if (entry.includes('*')) {
    const re = new RegExp(`^${entry.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^.]+')}(\\.|$)`);
    return re.test(path);
  }
  const bare = entry.replace(/^model\./, '');
  const p = path.replace(/^model\./, '');
  return p === bare || p.startsWith(`${bare}.`) || (bare === 'gate' && /\.mlp\.gate$/.test(p));
}

const roundUp = (n: number, to: number): number => Math.ceil(n / to) * to;

/**
 * The MXFP4 MoE kernel's padding vLLM applies on a GPU (fused_moe/oracle/mxfp4.py picks the first backend whose
 * capability check passes): FlashInfer TRTLLM on Blackwell, Marlin's padding elsewhere. Marlin's reproduces the weights
 * printed on A100 and on H100 with vLLM 0.10-0.11 (65.97 GiB for gpt-oss-120b, to 0.03%); H100 logs of vLLM 0.14 print
 * 2.5% less (64.38 GiB), from a kernel layout the engine does not model (plain Triton padding would give 60.9 GiB).
 */
export function mxfp4Backend(gpuName: string | undefined): MoeBackend {
  if (/\b(B100|B200|B300|GB200|GB300|RTX PRO 6000 Blackwell|RTX 50\d0)\b/i.test(gpuName ?? '')) return 'trtllm';
  return 'marlin';
}

/** MXFP4 expert sizes after the kernel's padding (fused_moe/oracle/mxfp4.py mxfp4_round_up_hidden_size_and_intermediate_size). */
export function mxfp4Padded(hidden: number, intermediate: number, backend: MoeBackend): { hidden: number; intermediate: number } {
  if (backend === 'marlin') return { hidden: roundUp(hidden, 256), intermediate: roundUp(intermediate, 128) };
  if (backend === 'trtllm') return { hidden: roundUp(hidden, 256), intermediate: roundUp(intermediate, 256) };
  return { hidden, intermediate: roundUp(intermediate, 64) };
}

export interface VllmWeightOptions {
  /** Tensor-parallel ranks. */
  tp: number;
  /** Bytes of the model dtype (bf16 / fp16: 2). */
  dtypeBytes?: number;
  /** MoE kernel for MXFP4 experts (decides their padding). Default: by GPU (mxfp4Backend). */
  moeBackend?: MoeBackend;
  /** The GPU's name, for the MoE kernel vLLM picks on it. */
  gpuName?: string;
  /** Share of a tensor one rank holds (plan/fit-vllm.ts rankShare). */
  share: (t: TensorInfo) => number;
  /** Rotary cache: positions x rotary dims (0 for none). */
  ropeCacheElements: number;
}

export interface VllmWeights {
  /** Bytes per GPU. */
  bytesPerGpu: number;
  /** Bytes per GPU kept in the model dtype (not quantized). */
  unquantizedBytesPerGpu: number;
  notes: string[];
}

/** Bytes of one tensor (whole, before sharding) as the checkpoint's method stores it in vLLM. */
function tensorBytes(t: TensorInfo, q: CheckpointQuantization, dtype: number, backend: MoeBackend, shape: ModelShape, tp: number): { bytes: number; quantized: boolean } {
  const n = elementCount(t.dims);
  const plain = { bytes: n * dtype, quantized: false };
  const matrix = t.dims.length >= 2 && (t.role === 'attn' || t.role === 'ffn' || t.role === 'ffn_exps' || t.role === 'recurrent' || t.role === 'router' || t.role === 'output');
  if (q.method === 'none' || !matrix) return plain;
  const path = hfModulePath(t);
  if (q.skip.some((e) => skipMatches(e, path))) return plain;
  if (t.role === 'output' && !q.lmHeadQuantized) return plain;
  switch (q.method) {
    case 'mxfp4': {
      if (t.role !== 'ffn_exps') return plain;
      const [cols = 1, rows = 1, experts = 1] = t.dims;
      const hidden = shape.hiddenSize;
      // gate/up: [n_embd -> expert_ff]; down: [expert_ff -> n_embd]. The kernel pads each rank's share of the
      // intermediate size (it is split over the tensor-parallel ranks) and the whole hidden size.
      const ff = cols === hidden ? rows : cols;
      const padded = mxfp4Padded(hidden, ff / tp, backend);
      const elements = padded.hidden * padded.intermediate * experts * tp;
      const bias = (cols === hidden ? padded.intermediate * tp : padded.hidden) * experts * dtype;
      return { bytes: elements / 2 + elements / 32 + bias, quantized: true };
    }
    case 'fp8': {
      if (t.role === 'router') return plain;
      return { bytes: encodedBytes(gpuFormat(q.fp8Scales === 'block' ? 'fp8-block' : q.fp8Scales === 'channel' ? 'fp8-channel' : 'fp8').encoding, t.dims), quantized: true };
    }
    case 'awq':
      return { bytes: encodedBytes(gpuFormat(`awq-g${q.group ?? 128}`).encoding, t.dims), quantized: true };
    case 'gptq':
      return { bytes: encodedBytes(gpuFormat(`gptq-${q.bits ?? 4}bit-g${q.group ?? 128}`).encoding, t.dims), quantized: true };
    case 'bnb4':
      return { bytes: encodedBytes(gpuFormat('bnb-nf4').encoding, t.dims), quantized: true };
    case 'bnb8':
    case 'w8a8-int8':
      return { bytes: n + (n / (t.dims[0] ?? 1)) * 4, quantized: true };
    case 'nvfp4':
      return { bytes: encodedBytes(gpuFormat('nvfp4').encoding, t.dims), quantized: true };
  }
}

/** The weights on each GPU as vLLM allocates them for a checkpoint (tensors: the model's loaded GGUF-named list). */
export function vllmWeights(shape: ModelShape, tensors: readonly TensorInfo[], q: CheckpointQuantization, opts: VllmWeightOptions): VllmWeights {
  const dtype = opts.dtypeBytes ?? 2;
  const backend = opts.moeBackend ?? mxfp4Backend(opts.gpuName);
  let bytes = 0;
  let unquantized = 0;
  for (const t of tensors) {
    let b = tensorBytes(t, q, dtype, backend, shape, opts.tp);
    // Embedding and lm_head rows: the vocabulary padded to a multiple of 64 (vocab_parallel_embedding.py pad_vocab_size).
    if ((t.role === 'token_embd' || t.role === 'output') && !b.quantized) {
      const padded = roundUp(shape.vocabSize, 64);
      b = { bytes: (b.bytes * padded) / shape.vocabSize, quantized: false };
    }
    const share = opts.share(t);
    bytes += b.bytes * share;
    if (!b.quantized) unquantized += b.bytes * share;
  }
  const rope = opts.ropeCacheElements * dtype;
  // A multimodal checkpoint loads its vision / audio encoder too (vLLM keeps it on the GPU); split like the rest.
  const encoders = shape.extras.filter((e) => /vision|audio|image|projector/i.test(e.name));
  const encoderBytes = (encoders.reduce((sum, e) => sum + e.params, 0) * dtype) / opts.tp;
  bytes += encoderBytes;
  unquantized += encoderBytes;
  const notes: string[] = [];
  if (encoders.length > 0) notes.push(`Includes the ${encoders.map((e) => e.name).join(' and ')} (${(encoderBytes / 2 ** 30).toFixed(2)} GiB per GPU), which vLLM loads with the language model.`);
  if (q.method === 'mxfp4') notes.push(`MXFP4 experts padded for the ${backend} MoE kernel; attention, router, embeddings and lm_head stay in the model dtype.`);
  if (q.skip.length > 0) notes.push(`The checkpoint keeps ${q.skip.length} module pattern(s) unquantized (its skip list): ${q.skip.slice(0, 4).join(', ')}${q.skip.length > 4 ? ' ...' : ''}.`);
  return { bytesPerGpu: bytes + rope, unquantizedBytesPerGpu: unquantized + rope, notes };
}

/** Elements of the rotary cos/sin cache vLLM builds: positions x rotary dimensions (head size unless partial). */
export function ropeCacheElements(config: HfConfig, shape: ModelShape): number {
  const text = (typeof config['text_config'] === 'object' && config['text_config'] !== null ? config['text_config'] : config) as Record<string, unknown>;
  const positions = Number(text['max_position_embeddings'] ?? shape.maxContext);
  const first = shape.layers.find((l) => l.mixer.kind === 'attention')?.mixer;
  const headDim = first && first.kind === 'attention' ? first.headDimK : 0;
  const partial = Number(text['partial_rotary_factor'] ?? 1);
  if (!(positions > 0) || headDim === 0) return 0;
  return positions * Math.round(headDim * (partial > 0 && partial <= 1 ? partial : 1));
}
