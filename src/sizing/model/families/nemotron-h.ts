/**
 * Nemotron-H (NemotronHForCausalLM: Nemotron-H 8B / 47B / 56B, NVIDIA-Nemotron-Nano-9B-v2, Nemotron 3 Nano / Super)
 * -> llama.cpp "nemotron_h", or "nemotron_h_moe" when the config has num_experts_per_tok
 * (conversion/nemotron.py NemotronHModel; both load through src/models/nemotron-h.cpp).
 *
 * hybrid_override_pattern (or layers_block_type) gives one character per llama.cpp layer, and each is ONE sub-block:
 *   M  Mamba-2 mixer, no MLP            -> recurrent state, no KV
 *   *  attention, no MLP                -> KV cache
 *   -  squared-ReLU MLP, no mixer       -> neither (dense arch)
 *   E  routed + shared experts, no mixer -> neither (MoE arch)
 * The converter writes head_count_kv (n_kv on '*', else 0) and feed_forward_length (intermediate_size on '-', or
 * moe_intermediate_size on 'E', else 0) per layer; the loader marks a layer recurrent iff both are 0, and the hybrid
 * memory gives KV only to layers that are neither recurrent nor have an MLP, state only to recurrent ones
 * (llama-model.cpp memory filters).
 *
 * LayerShape pairs a mixer with an FFN. '-' and 'E' layers have no mixer: they use the `none` mixer (types.ts
 * NoMixer); 'M' and '*' layers have no MLP: a dense FFN of width 0.
 *
 * Mamba-2 sizes as the converter reads them (GraniteHybridModel.find_hparam also tries `mamba_`-prefixed keys):
 * heads H = mamba_num_heads, d_inner D = H x mamba_head_dim (NemotronHModel: num_heads x d_model, d_model being
 * mamba_head_dim, not the attention head_dim), groups G = n_groups (not n_group, the router's group count), state N = ssm_state_size,
 * d_conv = conv_kernel. llama-hparams.cpp: n_embd_r = (d_conv - 1)(D + 2GN), n_embd_s = N x D, F32.
 * MoE: n_routed_experts of moe_intermediate_size, not gated (relu2), one shared expert of
 * moe_shared_expert_intermediate_size, a sigmoid router with a per-expert correction bias (exp_probs_b), and on
 * Nemotron 3 Super a latent projection (moe_latent_size L: experts work in L, ffn_latent_down / ffn_latent_up).
 * An MTP head (num_nextn_predict_layers, MoE arch only) is one extra block: attention + MoE + NextN tensors, created
 * with TENSOR_SKIP unless llama.cpp is asked to load it.
 */
import type { ConfigReader } from '../config-reader.ts';
import type { ArchFamily } from '../family.ts';
import { attention, denseFfn, zipLayers, type HeadLayout } from '../shape-parts.ts';
import type { Emit } from '../tensor-parts.ts';
import type { DenseFfn, Ffn, LayerMixer, LayerShape, ModelShape, MoeFfn, RecurrentLayer, StandardAttention } from '../../types.ts';

type BlockKind = 'M' | '*' | '-' | 'E';
const BLOCK_NAMES: Readonly<Record<string, BlockKind>> = { mamba: 'M', attention: '*', mlp: '-', moe: 'E' };

/** The Mamba-2 dimensions a layer's tensors need: RecurrentLayer only has a field for Gated DeltaNet's layout, so the reader attaches them to the layer object. */
interface Mamba2Dims {
  dInner: number;
  dState: number;
  nGroup: number;
  nHead: number;
  dConv: number;
  convBias: boolean;
}
type Mamba2Layer = RecurrentLayer & { mamba2: Mamba2Dims };
/** MoE with Nemotron 3 Super's latent width (0: experts work at hidden size). */
type NemotronMoe = MoeFfn & { latent: number };
/** mlp_bias has no TensorDetails field; the reader records it on the FFN. */
type NemotronMlp = DenseFfn & { bias?: boolean };

