/**
 * RWKV-6 "Finch" (Rwkv6ForCausalLM -> llama.cpp "rwkv6") and RWKV-7 "Goose" (Rwkv7ForCausalLM / RWKV7ForCausalLM ->
 * "rwkv7"). Attention-free: every layer is a time-mix (WKV linear attention with token shift) and a channel mix
 * (squared-ReLU MLP with its own token shift). No KV cache; one recurrent state per layer and sequence.
 *
 * Converter (conversion/rwkv.py):
 * - Rwkv6Model (the RWKV org's remote-code format): head_size, hidden_size, intermediate_size (null: int(h x 3.5) // 32
 *   x 32), time_mix_extra_dim = 64 if hidden == 4096 else 32, time_decay_extra_dim = 128 if hidden == 4096 else 64
 *   (no config key is read for them). The five time-mix lerps are fused (time_mix_lerp_fused {n_embd, 1, 1, 5}).
 * - Rwkv7Model (fla-hub and RWKV-org "-HF" checkpoints): head_size | head_dim, intermediate_size (null: 4 h), LoRA
 *   ranks lora_rank_{decay,iclr,value_residual_mix,gate} or {decay,a,v,gate}_low_rank_dim, else
 *   max(1, round(h^e x m / 32)) x 32 with (0.5, 1.8), (0.5, 1.8), (0.5, 1.3), (0.8, 0.6). The six lerps are fused
 *   ({n_embd, 1, 1, 6}); layer 0 gets dummy v0/v1/v2 copied from a0/a1/a2 (so its v1/v2 are iclr-rank wide).
 * Both write context 2^20 (RWKV has no trained window) and the vocabulary of the checkpoint (65536 for the World
 * tokenizer). The output head is required by the loaders (flag 0), so it is always written.
 *
 * Tensors in load order: src/models/rwkv6.cpp and rwkv7.cpp load_arch_tensors (llama.cpp 3f545bec). Squeezed lerps,
 * decay and r_k are written 1-D ({n_embd}), as the converter stores them.
 *
 * State per layer (src/llama-hparams.cpp): n_embd_r = token_shift_count (2) x n_embd (the time-mix and channel-mix
 * shifts), n_embd_s = n_embd x head_size (the WKV matrices of n_embd / head_size heads), F32, one per sequence.
 */
import type { ConfigReader } from '../config-reader.ts';
import type { ArchFamily, GlobalEmit } from '../family.ts';
import type { Emit } from '../tensor-parts.ts';
import { denseFfn, repeat, zipLayers } from '../shape-parts.ts';
import { SizingError } from '../../errors.ts';
import type { LayerShape, ModelShape, RecurrentLayer } from '../../types.ts';
import { RECURRENT_CONTEXT, firstKey } from './mamba.ts';

type Version = 'rwkv6' | 'rwkv7';

/** The sizes an RWKV block's tensors need, beyond hidden and the channel-mix width. */
export interface RwkvShape {
  version: Version;
  headSize: number;
  /** rwkv6: time_mix_extra_dim (w1/w2) and time_decay_extra_dim (decay_w1/w2). */
  mixRank: number;
  decayRank: number;
  /** rwkv7: LoRA ranks of the in-context learning rate (a), value-residual mix (v) and gate (g). */
  iclrRank: number;
  valueRank: number;
  gateRank: number;
}

export interface RwkvLayer extends RecurrentLayer {
  rwkv: RwkvShape;
}

function rwkvOf(layer: LayerShape): RwkvShape {
  const m = layer.mixer;
  if (m.kind === 'recurrent' && 'rwkv' in m) return (m as RwkvLayer).rwkv;
  throw new SizingError(`layer ${layer.index}: an RWKV layer without its sizes (a shape not read from a config.json) cannot list its tensors`, 'layers');
}

/** Rwkv7Model.calc_lora_rank. */
function loraRank(h: number, exponent: number, multiplier: number): number {
  return Math.max(1, Math.round((h ** exponent * multiplier) / 32)) * 32;
}

/** A rank under the first key present, else the converter's formula (stated). */
function rank(r: ConfigReader, keys: readonly string[], fallback: number, what: string, assume: (note: string) => void): number {
  const key = firstKey(r, keys);
  if (key !== undefined) return r.int(key);
  assume(`${what} rank not given (${keys.join(' / ')}): ${fallback}, llama.cpp's converter formula.`);
  return fallback;
}

/** The fla-hub spelling (RWKV6ForCausalLM) is not one llama.cpp's converter registers. */
function archName(r: ConfigReader): string | undefined {
  const archs = r.raw('architectures');
  return Array.isArray(archs) && typeof archs[0] === 'string' ? archs[0] : undefined;
}

function versionOf(r: ConfigReader): Version {
  const arch = archName(r);
  if (arch !== undefined) return /7/.test(arch) ? 'rwkv7' : 'rwkv6';
  return r.optionalString('model_type') === 'rwkv7' ? 'rwkv7' : 'rwkv6';
}

