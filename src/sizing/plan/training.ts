/**
 * Memory to fine-tune a model on one GPU (no sharding): full fine-tuning, LoRA and QLoRA.
 *
 * Per trainable parameter (Rajbhandari et al. 2020, "ZeRO: Memory Optimizations Toward Training Trillion Parameter
 * Models", §3.1: mixed-precision Adam keeps 2 + 2 + 12 = 16 bytes per parameter):
 *   weights        2 (bf16/fp16 copy the forward pass uses); 4 in pure fp32
 *   gradients      2 (same precision as the weights); 4 in pure fp32
 *   master weights 4 (fp32 copy the optimizer updates), mixed precision only
 *   optimizer      AdamW: 2 states (m, v) x 4 bytes (fp32; x 2 bytes in pure bf16)
 *                  8-bit AdamW (Dettmers et al. 2022, "8-bit Optimizers via Block-wise Quantization"): 2 x 1 byte
 *                    + an fp32 absmax per block of 256 values per state (bitsandbytes >= 0.44, PR #1365;
 *                    2048 in the paper and bitsandbytes <= 0.43)
 *                  SGD with momentum: 1 state; plain SGD: none
 *                  Adafactor (Shazeer & Stern 2018): no first moment (beta1 = 0 default), the second moment
 *                    factored into a row and a column vector per matrix: (rows + cols) x 4 bytes; vectors keep n x 4
 * Frozen weights (LoRA / QLoRA base) need no gradients or optimizer state, but activations are still stored to
 * back-propagate into the adapters.
 *
 * Activations: Korthikanti et al. 2022, "Reducing Activation Recomputation in Large Transformer Models" (§4.1,
 * eq. 1 with t = 1): a GPT layer stores s·b·h·(34 + 5·a·s/h) bytes of 16-bit activations (and 1-byte dropout
 * masks). activationBytesPerLayer() rebuilds that sum term by term from the model's own widths (GQA k/v width,
 * SwiGLU, MoE experts in use), so it reproduces 34 + 5as/h exactly for the paper's GPT shape (tested):
 *   attention  2h (QKV input) + 2(q + k) (Q, K) + 2as (softmax) + as (dropout mask) + 2as (dropout out) + 2v (V)
 *              + 2·o (output projection input) + h (dropout mask)               -> 11h + 5as for GPT
 *   MLP        2h (input) + 2f per intermediate tensor kept (2 plain: up, GeLU; 3 gated: gate, up, product)
 *              + h (dropout mask)                                                 -> 19h for f = 4h
 *   norms      2 x 2h                                                             -> 4h
 * Flash attention keeps no s x s matrices: the 5as term drops. Most current models train without dropout.
 * Gradient checkpointing (full recomputation, §4.2): only each layer's input, 2·s·b·h, is kept, plus one layer's
 * full activations while it is recomputed during the backward pass.
 * Logits: s·b·V in bf16 plus their fp32 upcast for the cross-entropy (transformers' causal-LM loss upcasts).
 */
import { SizingError } from '../errors.ts';
import type { ModelSource } from '../memory/estimate.ts';
import { elementCount } from '../formats/ggml-types.ts';
import { applyGpuFormat } from '../formats/gpu-formats.ts';
import { shapeOf } from './sized-tensors.ts';
import { loadedTensors, tensorsOf } from '../model/tensors.ts';
import type { LayerShape, ModelShape, TensorInfo } from '../types.ts';

export type TrainingMethod = 'full' | 'lora' | 'qlora';
export type TrainingOptimizer = 'adamw' | 'adamw-8bit' | 'sgd-momentum' | 'sgd' | 'adafactor';
/** 'mixed': bf16 weights and gradients with an fp32 master copy and fp32 states; 'bf16': everything bf16; 'fp32'. */
export type TrainingPrecision = 'mixed' | 'bf16' | 'fp32';
export type LoraTarget = 'q' | 'k' | 'v' | 'o' | 'gate' | 'up' | 'down';
export const LORA_TARGETS: readonly LoraTarget[] = ['q', 'k', 'v', 'o', 'gate', 'up', 'down'];

