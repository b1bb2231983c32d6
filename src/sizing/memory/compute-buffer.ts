/**
 * llama.cpp's compute buffer: the scratch memory ggml-alloc reserves for the largest graph (one ubatch of n_ubatch
 * tokens with every output computed, attending over the whole cache). It is the peak of what the graph holds live
 * at one point, so we model three points of the graph and take the largest:
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
 * GPU backends: the token embedding lookup (get_rows on the CPU-resident token_embd) and the graph inputs live in a
 * host buffer ("CUDA_Host compute buffer"): host = f32 [n_embd, n_ubatch] + the KQ mask; the device buffer holds the
 * rest plus its own copy of the mask. Checked on a published CUDA log (32 layers, 1024 KV width, FA off,
 * logdetective PR #106): n_ctx 2048 -> device 164 MiB + host 12.01 MiB, n_ctx 32768 -> 2144 + 72.01 MiB.
 */
import { llamaCppContext, kvWidths } from './kv-llamacpp.ts';
import type { KvOptions } from './kv-cache-types.ts';
import { isQuantizedType } from '../formats/ggml-types.ts';
import { llamaCppProfile } from './runtime-profiles.ts';
import type { LayerShape, ModelShape } from '../types.ts';
import { attentionOf } from '../mixers.ts';

export interface ComputeBufferOptions {
  ctx: number;
  seqs: number;
  typeK: string;
  typeV: string;
  flashAttn?: boolean;
  ubatch?: number;
  unified?: boolean;
  version?: string;
  /** 'cpu': one buffer (the measured runs). 'gpu': the device buffer plus a host buffer for the graph inputs. */
  backend?: 'cpu' | 'gpu';
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
  if ((opts.backend ?? 'gpu') === 'cpu') return { deviceBytes: peakValue, hostBytes: 0, peak, phases, nKv, nUbatch: U };
  // GPU: the embedding rows are gathered on the host (token_embd stays on the CPU); the mask is an input copied over.
  const embdRows = F32 * U * E;
  return { deviceBytes: peakValue - (peak === 'attention' ? embdRows : 0), hostBytes: embdRows + mask, peak, phases, nKv, nUbatch: U };
}

/**
 * llama.cpp's output buffer: logits f32 [n_vocab, n_outputs_max], n_outputs_max = max(1, n_seq_max) at context
 * creation (llama_context::output_reserve). Measured: 0.19 / 0.58 / 0.49 / 1.00 MiB for vocabularies of
 * 49152 / 151936 / 128256 / 262144.
 */
export function llamaCppOutputBuffer(shape: ModelShape, seqs: number): number {
  return F32 * shape.vocabSize * Math.max(1, seqs);
}
