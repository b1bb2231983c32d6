/**
 * GPU-side checkpoint formats (safetensors for vLLM / TGI / transformers / SGLang / TensorRT-LLM) and the bytes
 * each stores per tensor, scales, zero points and index tensors included.
 *
 * Bytes are computed from a tensor's dims: ggml order, dims[0] = input features (the axis groups and blocks run
 * along), rows = product of the other dims (a 3-D expert tensor is n_expert matrices). Layouts:
 *  - AWQ (AutoAWQ GEMM/GEMV, vLLM AWQConfig): qweight int32 [in, out/8] (4-bit), qzeros int32 [in/g, out/8],
 *    scales fp16 [in/g, out]. 4-bit only (vLLM raises otherwise).
 *  - GPTQ (AutoGPTQ / GPTQModel "gptq" format, vLLM GPTQ/Marlin): qweight int32 [in*bits/32, out],
 *    qzeros int32 [G, out*bits/32], scales fp16 [G, out], g_idx int32 [in], G = in/g (g = -1: G = 1).
 *    qzeros and g_idx are written whether or not sym / desc_act (act-order) is set, so neither changes the size.
 *  - bitsandbytes 4-bit (transformers serialization): packed uint8 [n/2], absmax fp32 per 64 weights, quant_map
 *    16 x fp32; with double quantization absmax becomes uint8 per 64 plus nested_absmax fp32 per 256 blocks,
 *    nested_quant_map 256 x fp32 and an fp32 offset (QLoRA paper: 8/64 + 32/(64*256) = 0.127 bits of constants).
 *  - LLM.int8(): int8 weight [out, in] + SCB fp32 per output row.
 *  - FP8 E4M3: per-tensor fp32 weight_scale (vLLM --quantization fp8, llm-compressor FP8), per-channel fp32
 *    [out, 1], or DeepSeek-style weight_scale_inv fp32 per 128 x 128 block.
 *  - NVFP4 (ModelOpt / compressed-tensors): packed E2M1 uint8 [out, in/2], E4M3 scale per 16, fp32 weight_scale_2
 *    per tensor, fp32 input_scale per tensor.
 *  - MXFP4 (OCP MX; gpt-oss): E2M1 blocks uint8 [n/2] + E8M0 scale uint8 per 32.
 *  - INT8 W8A8 (SmoothQuant / llm-compressor): int8 weight + fp32 scale per output channel; activation scales are
 *    computed at run time (dynamic) or are one scalar per layer (static), negligible either way.
 *  - HQQ 4-bit (mobiusml/hqq, transformers HqqConfig nbits=4, group_size=64): packed 4-bit codes, fp16 scale and
 *    fp16 zero per group along the input axis (axis=1), meta left unquantized.
 * Sources: each library's save code and format spec named above (AutoAWQ, GPTQModel/AutoGPTQ, bitsandbytes, llm-compressor,
 * the OCP Microscaling spec, NVIDIA's NVFP4 description, HQQ).
 */
import { SizingError } from '../errors.ts';
import { elementCount } from './ggml-types.ts';
import { ggmlNDims } from './gguf-mix.ts';
import type { TensorInfo, TensorRole } from '../types.ts';

/** What a format does with one matrix. */
type Encoding =
  | { kind: 'float'; bytesPerWeight: number; label: string }
  | { kind: 'awq'; group: number }
  | { kind: 'gptq'; bits: 2 | 3 | 4 | 8; group: number; sym: boolean; actOrder: boolean }
  | { kind: 'bnb4'; doubleQuant: boolean; label: 'nf4' | 'fp4' }
  | { kind: 'int8-row' }
  | { kind: 'fp8'; scales: 'tensor' | 'channel' | 'block128' }
  | { kind: 'nvfp4' }
  | { kind: 'hqq'; group: number }
  | { kind: 'mxfp4' };