export interface TrainingInput {
  model: ModelSource;
  method: TrainingMethod;
  optimizer?: TrainingOptimizer;
  precision?: TrainingPrecision;
  /** Micro-batch size (sequences per step on the GPU). */
  batch: number;
  /** Tokens per sequence. */
  seqLen: number;
  gradientCheckpointing?: boolean;
  /** Default true (FlashAttention / SDPA memory-efficient kernels). */
  flashAttention?: boolean;
  /** Default false: current models train with attention and hidden dropout 0. */
  dropout?: boolean;
  /** LoRA / QLoRA: rank and the projections adapted (default rank 16 on q, k, v, o). */
  lora?: { rank: number; targets?: LoraTarget[] };
}

export interface TrainingMemory {
  method: TrainingMethod;
  params: { total: number; trainable: number };
  bytes: {
    weights: number;
    gradients: number;
    masterWeights: number;
    optimizerStates: number;
    activations: number;
    logits: number;
    total: number;
  };
  /** (gradients + master + optimizer) / trainable, plus weights / total params: the "16 bytes per parameter" figure for full fine-tuning. */
  bytesPerTrainableParam: number;
  activationBytesPerLayer: number;
  notes: string[];
}

/** Widths one layer's activations are built from. */
export interface LayerWidths {
  hidden: number;
  heads: number;
  /** Width of Q (heads x head_dim), K, V and of the attention output projection's input. */
  q: number;
  k: number;
  v: number;
  o: number;
  /** Intermediate width computed per token (dense ff, or experts in use x expert ff + shared ff). */
  ff: number;
  gated: boolean;
}

export function layerWidths(shape: ModelShape, layer: LayerShape): LayerWidths {
  const h = shape.hiddenSize;
  const m = layer.mixer;
  const f = layer.ffn;
  const ff = f.kind === 'dense' ? f.ff : f.nExpertUsed * f.expertFf + f.sharedFf;
  if (m.kind === 'attention') {
    return { hidden: h, heads: m.nHead, q: m.nHead * m.headDimK, k: m.nHeadKv * m.headDimK, v: m.nHeadKv * m.headDimV, o: m.nHead * m.headDimV, ff, gated: f.gated };
  }
  if (m.kind === 'mla') {
    const qk = m.nHead * (m.qkNopeHeadDim + m.qkRopeHeadDim);
    return { hidden: h, heads: m.nHead, q: qk, k: qk, v: m.nHead * m.vHeadDim, o: m.nHead * m.vHeadDim, ff, gated: f.gated };
  }
  // Recurrent mixers keep no s x s scores; approximated by their projections at hidden width. No mixer: MLP only.
  if (m.kind === 'none') return { hidden: h, heads: 0, q: 0, k: 0, v: 0, o: 0, ff, gated: f.gated };
  return { hidden: h, heads: 0, q: h, k: h, v: h, o: h, ff, gated: f.gated };
}

/** Korthikanti et al. 2022 eq. 1, term by term, for one layer (see the header). */
export function activationBytesPerLayer(w: LayerWidths, seqLen: number, batch: number, opts: { flashAttention: boolean; dropout: boolean }): number {
  const s = seqLen;
  const mask = opts.dropout ? 1 : 0;
  const scores = opts.flashAttention ? 0 : w.heads * s * (2 + mask + (opts.dropout ? 2 : 0));
  const attention = 2 * w.hidden + 2 * (w.q + w.k) + scores + 2 * w.v + 2 * w.o + mask * w.hidden;
  const mlp = 2 * w.hidden + 2 * w.ff * (w.gated ? 3 : 2) + mask * w.hidden;
  const norms = 2 * 2 * w.hidden;
  return s * batch * (attention + mlp + norms);
}