function isMamba2(m: LayerMixer): m is Mamba2Layer {
  return m.kind === 'recurrent' && 'mamba2' in m;
}

/** The first key present, trying each name then its `mamba_` form (GraniteHybridModel.find_hparam). */
function findKey(r: ConfigReader, names: readonly string[]): string {
  const keys = [...names, ...names.map((n) => `mamba_${n}`)];
  return keys.find((k) => r.has(k)) ?? names[0]!;
}

function readPattern(r: ConfigReader): BlockKind[] {
  const pattern = r.optionalString('hybrid_override_pattern');
  if (pattern !== undefined) {
    const chars = [...pattern];
    const bad = chars.findIndex((c) => !'M*-E'.includes(c));
    if (bad >= 0) r.fail('hybrid_override_pattern', `must use only M, *, - and E (character ${bad} is "${chars[bad]}")`, pattern);
    return chars as BlockKind[];
  }
  const list = r.stringList('layers_block_type');
  if (list === undefined) r.fail('hybrid_override_pattern', 'is required (or layers_block_type) to lay out the Mamba, attention and MLP layers', undefined);
  return list.map((t, i) => BLOCK_NAMES[t] ?? r.fail('layers_block_type', `entry ${i} must be one of ${Object.keys(BLOCK_NAMES).join(', ')}`, t));
}

function readAttentionHeads(r: ConfigReader): HeadLayout {
  const nHead = r.int('num_attention_heads');
  const nHeadKv = r.int('num_key_value_heads', { fallback: nHead });
  if (nHead % nHeadKv !== 0) r.fail('num_key_value_heads', `must divide num_attention_heads (${nHead})`, nHeadKv);
  // NemotronHModel: head_dim, else attention_head_dim; the converter asserts one is present.
  const headDim = r.int(r.has('head_dim') ? 'head_dim' : 'attention_head_dim');
  return { nHead, nHeadKv, headDim };
}

function readMamba2(r: ConfigReader, assume: (note: string) => void): Mamba2Layer {
  // time_step_rank = find(["n_heads", "num_heads"]); d_inner = find(["num_heads"]) x d_model, where d_model is
  // find(["mamba_head_dim", "hidden_size", "d_model"]) (GraniteHybridModel.__init__, NemotronHModel.__init__).
  const dims: Mamba2Dims = {
    nHead: r.int(findKey(r, ['n_heads', 'num_heads'])),
    dInner: r.int(findKey(r, ['num_heads'])) * r.int(findKey(r, ['mamba_head_dim', 'hidden_size', 'd_model'])),
    nGroup: r.int(findKey(r, ['n_groups', 'num_groups'])),
    dState: r.int(findKey(r, ['state_size', 'd_state', 'state_dim', 'ssm_state_size'])),
    dConv: r.int(findKey(r, ['conv_kernel', 'd_conv'])),
    convBias: r.bool('use_conv_bias', true),
  };
  if (dims.dInner % dims.nGroup !== 0) r.fail(findKey(r, ['n_groups', 'num_groups']), `must divide the Mamba inner size (${dims.dInner})`, dims.nGroup);
  if (r.bool('mamba_proj_bias', false)) assume("mamba_proj_bias is true: llama.cpp's nemotron_h loader has no ssm_in / ssm_out bias, so such a GGUF would not load; the biases are not listed.");
  return {
    kind: 'recurrent',
    variant: 'mamba2',
    stateElementsR: (dims.dConv - 1) * (dims.dInner + 2 * dims.nGroup * dims.dState),
    stateElementsS: dims.dState * dims.dInner,
    mamba2: dims,
  };
}

function readNemotronMoe(r: ConfigReader): NemotronMoe {
  const nExpert = r.int('n_routed_experts');
  const nExpertUsed = r.int('num_experts_per_tok');
  if (nExpertUsed > nExpert) r.fail('num_experts_per_tok', `must not exceed n_routed_experts (${nExpert})`, nExpertUsed);
  const sharedFf = r.int('moe_shared_expert_intermediate_size');
  return {
    kind: 'moe',
    nExpert,
    nExpertUsed,
    expertFf: r.int('moe_intermediate_size'),
    nSharedExpert: r.int('n_shared_experts', { min: 0, fallback: 1 }),
    sharedFf,
    gated: false,
    latent: r.int('moe_latent_size', { min: 0, fallback: 0 }),
  };
}

