/**
 * Hand counts of the text models behind the multimodal checkpoints in test/unit/vision-*.test.ts, so that
 * "published total minus text" isolates the vision weights. Plain Hugging Face module arithmetic (Qwen2 / Qwen3 /
 * Llama decoders: q/k/v/o, gated MLP, RMSNorms; Qwen2 adds q/k/v biases, Qwen3 per-head q/k norms).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { HfConfig } from '../../src/sizing/types.ts';

export interface DenseText {
  vocab: number;
  hidden: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  ff: number;
  tied: boolean;
  qkvBias?: boolean;
  qkNorm?: boolean;
}

export function denseTextParams(t: DenseText): number {
  const q = t.heads * t.headDim;
  const kv = t.kvHeads * t.headDim;
  const attn = t.hidden * q + 2 * t.hidden * kv + q * t.hidden + (t.qkvBias ? q + 2 * kv : 0) + (t.qkNorm ? 2 * t.headDim : 0);
  const layer = attn + 3 * t.hidden * t.ff + 2 * t.hidden;
  return t.layers * layer + t.vocab * t.hidden * (t.tied ? 1 : 2) + t.hidden;
}

/** Qwen2.5-7B / Qwen2-7B (Qwen2.5-VL-7B's and Qwen2-VL-7B's text model): 7,615,616,512 parameters. */
export const QWEN25_7B: DenseText = { vocab: 152064, hidden: 3584, layers: 28, heads: 28, kvHeads: 4, headDim: 128, ff: 18944, tied: false, qkvBias: true };

/** Real configs of LLaVA, LLaVA-NeXT and InternVL checkpoints (test/fixtures/configs/; their text models are read by model/wrapped-text.ts). */
export function loadVisionConfig(id: string): HfConfig {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../fixtures/configs/${id}.json`, import.meta.url)), 'utf8')) as HfConfig;
}