/** The LoRA target a GGUF-named tensor answers to (PEFT module names q_proj ... down_proj), or null. */
function loraTargetOf(t: TensorInfo): LoraTarget[] | null {
  const name = t.name.replace(/^blk\.\d+\./, '');
  const map: Record<string, LoraTarget[]> = {
    'attn_q.weight': ['q'],
    'attn_k.weight': ['k'],
    'attn_v.weight': ['v'],
    'attn_qkv.weight': ['q', 'k', 'v'], // fused qkv_proj (Phi-3): adapted when any of q, k, v is asked for
    'attn_output.weight': ['o'],
    'ffn_gate.weight': ['gate'],
    'ffn_up.weight': ['up'],
    'ffn_down.weight': ['down'],
    'ffn_gate_shexp.weight': ['gate'],
    'ffn_up_shexp.weight': ['up'],
    'ffn_down_shexp.weight': ['down'],
  };
  return t.role === 'recurrent' ? null : (map[name] ?? null);
}

interface OptimizerCost {
  /** Optimizer-state bytes for a set of trainable matrices. */
  bytes: (matrices: readonly number[][]) => number;
  label: string;
}

/** Values per fp32 absmax scale of bitsandbytes' 8-bit optimizer states: 256 since 0.44 (PR #1365), 2048 before. */
export const BNB_8BIT_BLOCK = 256;
export const BNB_8BIT_BLOCK_BEFORE_0_44 = 2048;

function optimizerCost(opt: TrainingOptimizer, stateBytes: number): OptimizerCost {
  const count = (ms: readonly number[][]) => ms.reduce((s, d) => s + elementCount(d), 0);
  switch (opt) {
    case 'adamw':
      return { bytes: (ms) => 2 * stateBytes * count(ms), label: `AdamW: 2 states x ${stateBytes} bytes` };
    case 'adamw-8bit':
      return {
        bytes: (ms) => ms.reduce((s, d) => s + 2 * (elementCount(d) + 4 * Math.ceil(elementCount(d) / BNB_8BIT_BLOCK)), 0),
        label: `8-bit AdamW: 2 states x 1 byte + fp32 absmax per ${BNB_8BIT_BLOCK} (bitsandbytes >= 0.44)`,
      };
    case 'sgd-momentum':
      return { bytes: (ms) => stateBytes * count(ms), label: `SGD with momentum: 1 state x ${stateBytes} bytes` };
    case 'sgd':
      return { bytes: () => 0, label: 'SGD: no state' };
    case 'adafactor':
      return {
        bytes: (ms) => ms.reduce((s, d) => s + 4 * (d.length >= 2 ? (d[0] ?? 1) + elementCount(d.slice(1)) : elementCount(d)), 0),
        label: 'Adafactor: factored second moment (rows + cols) x 4 bytes',
      };
  }
}

