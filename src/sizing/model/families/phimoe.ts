/**
 * Microsoft Phi-3.5-MoE (PhiMoEForCausalLM -> llama.cpp "phimoe"; conversion/phi.py PhiMoeModel, a Phi3MiniModel that
 * stacks block_sparse_moe.experts.{x}.w1/w3/w2 into ffn_gate/up/down_exps). Unlike Phi-3, q/k/v are separate and
 * biased, every LayerNorm has a bias, o_proj and the head have biases, and every layer has num_local_experts routed
 * experts of intermediate_size (num_experts_per_tok used, no shared expert). longrope scaling stores
 * rope_factors_long/short of head_dim / 2 floats, as for Phi-3.
 * Tensors and their order: src/models/phimoe.cpp load_arch_tensors (llama.cpp 3f545bec).
 */
import type { ArchFamily, GlobalEmit } from '../family.ts';
import type { Emit } from '../tensor-parts.ts';
import { attention, readCore, readHeads, readMoe, repeat, zipLayers } from '../shape-parts.ts';
import type { LayerShape, ModelShape } from '../../types.ts';

function globals(shape: ModelShape, emit: GlobalEmit): void {
  const h = shape.hiddenSize;
  emit('token_embd.weight', [h, shape.vocabSize], 'token_embd');
  emit('output_norm.weight', [h], 'norm');
  emit('output_norm.bias', [h], 'bias');
  emit('output.weight', [h, shape.vocabSize], 'output');
  emit('output.bias', [shape.vocabSize], 'bias');
}

function block(shape: ModelShape, layer: LayerShape, emit: Emit): void {
  const h = shape.hiddenSize;
  const a = layer.mixer;
  const ffn = layer.ffn;
  if (a.kind !== 'attention' || ffn.kind !== 'moe') return;
  const q = a.nHead * a.headDimK;
  const kv = a.nHeadKv * a.headDimK;
  emit('attn_norm.weight', [h], 'norm');
  emit('attn_norm.bias', [h], 'bias');
  emit('attn_q.weight', [h, q], 'attn');
  emit('attn_k.weight', [h, kv], 'attn');
  emit('attn_v.weight', [h, kv], 'attn');
  emit('attn_q.bias', [q], 'bias');
  emit('attn_k.bias', [kv], 'bias');
  emit('attn_v.bias', [kv], 'bias');
  emit('attn_output.weight', [q, h], 'attn');
  emit('attn_output.bias', [h], 'bias');
  emit('ffn_norm.weight', [h], 'norm');
  emit('ffn_norm.bias', [h], 'bias');
  emit('ffn_gate_inp.weight', [h, ffn.nExpert], 'router');
  emit('ffn_gate_exps.weight', [h, ffn.expertFf, ffn.nExpert], 'ffn_exps');
  emit('ffn_down_exps.weight', [ffn.expertFf, h, ffn.nExpert], 'ffn_exps');
  emit('ffn_up_exps.weight', [h, ffn.expertFf, ffn.nExpert], 'ffn_exps');
}

const phimoe: ArchFamily = {
  architectures: ['PhiMoEForCausalLM', 'PhimoeForCausalLM'],
  ggufArchs: ['phimoe'],
  read: (r, assume) => {
    const core = readCore(r);
    const heads = readHeads(r, core.hiddenSize);
    if (heads.nHead * heads.headDim !== core.hiddenSize) {
      r.fail('num_attention_heads', `x head size must equal hidden_size (${core.hiddenSize}): llama.cpp's phimoe loader shapes o_proj as hidden_size x hidden_size`, heads.nHead);
    }
    // sliding_window equals the trained context in the released config (131072): it changes nothing.
    const w = r.optionalInt('sliding_window');
    if (w !== undefined && w < core.maxContext) assume(`${r.path('sliding_window')} ${w} is below the context; llama.cpp's phimoe graph attends over the whole cache, so it is not modelled.`);
    const rs = r.nested('rope_scaling');
    const rope = rs?.optionalString('rope_type') ?? rs?.optionalString('type');
    const moe = readMoe(r, { nExpert: 'num_local_experts', expertFf: 'intermediate_size' });
    return {
      ...core,
      ggufArch: 'phimoe',
      // src/models/phimoe.cpp requires output.weight and output.bias (lm_head_bias): the head is never tied.
      tiedEmbeddings: false,
      layers: zipLayers(
        repeat(core.nLayer, () => attention(heads, null)),
        repeat(core.nLayer, () => moe),
      ),
      tensorDetails: rope === 'longrope' || rope === 'su' ? { ropeFactors: heads.headDim / 2 } : {},
    };
  },
  globalTensors: globals,
  blockTensors: block,
};

export default phimoe;