function readRwkv6(r: ConfigReader, h: number, assume: (note: string) => void): { shape: RwkvShape; ff: number } {
  const fla = archName(r) === 'RWKV6ForCausalLM';
  let headSize: number;
  if (fla) {
    // flash-linear-attention's RWKV6: num_heads over the key width (expand_k 1), hidden_ratio for the channel mix.
    const nHead = r.int('num_heads');
    if (h % nHead !== 0) r.fail('num_heads', `must divide hidden_size (${h})`, nHead);
    headSize = h / nHead;
    assume(
      'RWKV6ForCausalLM is the flash-linear-attention layout, which llama.cpp\'s converter does not register (it reads the RWKV format, Rwkv6ForCausalLM): sized as the rwkv6 GGUF of the same model, with proj_low_rank_dim / gate_low_rank_dim as its time-mix / decay ranks.',
    );
  } else {
    headSize = r.int('head_size');
  }
  const ratio = fla && r.has('hidden_ratio') ? r.num('hidden_ratio') : 3.5;
  const ff = r.has('intermediate_size') ? r.int('intermediate_size') : Math.floor((h * ratio) / 32) * 32;
  const mixRank = fla && r.has('proj_low_rank_dim') ? r.int('proj_low_rank_dim') : h === 4096 ? 64 : 32;
  const decayRank = fla && r.has('gate_low_rank_dim') ? r.int('gate_low_rank_dim') : h === 4096 ? 128 : 64;
  return { shape: { version: 'rwkv6', headSize, mixRank, decayRank, iclrRank: 0, valueRank: 0, gateRank: 0 }, ff };
}

function readRwkv7(r: ConfigReader, h: number, assume: (note: string) => void): { shape: RwkvShape; ff: number } {
  const headSize = r.int(firstKey(r, ['head_size', 'head_dim']) ?? 'head_size');
  const ff = r.has('intermediate_size') ? r.int('intermediate_size') : 4 * h;
  if (!r.bool('wkv_has_gate', true)) assume(`${r.path('wkv_has_gate')} is false: llama.cpp's rwkv7 loader requires the gate LoRA and six lerps, so such a file would not load; sized with them.`);
  const shape: RwkvShape = {
    version: 'rwkv7',
    headSize,
    mixRank: 0,
    decayRank: rank(r, ['lora_rank_decay', 'decay_low_rank_dim'], loraRank(h, 0.5, 1.8), 'Decay LoRA', assume),
    iclrRank: rank(r, ['lora_rank_iclr', 'a_low_rank_dim'], loraRank(h, 0.5, 1.8), 'In-context learning-rate LoRA', assume),
    valueRank: rank(r, ['lora_rank_value_residual_mix', 'v_low_rank_dim'], loraRank(h, 0.5, 1.3), 'Value-residual LoRA', assume),
    gateRank: rank(r, ['lora_rank_gate', 'gate_low_rank_dim'], loraRank(h, 0.8, 0.6), 'Gate LoRA', assume),
  };
  return { shape, ff };
}

function read(r: ConfigReader, assume: (note: string) => void) {
  const version = versionOf(r);
  const hiddenSize = r.int('hidden_size');
  const nLayer = r.int('num_hidden_layers');
  const { shape, ff } = version === 'rwkv6' ? readRwkv6(r, hiddenSize, assume) : readRwkv7(r, hiddenSize, assume);
  if (hiddenSize % shape.headSize !== 0) r.fail(firstKey(r, ['head_size', 'head_dim', 'num_heads']) ?? 'head_size', `must divide hidden_size (${hiddenSize})`, shape.headSize);
  const mixer: RwkvLayer = {
    kind: 'recurrent',
    variant: version,
    stateElementsR: 2 * hiddenSize, // token_shift_count defaults to 2 (rwkv6, rwkv7)
    stateElementsS: hiddenSize * shape.headSize,
    rwkv: shape,
  };
  if (r.bool('tie_word_embeddings', false)) assume(`${r.path('tie_word_embeddings')} is true, but llama.cpp's ${version} loader requires output.weight: listed as its own tensor.`);
  assume(`No trained context for RWKV: ${RECURRENT_CONTEXT.toLocaleString('en-US')} tokens taken, the context llama.cpp's converter writes; the state does not grow with it.`);
  return {
    vocabSize: r.int('vocab_size'),
    hiddenSize,
    nLayer,
    maxContext: RECURRENT_CONTEXT,
    ggufArch: version,
    tiedEmbeddings: false,
    // The channel mix: key {n_embd, ff} -> squared ReLU -> value {ff, n_embd}, ungated (its receptance is a sigmoid gate
    // of the block input, listed with the block).
    layers: zipLayers(repeat(nLayer, () => mixer), repeat(nLayer, () => denseFfn(ff, false))),
    tensorDetails: {},
  };
}

