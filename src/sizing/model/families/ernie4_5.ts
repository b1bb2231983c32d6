/**
 * Baidu ERNIE 4.5 text models: dense (Ernie4_5ForCausalLM / Ernie4_5_ForCausalLM -> llama.cpp "ernie4_5":
 * ERNIE-4.5-0.3B) and MoE (Ernie4_5_MoeForCausalLM -> "ernie4_5-moe": ERNIE-4.5-21B-A3B, ERNIE-4.5-300B-A47B).
 * A GQA decoder (head_dim may exceed hidden / heads: 0.3B has 16 x 128 on a 1024 model) with a SwiGLU MLP; the MoE
 * models route moe_k of moe_num_experts experts on layers from moe_layer_start_index, with shared experts beside.
 *
 * llama.cpp (src/models/ernie4-5.cpp load_arch_tensors, shared by both arches, 3f545bec): attn_norm, q/k/v
 * (create_tensor_qkv; a fused qkv_proj is split by the converter), attn_output (+ optional bias), ffn_norm; MoE
 * layers (il >= n_layer_dense_lead = moe_layer_start_index, whatever the interval): ffn_gate_inp, exp_probs_b
 * (HF moe_statics.e_score_correction_bias), ffn_gate/down/up_exps, and *_shexp when n_ff_shexp > 0; other layers a
 * dense gate/down/up. Output optional (tied falls back to token_embd).
 *
 * Converter quirks (conversion/ernie.py Ernie4_5MoeModel):
 * - expert_shared_feed_forward_length is written as intermediate_size // num_key_value_heads, not as
 *   moe_num_shared_experts x moe_intermediate_size, which is what the checkpoint's shared experts are. They agree for
 *   21B-A3B (12288 // 4 = 3072 = 2 x 1536); where they differ the converted file would not load. The tensors are
 *   sized as the checkpoint has them and the disagreement is stated.
 * - Multi-token-prediction weights (mtp_block, mtp_emb_norm, mtp_hidden_norm, mtp_linear_proj) are dropped.
 */
import type { ConfigReader } from '../config-reader.ts';
import type { ArchFamily } from '../family.ts';
import { attention, denseFfn, readCore, readHeads, repeat, zipLayers } from '../shape-parts.ts';
import type { Emit } from '../tensor-parts.ts';
import type { Ffn, MoeFfn } from '../../types.ts';

const MOE_ARCHITECTURE = 'Ernie4_5_MoeForCausalLM';

function isMoe(r: ConfigReader): boolean {
  const archs = r.raw('architectures');
  if (Array.isArray(archs) && typeof archs[0] === 'string') return archs[0] === MOE_ARCHITECTURE;
  return r.optionalString('model_type') === 'ernie4_5_moe';
}

function readErnieMoe(r: ConfigReader, assume: (note: string) => void): MoeFfn {
  const nExpert = r.int('moe_num_experts');
  const nExpertUsed = r.int('moe_k');
  if (nExpertUsed > nExpert) r.fail('moe_k', `must not exceed moe_num_experts (${nExpert})`, nExpertUsed);
  const expertFf = r.int('moe_intermediate_size');
  const nShared = r.int('moe_num_shared_experts', { min: 0, fallback: 0 });
  const sharedFf = nShared * expertFf;
  if (nShared > 0) {
    const converterFf = Math.floor(r.int('intermediate_size') / r.int('num_key_value_heads'));
    if (converterFf !== sharedFf) {
      assume(
        `Shared experts are ${nShared} x ${expertFf} = ${sharedFf} wide, but llama.cpp's converter writes intermediate_size // num_key_value_heads = ${converterFf}: the converted file would not load. Sized as the checkpoint has them.`,
      );
    }
  }
  return { kind: 'moe', nExpert, nExpertUsed, expertFf, nSharedExpert: nShared, sharedFf, gated: true };
}

/**
 * transformers' rule (Ernie4_5_MoeDecoderLayer): a layer is MoE when (il + 1) % moe_layer_interval == 0 and
 * moe_layer_start_index <= il <= moe_layer_end_index. llama.cpp's loader makes every layer from the start index MoE.
 */
function moeLayers(r: ConfigReader, nLayer: number, assume: (note: string) => void): boolean[] {
  const start = r.int('moe_layer_start_index', { min: 0, fallback: 0 });
  const end = r.int('moe_layer_end_index', { min: -1, fallback: nLayer - 1 });
  const last = end < 0 ? nLayer - 1 : end;
  const interval = r.int('moe_layer_interval', { fallback: 1 });
  const sparse = repeat(nLayer, (il) => (il + 1) % interval === 0 && il >= start && il <= last);
  if (sparse.some((s, il) => s !== il >= start)) {
    assume(
      `MoE layers follow moe_layer_interval ${interval} / moe_layer_end_index ${last}, but llama.cpp's ernie4_5-moe loader expects experts on every layer from ${start}: such a GGUF would not load. Sized as the checkpoint has them.`,
    );
  }
  return sparse;
}