export function trainingMemory(input: TrainingInput): TrainingMemory {
  for (const [v, f] of [[input.batch, 'batch'], [input.seqLen, 'seqLen']] as const) {
    if (!Number.isInteger(v) || v < 1) throw new SizingError(`${f} must be a whole number of at least 1, got ${v}`, f);
  }
  const shape = shapeOf(input.model);
  // transformers builds num_hidden_layers layers only: NextN blocks (GLM-4.5) are not part of what is trained.
  const tensors = loadedTensors(input.model.kind === 'shape' && input.model.tensors ? input.model.tensors : tensorsOf(shape), shape);
  const precision = input.precision ?? 'mixed';
  const optimizer = input.optimizer ?? 'adamw';
  const wordBytes = precision === 'fp32' ? 4 : 2;
  const stateBytes = precision === 'bf16' ? 2 : 4;
  const masterBytes = precision === 'mixed' ? 4 : 0;
  const cost = optimizerCost(optimizer, stateBytes);
  const notes: string[] = [cost.label];
  const total = tensors.reduce((s, t) => s + elementCount(t.dims), 0);

  // What is trained: every tensor, or low-rank adapters A [r x d_in] and B [d_out x r] beside the chosen matrices.
  let trainable: number[][];
  let frozenBytes = 0;
  if (input.method === 'full') {
    trainable = tensors.map((t) => t.dims);
  } else {
    const rank = input.lora?.rank ?? 16;
    if (!Number.isInteger(rank) || rank < 1) throw new SizingError(`LoRA rank must be a whole number of at least 1, got ${rank}`, 'rank');
    const targets = new Set<LoraTarget>(input.lora?.targets ?? ['q', 'k', 'v', 'o']);
    for (const t of targets) if (!LORA_TARGETS.includes(t)) throw new SizingError(`Unknown LoRA target "${t}"; use ${LORA_TARGETS.join(', ')}`, 'targets');
    trainable = [];
    for (const t of tensors) {
      const hit = loraTargetOf(t);
      if (!hit || !hit.some((x) => targets.has(x))) continue;
      const dIn = t.dims[0] ?? 0;
      const dOut = elementCount(t.dims.slice(1));
      trainable.push([dIn, rank], [rank, dOut]); // adapter params = r x (d_in + d_out)
    }
    if (trainable.length === 0) throw new SizingError('No matrix of this model matches the LoRA targets', 'targets');
    // Base frozen in bf16 (LoRA) or NF4 with double quantization (QLoRA: Dettmers et al. 2023).
    frozenBytes = applyGpuFormat(tensors, input.method === 'qlora' ? 'bnb-nf4-dq' : 'bf16').bytes;
    if (shape.layers.some((l) => l.ffn.kind === 'moe') && [...targets].some((x) => x === 'gate' || x === 'up' || x === 'down')) {
      notes.push('MoE: gate/up/down adapters are counted on dense and shared-expert MLPs only, not on each routed expert.');
    }
    if (shape.layers.some((l) => l.mixer.kind === 'mla')) notes.push('MLA low-rank projections are not mapped to LoRA targets (only the output projection is).');
    if (input.method === 'qlora') notes.push('QLoRA: base in NF4 with double quantization (bnb-nf4-dq), adapters bf16 with fp32 master and optimizer states.');
  }
  const trainableParams = trainable.reduce((s, d) => s + elementCount(d), 0);
  const weights = frozenBytes + trainableParams * wordBytes;
  const gradients = trainableParams * wordBytes;
  const masterWeights = trainableParams * masterBytes;
  const optimizerStates = cost.bytes(trainable);

  const flashAttention = input.flashAttention ?? true;
  const dropout = input.dropout ?? false;
  const perLayer = shape.layers.map((l) => activationBytesPerLayer(layerWidths(shape, l), input.seqLen, input.batch, { flashAttention, dropout }));
  const largestLayer = Math.max(0, ...perLayer);
  const tokens = input.seqLen * input.batch;
  const activations = input.gradientCheckpointing
    ? shape.layers.length * 2 * tokens * shape.hiddenSize + largestLayer
    : perLayer.reduce((s, b) => s + b, 0);
  const logits = tokens * shape.vocabSize * (2 + 4);
  if (input.gradientCheckpointing) notes.push('Gradient checkpointing: each layer keeps its 2·s·b·h input; one layer is recomputed at a time.');
  if (!flashAttention) notes.push('Without flash attention each layer stores its s x s attention scores (the 5·a·s/h term).');
  notes.push('Not counted: CUDA context (~0.3-0.5 GiB), allocator fragmentation, temporary buffers of the optimizer step.');
  const totalBytes = weights + gradients + masterWeights + optimizerStates + activations + logits;
  return {
    method: input.method,
    params: { total, trainable: trainableParams },
    bytes: { weights, gradients, masterWeights, optimizerStates, activations, logits, total: totalBytes },
    bytesPerTrainableParam: (trainableParams * wordBytes + gradients + masterWeights + optimizerStates) / trainableParams,
    activationBytesPerLayer: perLayer[0] ?? 0,
    notes,
  };
}
