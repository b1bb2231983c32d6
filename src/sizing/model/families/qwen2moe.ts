/**
 * Qwen1.5-MoE and Qwen2-MoE (Qwen2MoeForCausalLM -> llama.cpp "qwen2moe"; conversion/qwen.py Qwen2MoeModel).
 *
 * Every layer: Qwen2 attention (q/k/v biases always, Qwen2MoeAttention bias=True; GQA), num_experts routed experts
 * of moe_intermediate_size (num_experts_per_tok used), stacked by the converter into ffn_{gate,up,down}_exps, and
 * one always-on shared expert of shared_expert_intermediate_size whose output is scaled by a sigmoid gate
 * (mlp.shared_expert_gate, a 1 x n_embd matrix -> ffn_gate_inp_shexp {n_embd}). The standard decoder block writes
 * exactly src/models/qwen2moe.cpp load_arch_tensors (tensor-parts.ts SHARED_EXPERT_GATE has qwen2moe); output.weight
 * is required there, and intermediate_size (the dense MLP size) is unused when every layer is sparse.
 *
 * transformers' sparse-layer rule (mlp_only_layers, decoder_sparse_step) is read as for Qwen3-MoE; llama.cpp's
 * qwen2moe graph has no dense layers and no sliding window, which released checkpoints do not use either.
 */
import type { ArchFamily } from '../family.ts';
import { attention, ffnPerLayer, qwenSparseLayers, readCore, readDenseFfn, readHeads, readMoe, repeat, zipLayers } from '../shape-parts.ts';

const qwen2moe: ArchFamily = {
  architectures: ['Qwen2MoeForCausalLM'],
  read: (r, assume) => {
    const core = readCore(r);
    const heads = readHeads(r, core.hiddenSize);
    const sparse = qwenSparseLayers(r, core.nLayer);
    if (sparse.some((s) => !s)) assume("Some layers are dense (mlp_only_layers / decoder_sparse_step); llama.cpp's qwen2moe graph expects every layer to be MoE.");
    if (r.bool('use_sliding_window', false)) assume(`${r.path('use_sliding_window')} is true, but llama.cpp's qwen2moe graph has no sliding window: every layer caches the full context.`);
    const ffns = ffnPerLayer(
      sparse,
      () => readMoe(r, { nExpert: 'num_experts', sharedFf: 'shared_expert_intermediate_size' }),
      () => readDenseFfn(r),
    );
    return {
      ...core,
      ggufArch: 'qwen2moe',
      tiedEmbeddings: r.bool('tie_word_embeddings', false),
      layers: zipLayers(repeat(core.nLayer, () => attention(heads, null)), ffns),
      tensorDetails: { qkvBias: true },
    };
  },
};

export default qwen2moe;