export interface GpuFormat {
  id: string;
  name: string;
  description: string;
  /** What stays in 16-bit (or as stored) rather than in the format. */
  keeps16Bit: string;
  encoding: Encoding;
  /** Which tensors the format encodes; the rest stay at `baseBytesPerWeight`. */
  encodes: (t: TensorInfo) => boolean;
  /** Bytes per element of the tensors left unquantized (2 for BF16/FP16 checkpoints, 4 for FP32). */
  baseBytesPerWeight: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Which tensors a format encodes

/** Linear layers inside the blocks: attention, MLP, experts, recurrent projections (not conv1d, not 1-D). */
function isBlockLinear(t: TensorInfo): boolean {
  const linearRoles: readonly TensorRole[] = ['attn', 'ffn', 'ffn_exps', 'recurrent'];
  return linearRoles.includes(t.role) && ggmlNDims(t.dims) >= 2 && t.name.endsWith('.weight') && !t.name.includes('conv');
}

/** gpt-oss: only the routed experts are MXFP4 (its quantization_config.modules_to_not_convert: self_attn, router, embed_tokens, lm_head). */
function isRoutedExpert(t: TensorInfo): boolean {
  return t.role === 'ffn_exps' && t.name.endsWith('.weight');
}

const KEEP_USUAL = 'embeddings, lm_head, norms, biases and MoE routers stay BF16/FP16';

// ---------------------------------------------------------------------------------------------------------------
// The formats

function floatFormat(id: string, name: string, bytes: number): GpuFormat {
  return {
    id,
    name,
    description: `${name}: ${bytes * 8} bits per weight, no scales.`,
    keeps16Bit: bytes === 4 ? 'everything is FP32' : 'everything is 16-bit',
    encoding: { kind: 'float', bytesPerWeight: bytes, label: name },
    encodes: () => true,
    baseBytesPerWeight: bytes,
  };
}

function awq(group: number): GpuFormat {
  return {
    id: group === 128 ? 'awq' : `awq-g${group}`,
    name: `AWQ 4-bit, group ${group}`,
    description: `INT4 weights, one FP16 scale and one packed 4-bit zero point per ${group} input weights (${(4 + 20 / group).toFixed(3)} bpw).`,
    keeps16Bit: `${KEEP_USUAL} (AutoAWQ quantizes the Linear layers of the blocks; MoE gates are in modules_to_not_convert)`,
    encoding: { kind: 'awq', group },
    encodes: isBlockLinear,
    baseBytesPerWeight: 2,
  };
}

function gptq(bits: 2 | 3 | 4 | 8, group: number, sym = true, actOrder = false): GpuFormat {
  const g = group === -1 ? 'per-channel' : `group ${group}`;
  const suffix = `${sym ? '' : '-asym'}${actOrder ? '-actorder' : ''}`;
  return {
    id: `gptq-${bits}bit-g${group}${suffix}`,
    name: `GPTQ ${bits}-bit, ${g}${sym ? '' : ', asymmetric'}${actOrder ? ', act-order' : ''}`,
    description: `INT${bits} weights, FP16 scale and packed ${bits}-bit zero point per ${group === -1 ? 'output channel' : `${group} input weights`}, plus an int32 g_idx per input channel. Symmetry and act-order do not change the size.`,
    keeps16Bit: `${KEEP_USUAL} (GPTQ quantizes the Linear layers of the blocks)`,
    encoding: { kind: 'gptq', bits, group, sym, actOrder },
    encodes: isBlockLinear,
    baseBytesPerWeight: 2,
  };
}

function bnb4(label: 'nf4' | 'fp4', doubleQuant: boolean): GpuFormat {
  return {
    id: `bnb-${label}${doubleQuant ? '-dq' : ''}`,
    name: `bitsandbytes ${label.toUpperCase()}${doubleQuant ? ' + double quant' : ''}`,
    description: doubleQuant
      ? `4-bit ${label.toUpperCase()} codes, 8-bit absmax per 64 weights and an FP32 constant per 256 blocks (about 4.127 bpw).`
      : `4-bit ${label.toUpperCase()} codes and an FP32 absmax per 64 weights (4.5 bpw).`,
    keeps16Bit: 'embeddings, lm_head (transformers skips the output layer), norms and biases stay 16-bit; every other nn.Linear, MoE routers included, is quantized',
    encoding: { kind: 'bnb4', doubleQuant, label },
    encodes: (t) => isBlockLinear(t) || (t.role === 'router' && ggmlNDims(t.dims) >= 2),
    baseBytesPerWeight: 2,
  };
}

const FORMATS: readonly GpuFormat[] = [
  floatFormat('fp32', 'FP32', 4),
  floatFormat('fp16', 'FP16', 2),
  floatFormat('bf16', 'BF16', 2),
  {
    id: 'fp8',
    name: 'FP8 E4M3, per-tensor scale',
    description: 'FP8 E4M3 weights with one FP32 scale per tensor (vLLM --quantization fp8; Neural Magic FP8 checkpoints also store an FP32 input scale).',
    keeps16Bit: `${KEEP_USUAL} (vLLM keeps lm_head; llm-compressor recipes ignore lm_head and the MoE gates)`,
    encoding: { kind: 'fp8', scales: 'tensor' },
    encodes: isBlockLinear,
    baseBytesPerWeight: 2,
  },
  {
    id: 'fp8-channel',
    name: 'FP8 E4M3, per-channel scales',
    description: 'FP8 E4M3 weights with one FP32 scale per output channel ("FP8-dynamic" style; activations scaled per token at run time).',
    keeps16Bit: KEEP_USUAL,
    encoding: { kind: 'fp8', scales: 'channel' },
    encodes: isBlockLinear,
    baseBytesPerWeight: 2,
  },
  {
    id: 'fp8-block',
    name: 'FP8 E4M3, 128x128 block scales',
    description: 'FP8 E4M3 weights with an FP32 weight_scale_inv per 128x128 block (DeepSeek-V3/R1, Qwen3 FP8: weight_block_size [128, 128]).',
    keeps16Bit: `${KEEP_USUAL} (DeepSeek-V3 keeps embed_tokens, lm_head, norms and the router gate in BF16)`,
    encoding: { kind: 'fp8', scales: 'block128' },
    encodes: isBlockLinear,
    baseBytesPerWeight: 2,
  },
  awq(128),
  awq(64),
  awq(32),
  gptq(4, 128),
  gptq(4, 128, true, true),
  gptq(4, 64),
  gptq(4, 32),
  gptq(4, 32, true, true),
  gptq(4, -1),
  gptq(8, 128),
  gptq(8, -1),
  gptq(3, 128),
  gptq(2, 128),
  bnb4('nf4', false),
  bnb4('nf4', true),
  bnb4('fp4', false),
  bnb4('fp4', true),
  {
    id: 'fp8-e5m2',
    name: 'FP8 E5M2, per-tensor scale',
    description: 'FP8 E5M2 (2 mantissa bits, wider range) weights with one FP32 scale per tensor; mostly used for gradients and KV caches, rarely for weights.',
    keeps16Bit: KEEP_USUAL,
    encoding: { kind: 'fp8', scales: 'tensor' },
    encodes: isBlockLinear,
    baseBytesPerWeight: 2,
  },
  {
    id: 'w8a8-int8',
    name: 'INT8 W8A8 (SmoothQuant)',
    description: 'INT8 weights with an FP32 scale per output channel; activations are also quantized to INT8 at run time after SmoothQuant moves their outliers into the weights.',
    keeps16Bit: `${KEEP_USUAL} (llm-compressor W8A8 recipes ignore lm_head)`,
    encoding: { kind: 'int8-row' },
    encodes: isBlockLinear,
    baseBytesPerWeight: 2,
  },
  {
    id: 'hqq-w4-g64',
    name: 'HQQ 4-bit, group 64',
    description: 'Calibration-free 4-bit codes with an FP16 scale and FP16 zero per 64 weights, fitted by a half-quadratic solver (4.5 bpw).',
    keeps16Bit: `${KEEP_USUAL} (transformers HqqConfig quantizes the nn.Linear layers of the blocks)`,
    encoding: { kind: 'hqq', group: 64 },
    encodes: isBlockLinear,
    baseBytesPerWeight: 2,
  },
  {
    id: 'bnb-int8',
    name: 'bitsandbytes LLM.int8()',
    description: 'INT8 weights with an FP32 scale per output row; outlier activation columns are multiplied in FP16 at run time (no extra weight storage).',
    keeps16Bit: 'embeddings, lm_head, norms and biases stay 16-bit; other nn.Linear layers, routers included, are INT8',
    encoding: { kind: 'int8-row' },
    encodes: (t) => isBlockLinear(t) || (t.role === 'router' && ggmlNDims(t.dims) >= 2),
    baseBytesPerWeight: 2,
  },
  {
    id: 'nvfp4',
    name: 'NVFP4',
    description: 'E2M1 4-bit weights, an FP8 E4M3 scale per 16 and an FP32 scale per tensor (4.5 bpw); Blackwell tensor cores.',
    keeps16Bit: `${KEEP_USUAL} (ModelOpt quantizes the Linear layers inside the blocks)`,
    encoding: { kind: 'nvfp4' },
    encodes: isBlockLinear,
    baseBytesPerWeight: 2,
  },
  {
    id: 'mxfp4',
    name: 'MXFP4 (all block linears)',
    description: 'OCP microscaling FP4: E2M1 weights with one E8M0 power-of-two scale per 32 (4.25 bpw) on every Linear of the blocks.',
    keeps16Bit: KEEP_USUAL,
    encoding: { kind: 'mxfp4' },
    encodes: isBlockLinear,
    baseBytesPerWeight: 2,
  },
  {
    id: 'mxfp4-moe',
    name: 'MXFP4 experts (gpt-oss)',
    description: 'gpt-oss release format: routed-expert weights MXFP4 (4.25 bpw), everything else BF16.',
    keeps16Bit: 'attention, router, embeddings, lm_head, norms, biases and attention sinks stay BF16 (gpt-oss quantization_config.modules_to_not_convert)',
    encoding: { kind: 'mxfp4' },
    encodes: isRoutedExpert,
    baseBytesPerWeight: 2,
  },
];

const BY_ID: ReadonlyMap<string, GpuFormat> = new Map(FORMATS.map((f) => [f.id, f]));

/** The listed GPU formats with their descriptions (ids are accepted by applyGpuFormat). */
export function gpuFormats(): GpuFormat[] {
  return [...FORMATS];
}

/**
 * A format by id. Besides the listed ids, any GPTQ variant "gptq-<2|3|4|8>bit-g<size|-1>[-asym][-actorder]" and
 * any AWQ group "awq-g<size>" is accepted.
 */
export function gpuFormat(id: string): GpuFormat {
  const key = id.trim().toLowerCase();
  const listed = BY_ID.get(key);
  if (listed) return listed;
  const g = /^gptq-(2|3|4|8)bit-g(-1|\d+)(-asym)?(-actorder)?$/.exec(key);
  if (g) return gptq(Number(g[1]) as 2 | 3 | 4 | 8, validGroup(Number(g[2])), !g[3], !!g[4]);
  const a = /^awq-g(\d+)$/.exec(key);
  if (a) return awq(validGroup(Number(a[1])));
  throw new SizingError(`Unknown GPU format "${id}". Known: ${[...BY_ID.keys()].join(', ')}`, 'format');
}

function validGroup(g: number): number {
  if (g === -1 || (Number.isInteger(g) && g > 0)) return g;
  throw new SizingError(`Group size must be a positive integer or -1, got ${g}`, 'format');
}

// ---------------------------------------------------------------------------------------------------------------
// Bytes of one tensor

/** Bytes a tensor takes when `format` encodes it (scales and index tensors included). */
export function encodedBytes(enc: Encoding, dims: readonly number[]): number {
  const n = elementCount(dims);
  const cols = dims[0] ?? 1; // input features: groups run along this axis
  const rows = n / cols; // output features x experts
  const ceil = Math.ceil;
  switch (enc.kind) {
    case 'float':
      return n * enc.bytesPerWeight;
    case 'awq': {
      const groups = ceil(cols / enc.group);
      // qweight 4 bits per weight; per group and output: fp16 scale + 4-bit zero.
      return n / 2 + groups * rows * 2 + (groups * rows) / 2;
    }
    case 'gptq': {
      const groups = enc.group === -1 ? 1 : ceil(cols / enc.group);
      const packed = (count: number) => ceil((count * enc.bits) / 32) * 4; // int32 packing
      const matrices = dims.length > 2 ? elementCount(dims.slice(2)) : 1;
      const out = rows / matrices;
      const perMatrix = packed(cols) * out + groups * packed(out) + groups * out * 2 + cols * 4;
      return perMatrix * matrices;
    }
    case 'bnb4': {
      const blocks = ceil(n / 64);
      if (!enc.doubleQuant) return ceil(n / 2) + blocks * 4 + 16 * 4;
      return ceil(n / 2) + blocks + ceil(blocks / 256) * 4 + 16 * 4 + 256 * 4 + 4;
    }
    case 'int8-row':
      return n + rows * 4;
    case 'fp8':
      if (enc.scales === 'tensor') return n + 4;
      if (enc.scales === 'channel') return n + rows * 4;
      return n + ceil(cols / 128) * ceil(rows / 128) * 4;
    case 'nvfp4':
      return ceil(n / 2) + ceil(n / 16) + 4 + 4;
    case 'mxfp4':
      return ceil(n / 2) + ceil(n / 32);
    case 'hqq': {
      // 4-bit codes packed two per byte; per group an FP16 scale and an FP16 zero (HQQ's default meta, not quantized).
      const groups = ceil(cols / enc.group);
      return ceil(n / 2) + groups * rows * 4;
    }
  }
}

export interface GpuFormattedTensor extends TensorInfo {
  /** Format id for encoded tensors; "bf16" / "fp16" / "fp32" for those left as stored. */
  format: string;
  bytes: number;
}

export interface GpuFormatResult {
  tensors: GpuFormattedTensor[];
  bytes: number;
  /** Bytes x 8 / elements over the whole checkpoint. */
  bitsPerWeight: number;
  format: GpuFormat;
}

/** Bytes of every tensor of a model stored in a GPU format. */
export function applyGpuFormat(tensors: readonly TensorInfo[], formatId: string): GpuFormatResult {
  const format = gpuFormat(formatId);
  const keptLabel = format.baseBytesPerWeight === 4 ? 'fp32' : format.encoding.kind === 'float' ? format.id : 'bf16';
  let bytes = 0;
  let elements = 0;
  const out = tensors.map((t) => {
    const encoded = format.encodes(t);
    const b = encoded ? encodedBytes(format.encoding, t.dims) : elementCount(t.dims) * format.baseBytesPerWeight;
    bytes += b;
    elements += elementCount(t.dims);
    return { ...t, format: encoded ? format.id : keptLabel, bytes: b };
  });
  return { tensors: out, bytes, bitsPerWeight: elements === 0 ? 0 : (bytes * 8) / elements, format };
}
