/**
 * AllenAI OLMoE (OlmoeForCausalLM -> llama.cpp "olmoe"; conversion/olmo.py OlmoeModel). A pre-norm decoder whose
 * q/k RMS norms span the whole projection (attn_q_norm and attn_k_norm, both {n_embd} in the loader), and on every
 * layer num_experts routed experts of intermediate_size, num_experts_per_tok used, no shared expert. The converter
 * stacks mlp.experts.{x}.{gate,up,down}_proj into ffn_{gate,up,down}_exps. The head is required (untied).
 * Tensors and their order: src/models/olmoe.cpp load_arch_tensors (q and o are {n_embd, n_embd}).
 */
import type { ArchFamily } from '../family.ts';
import type { Emit } from '../tensor-parts.ts';
import { attention, readCore, readHeads, readMoe, repeat, zipLayers } from '../shape-parts.ts';
import type { LayerShape, ModelShape } from '../../types.ts';

function block(shape: ModelShape, layer: LayerShape, emit: Emit): void {
  const h = shape.hiddenSize;
  const a = layer.mixer;
  const ffn = layer.ffn;
  if (a.kind !== 'attention' || ffn.kind !== 'moe') return;
  const kv = a.nHeadKv * a.headDimK;
  emit('attn_norm.weight', [h], 'norm');
  emit('attn_q.weight', [h, h], 'attn');
  emit('attn_k.weight', [h, kv], 'attn');
  emit('attn_v.weight', [h, kv], 'attn');
  if (shape.tensorDetails?.qkvBias) {
    emit('attn_q.bias', [h], 'bias');
    emit('attn_k.bias', [kv], 'bias');
    emit('attn_v.bias', [kv], 'bias');
  }
  emit('attn_output.weight', [h, h], 'attn');
  emit('attn_q_norm.weight', [h], 'norm');
  // The loader asks for {n_embd}; the checkpoint's k_norm is n_kv x head wide, equal only without GQA (see read).
  emit('attn_k_norm.weight', [h], 'norm');
  emit('ffn_norm.weight', [h], 'norm');
  emit('ffn_gate_inp.weight', [h, ffn.nExpert], 'router');
  emit('ffn_gate_exps.weight', [h, ffn.expertFf, ffn.nExpert], 'ffn_exps');
  emit('ffn_down_exps.weight', [ffn.expertFf, h, ffn.nExpert], 'ffn_exps');
  emit('ffn_up_exps.weight', [h, ffn.expertFf, ffn.nExpert], 'ffn_exps');
}

const olmoe: ArchFamily = {
  architectures: ['OlmoeForCausalLM'],
  ggufArchs: ['olmoe'],
  read: (r, assume) => {
    const core = readCore(r);
    const heads = readHeads(r, core.hiddenSize);
    if (heads.nHead * heads.headDim !== core.hiddenSize) {
      r.fail('num_attention_heads', `x head size must equal hidden_size (${core.hiddenSize}): llama.cpp's olmoe loader shapes q and o as hidden_size x hidden_size`, heads.nHead);
    }
    if (heads.nHeadKv !== heads.nHead) {
      assume(`${r.path('num_key_value_heads')} ${heads.nHeadKv} < num_attention_heads: llama.cpp's olmoe loader expects attn_k_norm of hidden_size, which only a model without GQA has, so such a file would not load.`);
    }
    const bias = r.bool('attention_bias', false);
    if (bias) assume(`${r.path('attention_bias')} is true: llama.cpp's olmoe loader takes q/k/v biases but no o_proj bias, so such a file would not load.`);
    const nExpert = r.has('num_local_experts') ? 'num_local_experts' : 'num_experts';
    const moe = readMoe(r, { nExpert, expertFf: 'intermediate_size' });
    return {
      ...core,
      ggufArch: 'olmoe',
      // src/models/olmoe.cpp requires output.weight; OlmoeConfig's tie_word_embeddings defaults to false.
      tiedEmbeddings: false,
      layers: zipLayers(
        repeat(core.nLayer, () => attention(heads, null)),
        repeat(core.nLayer, () => moe),
      ),
      tensorDetails: { qkvBias: bias },
    };
  },
  blockTensors: block,
};

export default olmoe;
