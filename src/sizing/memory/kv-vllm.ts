/**
 * vLLM (v1 engine) KV cache accounting: per-layer page sizes (vllm/v1/kv_cache_interface.py at 001cabc1), the
 * per-request maximum of each spec, the hybrid allocator's grouping with uniform page sizes
 * (vllm/v1/core/kv_cache_utils.py, _get_kv_cache_groups_uniform_page_size), and the pool's token capacity.
 */
import { SizingError } from '../errors.ts';
import type { KvGroup, KvOptions, KvResult } from './kv-cache-types.ts';
import { vllmProfile, vllmSchedulerDefaults } from './runtime-profiles.ts';
import type { LayerShape, ModelShape } from '../types.ts';
import { attentionOf, recurrentOf } from '../mixers.ts';

const cdiv = (a: number, b: number): number => Math.ceil(a / b);

/** Bytes per element of a vLLM --kv-cache-dtype ('auto' = the model dtype, assumed bf16). */
export function vllmDtypeBytes(dtype: string, field: 'typeK' | 'typeV' = 'typeK'): number {
  const d = dtype.trim().toLowerCase();
  if (['auto', 'bf16', 'bfloat16', 'f16', 'fp16', 'float16', 'half'].includes(d)) return 2;
  if (['fp8', 'fp8_e4m3', 'fp8_e5m2', 'fp8_inc', 'int8'].includes(d)) return 1;
  if (['f32', 'fp32', 'float32', 'float'].includes(d)) return 4;
  throw new SizingError(`vLLM kv-cache-dtype "${dtype}" is not one of auto, bf16, fp8, fp8_e4m3, fp8_e5m2`, field);
}

type SpecKind = 'full' | 'sliding' | 'chunked' | 'mla' | 'mamba';

/** One layer's KVCacheSpec, reduced to what sizing needs. */
interface LayerSpec {
  kind: SpecKind;
  /** Bytes of one page (one block of blockSize tokens; for mamba: the whole state). */
  page: number;
  /** Share of the page that is K (for the K/V split in results). */
  kShare: number;
  window: number;
  /** Identity of the spec: layers with equal specs share groups. */
  key: string;
}

/** The cache specs of one layer: its attention's, its recurrent state's (Falcon-H1 has both), or none. */
function layerSpecs(layer: LayerShape, bs: number, dtype: number, mlaFp8Ds: boolean, hybrid: boolean): LayerSpec[] {
  const specs: LayerSpec[] = [];
  const state = recurrentOf(layer);
  if (state) {
    // MambaSpec.page_size_bytes = sum(prod(shape) x dtype) over the state tensors (model dtype assumed).
    const page = (state.stateElementsR + state.stateElementsS) * dtype;
    specs.push({ kind: 'mamba', page, kShare: state.stateElementsR / Math.max(1, state.stateElementsR + state.stateElementsS), window: 0, key: `mamba/${page}` });
  }
  const m = attentionOf(layer);
  // KV sharing (Gemma 3n: kv_sharing_target_layer_name): the layer has no cache of its own.
  if (!m || (m.kind === 'attention' && m.kvSharedFrom !== undefined)) return specs;
  if (m.kind === 'mla') {
    // MLAAttentionSpec: block_size x num_kv_heads(1) x head_size(kv_lora_rank + rope) x dtype; fp8_ds_mla: 656 B/token.
    const page = mlaFp8Ds ? bs * 656 : bs * (m.kvLoraRank + m.qkRopeHeadDim) * dtype;
    specs.push({ kind: 'mla', page, kShare: 1, window: 0, key: `mla/${page}` });
    return specs;
  }
  // FullAttentionSpec.real_page_size_bytes = block_size x num_kv_heads x (head_size + head_size_v) x dtype.
  const page = bs * m.nHeadKv * (m.headDimK + m.headDimV) * dtype;
  const kShare = m.headDimK / (m.headDimK + m.headDimV);
  // Without the hybrid allocator, sliding-window layers are treated as full attention.
  if (m.window === null || !hybrid) specs.push({ kind: 'full', page, kShare, window: 0, key: `full/${page}` });
  else {
    const kind: SpecKind = m.windowKind === 'chunked' ? 'chunked' : 'sliding';
    specs.push({ kind, page, kShare, window: m.window, key: `${kind}/${m.window}/${page}` });
  }
  return specs;
}