function feedForwards(r: ConfigReader, nLayer: number, assume: (note: string) => void): Ffn[] {
  const dense = denseFfn(r.int('intermediate_size'));
  if (!isMoe(r)) return repeat(nLayer, () => dense);
  const sparse = moeLayers(r, nLayer, assume);
  const moe = sparse.some(Boolean) ? readErnieMoe(r, assume) : undefined;
  return sparse.map((s) => (s && moe ? moe : dense));
}

function moeBlock(h: number, ffn: MoeFfn, emit: Emit): void {
  emit('ffn_gate_inp.weight', [h, ffn.nExpert], 'router');
  emit('exp_probs_b.bias', [ffn.nExpert], 'bias');
  emit('ffn_gate_exps.weight', [h, ffn.expertFf, ffn.nExpert], 'ffn_exps');
  emit('ffn_down_exps.weight', [ffn.expertFf, h, ffn.nExpert], 'ffn_exps');
  emit('ffn_up_exps.weight', [h, ffn.expertFf, ffn.nExpert], 'ffn_exps');
  if (ffn.sharedFf > 0) {
    emit('ffn_gate_shexp.weight', [h, ffn.sharedFf], 'ffn');
    emit('ffn_down_shexp.weight', [ffn.sharedFf, h], 'ffn');
    emit('ffn_up_shexp.weight', [h, ffn.sharedFf], 'ffn');
  }
}

const ernie45: ArchFamily = {
  architectures: ['Ernie4_5ForCausalLM', 'Ernie4_5_ForCausalLM', MOE_ARCHITECTURE],
  ggufArchs: ['ernie4_5', 'ernie4_5-moe'],
  read: (r, assume) => {
    const core = readCore(r);
    const heads = readHeads(r, core.hiddenSize);
    // use_bias puts biases on every Linear (transformers Ernie4_5Attention / Ernie4_5MLP); llama.cpp loads only the
    // attention ones, so an MLP-biased checkpoint would not convert cleanly. No released model sets it.
    const bias = r.bool('use_bias', false);
    if (bias) assume('use_bias: llama.cpp\'s ERNIE 4.5 loader has no MLP biases, so such a GGUF would not load; sized with attention biases only.');
    const mtp = r.int('num_nextn_predict_layers', { min: 0, fallback: 0 });
    if (mtp > 0) assume(`${r.path('num_nextn_predict_layers')} ${mtp}: llama.cpp's converter drops ERNIE's multi-token-prediction weights; they are not counted.`);
    return {
      ...core,
      ggufArch: isMoe(r) ? 'ernie4_5-moe' : 'ernie4_5',
      // Ernie4_5Config and Ernie4_5_MoeConfig default tie_word_embeddings to true (0.3B and 21B-A3B are tied).
      tiedEmbeddings: r.bool('tie_word_embeddings', true),
      layers: zipLayers(
        repeat(core.nLayer, () => attention(heads, null)),
        feedForwards(r, core.nLayer, assume),
      ),
      tensorDetails: { qkvBias: bias, attnOutputBias: bias },
    };
  },
  blockTensors: (shape, layer, emit) => {
    const h = shape.hiddenSize;
    const m = layer.mixer;
    if (m.kind !== 'attention') return;
    const d = shape.tensorDetails ?? {};
    const q = m.nHead * m.headDimK;
    const kv = m.nHeadKv * m.headDimK;
    emit('attn_norm.weight', [h], 'norm');
    emit('attn_q.weight', [h, q], 'attn');
    emit('attn_k.weight', [h, kv], 'attn');
    emit('attn_v.weight', [h, kv], 'attn');
    if (d.qkvBias) {
      emit('attn_q.bias', [q], 'bias');
      emit('attn_k.bias', [kv], 'bias');
      emit('attn_v.bias', [kv], 'bias');
    }
    emit('attn_output.weight', [q, h], 'attn');
    if (d.attnOutputBias) emit('attn_output.bias', [h], 'bias');
    emit('ffn_norm.weight', [h], 'norm');
    const ffn = layer.ffn;
    if (ffn.kind === 'moe') {
      moeBlock(h, ffn, emit);
      return;
    }
    emit('ffn_gate.weight', [h, ffn.ff], 'ffn');
    emit('ffn_down.weight', [ffn.ff, h], 'ffn');
    emit('ffn_up.weight', [h, ffn.ff], 'ffn');
  },
};

export default ernie45;
