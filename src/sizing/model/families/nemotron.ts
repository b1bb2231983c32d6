/**
 * Nemotron-4 / Minitron (NemotronForCausalLM -> llama.cpp "nemotron"; conversion/nemotron.py NemotronModel,
 * src/models/nemotron.cpp). Differences from the Llama block:
 * - every norm is a LayerNorm1P with a bias (transformers NemotronLayerNorm1P extends nn.LayerNorm): attn_norm,
 *   ffn_norm and output_norm each have .weight and .bias (the converter adds 1 to the weights, no shape change);
 * - the MLP is not gated: up_proj -> squared ReLU -> down_proj (hidden_act relu2), so ffn_up and ffn_down only;
 * - attention_bias adds q/k/v/o biases, mlp_bias ffn_up/ffn_down biases (both false in released checkpoints);
 * - output.weight is required by the loader (no tied head).
 * head_dim comes from `head_dim`, else hidden_size / num_attention_heads (transformers NemotronConfig; the
 * `kv_channels` key of some configs is not read by either). The loader hard-codes attn_q and attn_output as
 * {n_embd, n_embd}: Minitron-8B (48 heads x 128 = 6144 != 4096) converts but does not load; it is sized as converted.
 */
import type { ArchFamily, GlobalEmit } from '../family.ts';
import { attention, denseFfn, readCore, readHeads, repeat, zipLayers } from '../shape-parts.ts';
import type { Emit } from '../tensor-parts.ts';
import type { LayerShape, ModelShape } from '../../types.ts';

/** mlp_bias has no TensorDetails field; the reader records it on the dense FFN it builds. */
interface NemotronMlp {
  kind: 'dense';
  ff: number;
  gated: boolean;
  bias?: boolean;
}

function nemotronGlobals(shape: ModelShape, emit: GlobalEmit): void {
  const h = shape.hiddenSize;
  emit('token_embd.weight', [h, shape.vocabSize], 'token_embd');
  emit('output_norm.weight', [h], 'norm');
  emit('output_norm.bias', [h], 'bias');
  if (!shape.tiedEmbeddings) emit('output.weight', [h, shape.vocabSize], 'output');
}

function nemotronBlock(shape: ModelShape, layer: LayerShape, emit: Emit): void {
  const h = shape.hiddenSize;
  const a = layer.mixer;
  const ffn: NemotronMlp | undefined = layer.ffn.kind === 'dense' ? layer.ffn : undefined;
  if (a.kind !== 'attention' || !ffn) return;
  const d = shape.tensorDetails ?? {};
  const q = a.nHead * a.headDimK;
  const kv = a.nHeadKv * a.headDimK;
  emit('attn_norm.weight', [h], 'norm');
  emit('attn_norm.bias', [h], 'bias');
  emit('attn_q.weight', [h, q], 'attn');
  emit('attn_k.weight', [h, kv], 'attn');
  emit('attn_v.weight', [h, a.nHeadKv * a.headDimV], 'attn');
  if (d.qkvBias) {
    emit('attn_q.bias', [q], 'bias');
    emit('attn_k.bias', [kv], 'bias');
    emit('attn_v.bias', [a.nHeadKv * a.headDimV], 'bias');
  }
  emit('attn_output.weight', [a.nHead * a.headDimV, h], 'attn');
  if (d.attnOutputBias) emit('attn_output.bias', [h], 'bias');
  emit('ffn_norm.weight', [h], 'norm');
  emit('ffn_norm.bias', [h], 'bias');
  emit('ffn_down.weight', [ffn.ff, h], 'ffn');
  emit('ffn_up.weight', [h, ffn.ff], 'ffn');
  if (ffn.bias) {
    emit('ffn_down.bias', [h], 'bias');
    emit('ffn_up.bias', [ffn.ff], 'bias');
  }
}

const nemotron: ArchFamily = {
  architectures: ['NemotronForCausalLM'],
  ggufArchs: ['nemotron'],
  read: (r, assume) => {
    const core = readCore(r);
    const heads = readHeads(r, core.hiddenSize);
    if (heads.nHead * heads.headDim !== core.hiddenSize) {
      assume(
        `${r.path('num_attention_heads')} x head_dim = ${heads.nHead * heads.headDim} differs from hidden_size ${core.hiddenSize}: ` +
          "llama.cpp's nemotron loader expects attn_q and attn_output of {n_embd, n_embd}, so the converted GGUF would not load; sized as converted.",
      );
    }
    const tied = r.bool('tie_word_embeddings', false);
    if (tied) assume("tie_word_embeddings is true: llama.cpp's nemotron loader requires output.weight, so such a GGUF would not load.");
    const attnBias = r.bool('attention_bias', false);
    const mlp: NemotronMlp = { ...denseFfn(r.int('intermediate_size'), false), ...(r.bool('mlp_bias', false) ? { bias: true } : {}) };
    return {
      ...core,
      ggufArch: 'nemotron',
      tiedEmbeddings: tied,
      layers: zipLayers(
        repeat(core.nLayer, () => attention(heads, null)),
        repeat(core.nLayer, () => mlp),
      ),
      tensorDetails: { qkvBias: attnBias, attnOutputBias: attnBias },
    };
  },
  globalTensors: nemotronGlobals,
  blockTensors: nemotronBlock,
};

export default nemotron;
