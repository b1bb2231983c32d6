/**
 * The generic reading: a config.json of an architecture the engine has no reader for, sized as a standard decoder
 * (attention with the given key/value heads, a gated MLP or experts, norms, embeddings) from the keys nearly every
 * config has, under the names transformers and other libraries use for them. It is an estimate and says so: the
 * ModelShape carries `reading: { kind: 'generic', keys }` and an assumption naming the architecture. A config that
 * lacks an essential size is refused with the names of what is missing.
 */
import { SizingError } from '../errors.ts';
import type { ArchBuild } from './architectures.ts';
import type { ConfigReader } from './config-reader.ts';
import type { Ffn, LayerShape, StandardAttention } from '../types.ts';

/** Each size, under the names configs use for it (first found wins). */
const ALIASES = {
  hidden: ['hidden_size', 'd_model', 'n_embd', 'model_dim', 'dim'],
  layers: ['num_hidden_layers', 'n_layer', 'num_layers', 'n_layers'],
  heads: ['num_attention_heads', 'n_head', 'num_heads', 'n_heads'],
  vocab: ['vocab_size', 'padded_vocab_size', 'n_vocab'],
  ff: ['intermediate_size', 'ffn_hidden_size', 'n_inner', 'ffn_dim', 'd_ff'],
  kvHeads: ['num_key_value_heads', 'num_kv_heads', 'n_head_kv', 'multi_query_group_num', 'n_kv_heads'],
  headDim: ['head_dim', 'kv_channels', 'attention_head_dim'],
  context: ['max_position_embeddings', 'seq_length', 'n_positions', 'max_sequence_length', 'n_ctx'],
  experts: ['num_local_experts', 'num_experts', 'n_routed_experts', 'moe_num_experts'],
  expertsUsed: ['num_experts_per_tok', 'num_experts_per_token', 'moe_top_k', 'top_k'],
  expertFf: ['moe_intermediate_size', 'expert_intermediate_size'],
} as const;

type Size = keyof typeof ALIASES;
const ESSENTIAL: readonly Size[] = ['hidden', 'layers', 'heads', 'vocab', 'ff'];

/** The context assumed when a config names none. */
const DEFAULT_CONTEXT = 4096;

export function readGeneric(r: ConfigReader, hfArchitecture: string, assume: (note: string) => void): ArchBuild & { keys: string[] } {
  const keys: string[] = [];
  const find = (size: Size): string | undefined => ALIASES[size].find((k) => r.has(k));
  const read = (size: Size, fallback?: number): number | undefined => {
    const key = find(size);
    if (key === undefined) return fallback;
    keys.push(r.path(key));
    return r.int(key);
  };

  // An MoE config may give only the experts' size, not a dense intermediate size.
  const missing = ESSENTIAL.filter((size) => find(size) === undefined && !(size === 'ff' && find('expertFf') !== undefined));
  if (missing.length > 0) {
    throw new SizingError(
      `config.json: architecture ${hfArchitecture} has no reader in the engine, and a generic reading needs ${missing
        .map((size) => ALIASES[size].slice(0, 2).join(' or '))
        .join(', ')}, which the config does not give`,
      'architectures',
    );
  }

  const hiddenSize = read('hidden')!;
  const nLayer = read('layers')!;
  const nHead = read('heads')!;
  const vocabSize = read('vocab')!;
  const nHeadKv = read('kvHeads', nHead)!;
  if (nHead % nHeadKv !== 0) r.fail(find('kvHeads')!, `must divide the number of attention heads (${nHead})`, nHeadKv);
  const explicitHeadDim = read('headDim');
  if (explicitHeadDim === undefined && hiddenSize % nHead !== 0) r.fail(find('heads')!, `must divide the hidden size (${hiddenSize}) when no head size is given`, nHead);
  const headDim = explicitHeadDim ?? hiddenSize / nHead;
  const contextKey = find('context');
  const maxContext = read('context', DEFAULT_CONTEXT)!;
  if (contextKey === undefined) assume(`No trained context in the config: ${DEFAULT_CONTEXT.toLocaleString('en-US')} tokens assumed.`);

  const nExpert = read('experts');
  let ffn: Ffn;
  if (nExpert !== undefined && nExpert > 1) {
    const nExpertUsed = read('expertsUsed');
    if (nExpertUsed === undefined) throw new SizingError(`config.json: ${r.path(find('experts')!)} is given but not how many experts each token uses (num_experts_per_tok)`, 'num_experts_per_tok');
    const expertFf = read('expertFf') ?? read('ff')!;
    ffn = { kind: 'moe', nExpert, nExpertUsed: Math.min(nExpertUsed, nExpert), expertFf, nSharedExpert: 0, sharedFf: 0, gated: true };
  } else {
    ffn = { kind: 'dense', ff: read('ff') ?? read('expertFf')!, gated: true };
  }

  const tied = r.has('tie_word_embeddings');
  const tiedEmbeddings = r.bool('tie_word_embeddings', false);
  if (tied) keys.push(r.path('tie_word_embeddings'));
  const attention: StandardAttention = { kind: 'attention', nHead, nHeadKv, headDimK: headDim, headDimV: headDim, window: null };
  const layers: LayerShape[] = Array.from({ length: nLayer }, (_, index) => ({ index, mixer: { ...attention }, ffn }));
  assume(
    `Generic reading: the engine has no reader for ${hfArchitecture}, so it is sized as a standard decoder ` +
      '(full attention on every layer, gated MLP or experts, no biases, no sliding window or recurrent layers) from ' +
      `${keys.join(', ')}. Parameters and memory are estimates; an architecture with other parts will differ.`,
  );
  return { vocabSize, hiddenSize, nLayer, maxContext, ggufArch: 'llama', tiedEmbeddings, layers, tensorDetails: {}, keys };
}