/** token_embd, its LayerNorm (HF blocks.0.ln0 / pre_norm), output LayerNorm and the required head. */
function globals(shape: ModelShape, emit: GlobalEmit): void {
  const h = shape.hiddenSize;
  emit('token_embd.weight', [h, shape.vocabSize], 'token_embd');
  emit('token_embd_norm.weight', [h], 'norm');
  emit('token_embd_norm.bias', [h], 'bias');
  emit('output_norm.weight', [h], 'norm');
  emit('output_norm.bias', [h], 'bias');
  emit('output.weight', [h, shape.vocabSize], 'output');
}

function layerNorms(h: number, emit: Emit): void {
  emit('attn_norm.weight', [h], 'norm');
  emit('attn_norm.bias', [h], 'bias');
  emit('attn_norm_2.weight', [h], 'norm');
  emit('attn_norm_2.bias', [h], 'bias');
}

/** The receptance-weighted key-value projections, the group norm and the output of the time mix. */
function timeMixProjections(h: number, gate: boolean, emit: Emit): void {
  emit('time_mix_key.weight', [h, h], 'recurrent');
  emit('time_mix_value.weight', [h, h], 'recurrent');
  emit('time_mix_receptance.weight', [h, h], 'recurrent');
  if (gate) emit('time_mix_gate.weight', [h, h], 'recurrent');
  // The WKV group norm; role 'recurrent' as gguf-tensor-roles.ts reads time_mix_* names (1-D: never quantized).
  emit('time_mix_ln.weight', [h], 'recurrent');
  emit('time_mix_ln.bias', [h], 'bias');
  emit('time_mix_output.weight', [h, h], 'recurrent');
}

/** src/models/rwkv6.cpp load_arch_tensors. */
function rwkv6Block(h: number, ff: number, s: RwkvShape, emit: Emit): void {
  layerNorms(h, emit);
  emit('time_mix_w1.weight', [h, 5 * s.mixRank], 'recurrent');
  emit('time_mix_w2.weight', [s.mixRank, h, 5], 'recurrent');
  emit('time_mix_lerp_x.weight', [h], 'recurrent');
  emit('time_mix_lerp_fused.weight', [h, 1, 1, 5], 'recurrent');
  emit('time_mix_first.weight', [s.headSize, h / s.headSize], 'recurrent');
  emit('time_mix_decay.weight', [h], 'recurrent');
  emit('time_mix_decay_w1.weight', [h, s.decayRank], 'recurrent');
  emit('time_mix_decay_w2.weight', [s.decayRank, h], 'recurrent');
  timeMixProjections(h, true, emit);
  emit('channel_mix_lerp_k.weight', [h], 'ffn');
  emit('channel_mix_lerp_r.weight', [h], 'ffn');
  emit('channel_mix_key.weight', [h, ff], 'ffn');
  emit('channel_mix_value.weight', [ff, h], 'ffn');
  emit('channel_mix_receptance.weight', [h, h], 'ffn');
}

/** src/models/rwkv7.cpp load_arch_tensors; layer 0's v1/v2 are the iclr-rank dummies the converter copies from a1/a2. */
function rwkv7Block(h: number, ff: number, il: number, s: RwkvShape, emit: Emit): void {
  layerNorms(h, emit);
  const pairs: [string, number][] = [['w', s.decayRank], ['a', s.iclrRank], ['v', il === 0 ? s.iclrRank : s.valueRank]];
  for (const [name, lora] of pairs) {
    emit(`time_mix_${name}0.weight`, [h], 'recurrent');
    emit(`time_mix_${name}1.weight`, [h, lora], 'recurrent');
    emit(`time_mix_${name}2.weight`, [lora, h], 'recurrent');
  }
  emit('time_mix_g1.weight', [h, s.gateRank], 'recurrent');
  emit('time_mix_g2.weight', [s.gateRank, h], 'recurrent');
  emit('time_mix_lerp_fused.weight', [h, 1, 1, 6], 'recurrent');
  emit('time_mix_k_k.weight', [h], 'recurrent');
  emit('time_mix_k_a.weight', [h], 'recurrent');
  emit('time_mix_r_k.weight', [h], 'recurrent');
  timeMixProjections(h, false, emit);
  emit('channel_mix_lerp_k.weight', [h], 'ffn');
  emit('channel_mix_key.weight', [h, ff], 'ffn');
  emit('channel_mix_value.weight', [ff, h], 'ffn');
}

function block(shape: ModelShape, layer: LayerShape, emit: Emit): void {
  const s = rwkvOf(layer);
  const ff = layer.ffn.kind === 'dense' ? layer.ffn.ff : 0;
  if (s.version === 'rwkv6') rwkv6Block(shape.hiddenSize, ff, s, emit);
  else rwkv7Block(shape.hiddenSize, ff, layer.index, s, emit);
}

const rwkv: ArchFamily = {
  architectures: ['Rwkv6ForCausalLM', 'RWKV6ForCausalLM', 'Rwkv7ForCausalLM', 'RWKV7ForCausalLM'],
  ggufArchs: ['rwkv6', 'rwkv7'],
  read,
  globalTensors: globals,
  blockTensors: block,
};

export default rwkv;