function readDenseMlp(r: ConfigReader): NemotronMlp {
  const ff = r.int(['intermediate_size', 'n_inner', 'hidden_dim'].find((k) => r.has(k)) ?? 'intermediate_size');
  return r.bool('mlp_bias', false) ? { ...denseFfn(ff, false), bias: true } : denseFfn(ff, false);
}

/** The mixer and FFN of each pattern character; the parts are read once, only when the pattern uses them. */
function buildLayers(r: ConfigReader, kinds: BlockKind[], isMoe: boolean, assume: (note: string) => void): LayerShape[] {
  const none: LayerMixer = { kind: 'none' };
  const noMlp = denseFfn(0, false);
  const ssm = kinds.includes('M') ? readMamba2(r, assume) : undefined;
  const attn = kinds.includes('*') ? attention(readAttentionHeads(r), null) : undefined;
  const mlp = kinds.includes('-') ? readDenseMlp(r) : undefined;
  const moe = kinds.includes('E') ? readNemotronMoe(r) : undefined;
  if (isMoe && mlp) assume("The pattern has dense MLP ('-') layers in a MoE config: llama.cpp's converter gives them no feed-forward length, so its loader would take them for Mamba layers; sized as MLP layers.");
  const part = (k: BlockKind): [LayerMixer, Ffn] => {
    if (k === 'M') return [ssm!, noMlp];
    if (k === '*') return [attn!, noMlp];
    if (k === '-') return [none, mlp!];
    return [none, moe!];
  };
  const parts = kinds.map(part);
  return zipLayers(parts.map((p) => p[0]), parts.map((p) => p[1]));
}

/** MTP head (NemotronHModel, MoE arch, num_nextn_predict_layers == 1): one attention + MoE block after the layers. */
function mtpLayers(r: ConfigReader, nLayer: number, isMoe: boolean): LayerShape[] {
  const n = isMoe ? r.int('num_nextn_predict_layers', { min: 0, fallback: 0 }) : 0;
  if (n === 0) return [];
  if (n > 1) r.fail('num_nextn_predict_layers', "must be 0 or 1 (llama.cpp's converter supports one MTP block)", n);
  return [{ index: nLayer, mixer: attention(readAttentionHeads(r), null), ffn: readNemotronMoe(r) }];
}

function mambaTensors(h: number, m: Mamba2Dims, emit: Emit): void {
  const conv = m.dInner + 2 * m.nGroup * m.dState;
  emit('ssm_in.weight', [h, 2 * m.dInner + 2 * m.nGroup * m.dState + m.nHead], 'recurrent');
  emit('ssm_conv1d.weight', [m.dConv, conv], 'recurrent');
  if (m.convBias) emit('ssm_conv1d.bias', [conv], 'bias');
  emit('ssm_dt.bias', [m.nHead], 'bias');
  emit('ssm_a', [1, m.nHead], 'recurrent');
  emit('ssm_d', [1, m.nHead], 'recurrent');
  emit('ssm_norm.weight', [m.dInner / m.nGroup, m.nGroup], 'norm');
  emit('ssm_out.weight', [m.dInner, h], 'recurrent');
}

function attentionTensors(shape: ModelShape, a: StandardAttention, emit: Emit): void {
  const h = shape.hiddenSize;
  const bias = shape.tensorDetails?.qkvBias ?? false;
  const q = a.nHead * a.headDimK;
  const k = a.nHeadKv * a.headDimK;
  const v = a.nHeadKv * a.headDimV;
  emit('attn_q.weight', [h, q], 'attn');
  emit('attn_k.weight', [h, k], 'attn');
  emit('attn_v.weight', [h, v], 'attn');
  if (bias) {
    emit('attn_q.bias', [q], 'bias');
    emit('attn_k.bias', [k], 'bias');
    emit('attn_v.bias', [v], 'bias');
  }
  emit('attn_output.weight', [a.nHead * a.headDimV, h], 'attn');
  if (shape.tensorDetails?.attnOutputBias) emit('attn_output.bias', [h], 'bias');
}

