/**
 * TII Falcon (FalconForCausalLM, RWForCausalLM -> llama.cpp "falcon"; falcon-7b, falcon-40b, falcon-180B).
 * Parallel attention: attention and the MLP read the same LayerNorm output (falcon-7b: input_layernorm) or, with
 * new_decoder_architecture, two LayerNorms (ln_attn -> attn_norm_2, ln_mlp -> attn_norm; both with bias). The fused
 * query_key_value projection stays fused (attn_qkv {n_embd, n_embd + 2 n_kv x head}; the converter only regroups it
 * from per-KV-group [q..q k v] to [all q | all k | all v]). The MLP is a plain GELU up/down of 4 x hidden_size.
 * Tensors: src/models/falcon.cpp load_arch_tensors (no linear biases are loaded; output.weight optional).
 *
 * Converter (conversion/falcon.py FalconModel): context_length is hard-coded to 2048 (the config has no
 * max_position_embeddings), feed_forward_length = 4 x hidden_size. KV heads follow transformers' FalconConfig
 * semantics: num_kv_heads with new_decoder_architecture (40B, 180B: 8), else 1 with multi_query (7B), else
 * num_attention_heads. (The converter itself reads num_kv_heads / n_head_kv with a default of 1; published falcon-7b
 * GGUFs carry head_count_kv = 1.)
 *
 * The released checkpoints store lm_head.weight beside the embedding (the Hub's safetensors totals count both:
 * falcon-7b 7,217,189,760), so the GGUF has output.weight unless the config says the head is tied.
 */
import type { ConfigReader } from '../config-reader.ts';
import type { ArchFamily } from '../family.ts';
import type { Emit } from '../tensor-parts.ts';
import { attention, denseFfn, repeat, zipLayers, type HeadLayout } from '../shape-parts.ts';
import type { LayerShape, ModelShape, TensorDetails } from '../../types.ts';

/**
 * Falcon's tensor details: whether each block has the second LayerNorm (attn_norm_2). TensorDetails has no field for
 * it, so it rides on the object as an extra property (set by read, read by block).
 */
interface FalconDetails extends TensorDetails {
  attnNorm2: boolean;
}

function hasAttnNorm2(d: TensorDetails | undefined): boolean {
  return d !== undefined && 'attnNorm2' in d && (d as FalconDetails).attnNorm2;
}

/** conversion/falcon.py: add_context_length(2048) ("not in config.json"). */
const FALCON_CONTEXT = 2048;

/** The first key present (Falcon configs from before transformers' FalconConfig use n_head, n_layer, n_head_kv). */
function firstKey(r: ConfigReader, keys: readonly string[]): string {
  return keys.find((k) => r.has(k)) ?? keys[0]!;
}

function falconHeads(r: ConfigReader, hiddenSize: number): HeadLayout {
  const nHeadKey = firstKey(r, ['num_attention_heads', 'n_head']);
  const nHead = r.int(nHeadKey);
  if (hiddenSize % nHead !== 0) r.fail(nHeadKey, `must divide hidden_size (${hiddenSize})`, nHead);
  let nHeadKv = nHead;
  if (r.bool('new_decoder_architecture', false)) nHeadKv = r.int(firstKey(r, ['num_kv_heads', 'n_head_kv']), { fallback: nHead });
  else if (r.bool('multi_query', true)) nHeadKv = 1;
  if (nHead % nHeadKv !== 0) r.fail(firstKey(r, ['num_kv_heads', 'n_head_kv']), `must divide the number of heads (${nHead})`, nHeadKv);
  return { nHead, nHeadKv, headDim: hiddenSize / nHead };
}

/**
 * Two LayerNorms per block (ln_attn, ln_mlp) with new_decoder_architecture unless num_ln_in_parallel_attn is 1
 * (transformers FalconDecoderLayer; Falcon2-11B uses one).
 */
function twoNorms(r: ConfigReader): boolean {
  return r.bool('new_decoder_architecture', false) && r.int('num_ln_in_parallel_attn', { fallback: 2 }) === 2;
}

function notes(r: ConfigReader, assume: (note: string) => void): void {
  if (r.bool('bias', false)) assume(`${r.path('bias')} is true: llama.cpp's falcon loader has no linear biases, so such a file would not load; biases are left out.`);
  if (r.bool('alibi', false)) assume(`${r.path('alibi')} is true: llama.cpp's falcon graph uses RoPE; ALiBi Falcon models do not run there.`);
  if (!r.bool('parallel_attn', true)) assume(`${r.path('parallel_attn')} is false: llama.cpp's falcon graph only runs the parallel block.`);
  const declared = r.optionalInt('max_position_embeddings');
  if (declared !== undefined && declared !== FALCON_CONTEXT) {
    assume(`${r.path('max_position_embeddings')} ${declared} is not used: llama.cpp's converter writes a context length of ${FALCON_CONTEXT} for Falcon.`);
  }
}

function block(shape: ModelShape, layer: LayerShape, emit: Emit): void {
  const h = shape.hiddenSize;
  const a = layer.mixer;
  if (a.kind !== 'attention' || layer.ffn.kind !== 'dense') return;
  emit('attn_norm.weight', [h], 'norm');
  emit('attn_norm.bias', [h], 'bias');
  if (hasAttnNorm2(shape.tensorDetails)) {
    // ln_attn (new_decoder_architecture with two LayerNorms); attn_norm above is then ln_mlp.
    emit('attn_norm_2.weight', [h], 'norm');
    emit('attn_norm_2.bias', [h], 'bias');
  }
  emit('attn_qkv.weight', [h, h + 2 * a.nHeadKv * a.headDimK], 'attn');
  emit('attn_output.weight', [h, h], 'attn');
  emit('ffn_down.weight', [layer.ffn.ff, h], 'ffn');
  emit('ffn_up.weight', [h, layer.ffn.ff], 'ffn');
}

const falcon: ArchFamily = {
  architectures: ['FalconForCausalLM', 'RWForCausalLM'],
  ggufArchs: ['falcon'],
  read: (r, assume) => {
    const hiddenSize = r.int('hidden_size');
    const nLayer = r.int(firstKey(r, ['num_hidden_layers', 'n_layer']));
    const heads = falconHeads(r, hiddenSize);
    notes(r, assume);
    const tied = r.bool('tie_word_embeddings', false);
    const details: FalconDetails = { attnNorm2: twoNorms(r) };
    if (!r.has('tie_word_embeddings')) {
      assume('Falcon checkpoints store lm_head.weight beside the embedding, so the GGUF carries output.weight (an untied head).');
    }
    return {
      vocabSize: r.int('vocab_size'),
      hiddenSize,
      nLayer,
      maxContext: FALCON_CONTEXT,
      ggufArch: 'falcon',
      tiedEmbeddings: tied,
      layers: zipLayers(
        repeat(nLayer, () => attention(heads, null)),
        repeat(nLayer, () => denseFfn(4 * hiddenSize, false)),
      ),
      tensorDetails: details,
    };
  },
  globalTensors: (shape, emit) => {
    const h = shape.hiddenSize;
    emit('token_embd.weight', [h, shape.vocabSize], 'token_embd');
    emit('output_norm.weight', [h], 'norm');
    emit('output_norm.bias', [h], 'bias');
    if (!shape.tiedEmbeddings) emit('output.weight', [h, shape.vocabSize], 'output');
  },
  blockTensors: block,
};

export default falcon;