/** Blocks one request of `len` tokens needs in one layer of a spec (max_memory_usage_bytes / page). */
function blocksPerRequest(spec: LayerSpec, len: number, bs: number, maxBatched: number): number {
  switch (spec.kind) {
    case 'full':
    case 'mla':
      return cdiv(len, bs);
    case 'sliding':
      // SlidingWindowSpec: +1 because the window may not start at a block boundary.
      return cdiv(Math.min(spec.window - 1 + maxBatched, len), bs) + 1;
    case 'chunked':
      return cdiv(Math.min(spec.window + maxBatched, len), bs);
    case 'mamba':
      return 1; // mode "none": one state per request (+ speculative blocks, not modelled)
  }
}

/** A set of layers of one spec, as the hybrid allocator groups them. */
interface SpecType {
  spec: LayerSpec;
  layers: number;
  /** Groups of groupSize layers this type occupies (the last one padded). */
  groups: number;
  /** Block size multiplier from page unification (attention), 1 otherwise. */
  scale: number;
}

export interface VllmLayout {
  blockSize: number;
  maxNumBatchedTokens: number;
  /** Uniform page size of every group after unification. */
  page: number;
  /** Layers per group (= KVCacheTensors; each block id is reserved in all of them). */
  groupSize: number;
  nGroups: number;
  types: SpecType[];
  notes: string[];
}

/** vLLM's grouping of a model's layers into KV cache groups with one page size. */
export function vllmLayout(shape: ModelShape, opts: Pick<KvOptions, 'typeK' | 'typeV' | 'blockSize' | 'maxNumBatchedTokens' | 'hybridAllocator' | 'version'>): VllmLayout {
  const profile = vllmProfile(opts.version);
  const bs = opts.blockSize ?? profile.blockSize;
  if (!Number.isInteger(bs) || bs < 1) throw new SizingError(`block size must be a positive whole number, got ${bs}`, 'blockSize');
  // Unknown GPU and context: the default for a GPU below 70 GiB (2048), which only bounds sliding-window layers.
  const maxBatched = opts.maxNumBatchedTokens ?? vllmSchedulerDefaults(profile, {}, 2048).maxNumBatchedTokens;
  if (opts.typeK.trim().toLowerCase() !== opts.typeV.trim().toLowerCase()) {
    throw new SizingError('vLLM has one --kv-cache-dtype for K and V', 'typeV');
  }
  const mlaFp8Ds = opts.typeK.trim().toLowerCase() === 'fp8_ds_mla';
  const dtype = mlaFp8Ds ? 1 : vllmDtypeBytes(opts.typeK);
  const hybrid = opts.hybridAllocator ?? true;
  const notes: string[] = [];

  const byKey = new Map<string, SpecType>();
  for (const layer of shape.layers) {
    for (const spec of layerSpecs(layer, bs, dtype, mlaFp8Ds, hybrid)) {
      const t = byKey.get(spec.key);
      if (t) t.layers += 1;
      else byKey.set(spec.key, { spec, layers: 1, groups: 1, scale: 1 });
    }
  }
  const types = [...byKey.values()];
  if (types.length === 0) throw new SizingError('The model has no layers', 'layers');

  // unify_kv_cache_spec_page_size: every group needs one page size. Attention pages grow by raising their block
  // size (a whole multiple of blockSize) until they cover the largest page; mamba states are padded up to it.
  const largest = Math.max(...types.map((t) => t.spec.page));
  for (const t of types) t.scale = t.spec.kind === 'mamba' ? 1 : Math.ceil(largest / t.spec.page);
  const page = Math.max(...types.map((t) => t.spec.page * t.scale));
  if (types.some((t) => t.spec.page !== page)) {
    notes.push('Page sizes differ between layer types: vLLM enlarges the smaller pages (bigger blocks or padded state) to one page size.');
  }

  let groupSize: number;
  if (types.length === 1) {
    groupSize = types[0]?.layers ?? 1;
  } else {
    // group_size = min layers of a type, or the max when max < 1.25 x min (fewer padding layers).
    const counts = types.map((t) => t.layers);
    const min = Math.min(...counts);
    const max = Math.max(...counts);
    groupSize = max < min * 1.25 ? max : min;
  }
  for (const t of types) t.groups = cdiv(t.layers, groupSize);
  const nGroups = types.reduce((s, t) => s + t.groups, 0);
  const padding = nGroups * groupSize - shape.layers.length;
  if (padding > 0) notes.push(`The hybrid allocator adds ${padding} padding layer(s) to make groups of ${groupSize}.`);
  return { blockSize: bs, maxNumBatchedTokens: maxBatched, page, groupSize, nGroups, types, notes };
}