/** The 'E' sub-block (and the MTP block's MoE, which has no latent projections of its own). */
function moeTensors(h: number, f: NemotronMoe, withLatentProjections: boolean, emit: Emit): void {
  const width = f.latent > 0 ? f.latent : h;
  emit('ffn_gate_inp.weight', [h, f.nExpert], 'router');
  emit('exp_probs_b.bias', [f.nExpert], 'bias');
  if (f.latent > 0 && withLatentProjections) {
    emit('ffn_latent_down.weight', [h, f.latent], 'ffn');
    emit('ffn_latent_up.weight', [f.latent, h], 'ffn');
  }
  emit('ffn_down_exps.weight', [f.expertFf, width, f.nExpert], 'ffn_exps');
  emit('ffn_up_exps.weight', [width, f.expertFf, f.nExpert], 'ffn_exps');
  emit('ffn_down_shexp.weight', [f.sharedFf, h], 'ffn');
  emit('ffn_up_shexp.weight', [h, f.sharedFf], 'ffn');
}

function mlpTensors(h: number, f: NemotronMlp, emit: Emit): void {
  emit('ffn_down.weight', [f.ff, h], 'ffn');
  emit('ffn_up.weight', [h, f.ff], 'ffn');
  if (f.bias) {
    emit('ffn_down.bias', [h], 'bias');
    emit('ffn_up.bias', [f.ff], 'bias');
  }
}

/** src/models/nemotron-h.cpp load_arch_tensors, in its order. */
function nemotronHBlock(shape: ModelShape, layer: LayerShape, emit: Emit): void {
  const h = shape.hiddenSize;
  const mtp = layer.index >= shape.layers.length;
  const m = layer.mixer;
  emit('attn_norm.weight', [h], 'norm');
  if (isMamba2(m)) mambaTensors(h, m.mamba2, emit);
  else if (m.kind === 'attention') attentionTensors(shape, m, emit);
  if (mtp) emit('post_attention_norm.weight', [h], 'norm');
  const f = layer.ffn;
  if (f.kind === 'moe') moeTensors(h, { latent: 0, ...f }, !mtp, emit);
  else if (f.ff > 0) mlpTensors(h, f, emit);
}

const nemotronH: ArchFamily = {
  architectures: ['NemotronHForCausalLM'],
  ggufArchs: ['nemotron_h', 'nemotron_h_moe'],
  read: (r, assume) => {
    const kinds = readPattern(r);
    const nLayer = r.has('hybrid_override_pattern') ? r.int('num_hidden_layers') : kinds.length;
    if (kinds.length !== nLayer) r.fail('hybrid_override_pattern', `must have one character per layer (num_hidden_layers ${nLayer})`, kinds.length);
    const isMoe = r.has('num_experts_per_tok'); // NemotronHModel.__init__: MoE arch iff the config has it
    if (!isMoe && kinds.includes('E')) r.fail('num_experts_per_tok', "is required when the pattern has MoE ('E') layers", undefined);
    const attnBias = r.bool('attention_bias', false);
    return {
      vocabSize: r.int('vocab_size'),
      hiddenSize: r.int('hidden_size'),
      nLayer,
      maxContext: r.int('max_position_embeddings'),
      ggufArch: isMoe ? 'nemotron_h_moe' : 'nemotron_h',
      tiedEmbeddings: r.bool('tie_word_embeddings', false),
      layers: buildLayers(r, kinds, isMoe, assume),
      nextnLayers: mtpLayers(r, nLayer, isMoe),
      tensorDetails: { qkvBias: attnBias, attnOutputBias: attnBias, expertProbsBias: isMoe },
    };
  },
  blockTensors: nemotronHBlock,
};

export default nemotronH;