/** Blocks (in every group tensor) one request of len tokens needs. */
function requestBlocks(layout: VllmLayout, len: number): { type: SpecType; blocks: number }[] {
  return layout.types.map((type) => {
    // A spec whose page was enlarged holds proportionally more tokens per block.
    const tokensPerBlock = layout.blockSize * type.scale;
    const perGroup = blocksPerRequest(type.spec, len, tokensPerBlock, layout.maxNumBatchedTokens);
    return { type, blocks: perGroup * type.groups };
  });
}

/** KV memory vLLM needs to hold `seqs` requests of `ctx` tokens each. */
export function vllmKv(shape: ModelShape, opts: KvOptions): KvResult {
  for (const [n, f] of [[opts.ctx, 'ctx'], [opts.seqs, 'seqs']] as const) {
    if (!Number.isInteger(n) || n < 1) throw new SizingError(`${f} must be a positive whole number, got ${n}`, f);
  }
  const profile = vllmProfile(opts.version);
  const layout = vllmLayout(shape, opts);
  const groups: KvGroup[] = [];
  let perTokenBytes = 0;
  let paddingBytes = 0;
  let paddingLayers = 0;
  for (const { type, blocks } of requestBlocks(layout, opts.ctx)) {
    const perLayer = (blocks / type.groups) * opts.seqs * layout.page;
    const bytes = perLayer * type.layers;
    const kBytes = bytes * type.spec.kShare;
    const label: KvGroup['label'] = type.spec.kind === 'full' ? 'global' : type.spec.kind === 'mamba' ? 'recurrent' : type.spec.kind;
    const tokensPerBlock = type.spec.kind === 'mamba' ? 1 : layout.blockSize * type.scale;
    groups.push({
      label,
      layers: type.layers,
      cells: (blocks / type.groups) * opts.seqs * tokensPerBlock,
      typeK: opts.typeK,
      typeV: opts.typeV,
      kBytes,
      vBytes: bytes - kBytes,
      bytes,
    });
    const pad = type.groups * layout.groupSize - type.layers;
    paddingLayers += pad;
    paddingBytes += perLayer * pad;
    if (type.spec.kind === 'full' || type.spec.kind === 'mla') perTokenBytes += (layout.page / tokensPerBlock) * type.layers;
  }
  if (paddingLayers > 0) {
    groups.push({ label: 'padding', layers: paddingLayers, cells: 0, typeK: opts.typeK, typeV: opts.typeV, kBytes: 0, vBytes: 0, bytes: paddingBytes });
  }
  const notes = [...layout.notes];
  if (layout.nGroups > 1) {
    notes.push(
      'Hybrid model: vLLM reports its pool as "GPU KV cache size: N tokens" charging every layer (and padding) for every token; the sliding-window saving shows only in "maximum concurrency".',
    );
  }
  notes.push(`Blocks of ${layout.blockSize} tokens; vLLM fills the whole memory budget with blocks whatever the context.`);
  return {
    runtime: 'vllm',
    version: profile.version,
    bytes: groups.reduce((s, g) => s + g.bytes, 0),
    perTokenBytes,
    groups,
    notes,
  };
}

export interface VllmCapacity {
  /** num_blocks = available // page // layers-per-group. */
  numBlocks: number;
  /** What vLLM logs as "GPU KV cache size: N tokens" (num_blocks // groups x block_size). */
  tokens: number;
  /** "Maximum concurrency for X tokens per request": num_blocks / blocks one request needs. */
  maxConcurrency(atLen: number): number;
  layout: VllmLayout;
}

/** What a KV pool of `availableKvBytes` holds in vLLM (kv_cache_utils.get_num_blocks and _report_kv_cache_config). */
export function vllmCapacity(
  shape: ModelShape,
  availableKvBytes: number,
  opts: Pick<KvOptions, 'typeK' | 'typeV' | 'blockSize' | 'maxNumBatchedTokens' | 'hybridAllocator' | 'version'>,
): VllmCapacity {
  if (!(availableKvBytes >= 0)) throw new SizingError('Available KV memory must be zero or more', 'availableKvBytes');
  const layout = vllmLayout(shape, opts);
  const numBlocks = Math.floor(availableKvBytes / (layout.page * layout.groupSize));
  return {
    numBlocks,
    tokens: Math.floor(numBlocks / layout.nGroups) * layout.blockSize,
    maxConcurrency(atLen: number): number {
      const need = requestBlocks(layout, atLen).reduce((s, r) => s + r.blocks, 0);
      return numBlocks / need;
    },
    layout,
  };
}
