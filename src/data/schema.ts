/**
 * Types and hand-written validators for the model and device catalogs (one JSON file per entry in src/data/models/
 * and src/data/devices/, loaded by models.ts and devices.ts).
 *
 * Every figure in a catalog carries a Source. Validators return a list of problems (empty when valid);
 * they never throw, so a test can print every problem at once.
 */

/** Where a figure was read: a web page (url) or a file in a public repository (repo + path [+ commit]). */
export interface Source {
  title: string;
  url?: string;
  /** GitHub "owner/name". */
  repo?: string;
  path?: string;
  /** 40-hex commit the file was read at. */
  commit?: string;
  note?: string;
  /**
   * For device entries: which figures this source covers ('memory', 'bandwidth', 'fp16TensorTflops',
   * 'gpuWorkingSetShare'). A device source without `figures` covers every figure of its entry.
   */
  figures?: DeviceFigure[];
}

export type ModelKind = 'base' | 'instruct' | 'reasoning' | 'hybrid-reasoning' | 'multimodal';

export interface ModelParams {
  /** Exact integer when known; otherwise the published rounded figure as a number (e.g. 8.03e9). */
  total: number;
  /** Parameters used per token (MoE); absent for dense models or when not published. */
  active?: number;
  /** The total as printed by its source, e.g. '8.03B', '235B', '0.49B'. */
  published: string;
  /** The active count as printed, e.g. '3.3B'. */
  publishedActive?: string;
  /** True when the only figure found is the nominal size class from the model's name ('7B', '2B'). */
  nominal?: boolean;
  source: Source;
}

export interface ModelEntry {
  /** Slug, e.g. 'llama-3.1-8b'. */
  id: string;
  name: string;
  family: string;
  /** Hugging Face repository id, e.g. 'meta-llama/Llama-3.1-8B'. */
  hfId: string;
  kind: ModelKind;
  params: ModelParams;
  /** Maximum context in tokens the release supports (normally config max_position_embeddings). */
  contextLength: number;
  /**
   * config.json fields with their original names and values. A subset: generation/tokenizer keys
   * (bos/eos ids, initializer_range, ...) may be left out; architecture keys are kept verbatim.
   */
  config: Record<string, unknown>;
  /** Where the config values were read (repo, path, commit). */
  configSource: Source;
  /** YYYY-MM */
  releaseDate?: string;
  notes?: string;
  /** Values that could not be verified (left out of `config` or taken from a secondary source). */
  unverified?: string[];
}

export type DeviceKind = 'gpu' | 'apple' | 'cpu';
export type DeviceFigure = 'memory' | 'bandwidth' | 'fp16TensorTflops' | 'gpuWorkingSetShare' | 'cudaTotal';

export interface DeviceEntry {
  /** Slug, e.g. 'rtx-4090', 'm4-max-128'. */
  id: string;
  name: string;
  vendor: string;
  kind: DeviceKind;
  /**
   * Memory in bytes. A card marketed as "24 GB" holds 24 GiB = 24 x 2^30 bytes (VRAM chips come in powers
   * of two); Apple unified memory likewise. For system RAM, the capacity of the example configuration.
   */
  memoryBytes: number;
  /** As marketed, e.g. '24 GB GDDR6X'. */
  memoryLabel: string;
  /**
   * GPUs: the total CUDA reports to a process (torch.cuda.mem_get_info; vLLM prints it as total_gpu_memory), less
   * than the card's memory by what the driver keeps. From a public log of this GPU; absent when none was found.
   */
  cudaTotalBytes?: number;
  /** Peak memory bandwidth in GB/s (10^9 bytes per second). */
  bandwidthGBps: number;
  /** Dense FP16 tensor throughput (no sparsity), only where verified. */
  fp16TensorTflops?: number;
  interconnect?: string;
  /** Apple: share of unified memory Metal's recommendedMaxWorkingSetSize allows the GPU to use. */
  gpuWorkingSetShare?: number;
  sources: Source[];
  notes?: string;
}

const SLUG = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;
const COMMIT = /^[0-9a-f]{40}$/;
const YEAR_MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const MODEL_KINDS: readonly ModelKind[] = ['base', 'instruct', 'reasoning', 'hybrid-reasoning', 'multimodal'];
const DEVICE_KINDS: readonly DeviceKind[] = ['gpu', 'apple', 'cpu'];
const DEVICE_FIGURES: readonly DeviceFigure[] = ['memory', 'bandwidth', 'fp16TensorTflops', 'gpuWorkingSetShare', 'cudaTotal'];

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
function isNonEmptyString(x: unknown): x is string {
  return typeof x === 'string' && x.trim().length > 0;
}
function isPositiveNumber(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x) && x > 0;
}

/** Problems with one Source; `where` prefixes each message. */
export function validateSource(s: unknown, where: string): string[] {
  const out: string[] = [];
  if (!isRecord(s)) return [`${where}: source is not an object`];
  if (!isNonEmptyString(s['title'])) out.push(`${where}: source.title missing`);
  const url = s['url'];
  const repo = s['repo'];
  if (url === undefined && repo === undefined) out.push(`${where}: source needs a url or a repo`);
  if (url !== undefined && !(typeof url === 'string' && /^https?:\/\//.test(url))) out.push(`${where}: source.url is not an http(s) URL`);
  if (repo !== undefined && !(typeof repo === 'string' && /^[\w.-]+\/[\w.-]+$/.test(repo))) out.push(`${where}: source.repo is not owner/name`);
  if (repo !== undefined && !isNonEmptyString(s['path'])) out.push(`${where}: source.repo given without a path`);
  const commit = s['commit'];
  if (commit !== undefined && !(typeof commit === 'string' && COMMIT.test(commit))) out.push(`${where}: source.commit is not 40 hex digits`);
  for (const k of ['path', 'note'] as const) {
    if (s[k] !== undefined && typeof s[k] !== 'string') out.push(`${where}: source.${k} is not a string`);
  }
  const figures = s['figures'];
  if (figures !== undefined) {
    if (!Array.isArray(figures) || figures.length === 0) out.push(`${where}: source.figures must be a non-empty array`);
    else for (const f of figures) if (!DEVICE_FIGURES.includes(f as DeviceFigure)) out.push(`${where}: unknown figure '${String(f)}'`);
  }
  return out;
}

/** Problems with one catalog model entry (empty when valid). */
export function validateModelEntry(e: unknown): string[] {
  if (!isRecord(e)) return ['model entry is not an object'];
  const id = typeof e['id'] === 'string' ? e['id'] : '(no id)';
  const w = `model ${id}`;
  const out: string[] = [];
  if (!(typeof e['id'] === 'string' && SLUG.test(e['id']))) out.push(`${w}: id must be a lower-case slug`);
  for (const k of ['name', 'family', 'hfId'] as const) if (!isNonEmptyString(e[k])) out.push(`${w}: ${k} missing`);
  if (isNonEmptyString(e['hfId']) && !/^[\w.-]+\/[\w.-]+$/.test(e['hfId'])) out.push(`${w}: hfId is not owner/name`);
  if (!MODEL_KINDS.includes(e['kind'] as ModelKind)) out.push(`${w}: kind '${String(e['kind'])}' unknown`);

  const p = e['params'];
  if (!isRecord(p)) out.push(`${w}: params missing`);
  else {
    if (!isPositiveNumber(p['total'])) out.push(`${w}: params.total must be a positive number`);
    if (p['active'] !== undefined) {
      if (!isPositiveNumber(p['active'])) out.push(`${w}: params.active must be a positive number`);
      else if (isPositiveNumber(p['total']) && p['active'] > p['total']) out.push(`${w}: params.active > params.total`);
      if (!isNonEmptyString(p['publishedActive'])) out.push(`${w}: params.active given without publishedActive`);
    }
    if (!isNonEmptyString(p['published'])) out.push(`${w}: params.published missing`);
    if (p['nominal'] !== undefined && typeof p['nominal'] !== 'boolean') out.push(`${w}: params.nominal is not boolean`);
    if (p['source'] === undefined) out.push(`${w}: params.source missing`);
    else out.push(...validateSource(p['source'], `${w} params`));
  }

  if (!(Number.isInteger(e['contextLength']) && (e['contextLength'] as number) > 0)) out.push(`${w}: contextLength must be a positive integer`);

  const c = e['config'];
  if (!isRecord(c)) out.push(`${w}: config missing`);
  else {
    const arch = c['architectures'];
    if (!(Array.isArray(arch) && arch.length > 0 && arch.every(isNonEmptyString))) out.push(`${w}: config.architectures must be a non-empty string array`);
    if (!isNonEmptyString(c['model_type'])) out.push(`${w}: config.model_type missing`);
    // Text hyper-parameters live at the top level or in text_config (multimodal releases).
    const text = isRecord(c['text_config']) ? { ...c, ...c['text_config'] } : c;
    for (const k of ['hidden_size', 'num_hidden_layers', 'num_attention_heads']) {
      if (text[k] !== undefined && !(Number.isInteger(text[k]) && (text[k] as number) > 0)) out.push(`${w}: config ${k} must be a positive integer`);
    }
    if (!Number.isInteger(text['hidden_size'])) out.push(`${w}: config hidden_size missing`);
    if (!Number.isInteger(text['num_hidden_layers'])) out.push(`${w}: config num_hidden_layers missing`);
    for (const k of ['num_key_value_heads', 'head_dim', 'vocab_size', 'intermediate_size', 'moe_intermediate_size', 'max_position_embeddings']) {
      if (text[k] !== undefined && text[k] !== null && !(Number.isInteger(text[k]) && (text[k] as number) > 0)) out.push(`${w}: config ${k} must be a positive integer`);
    }
    if (text['tie_word_embeddings'] !== undefined && typeof text['tie_word_embeddings'] !== 'boolean') out.push(`${w}: config tie_word_embeddings must be boolean`);
    const lt = text['layer_types'];
    if (lt !== undefined && Number.isInteger(text['num_hidden_layers'])) {
      if (!Array.isArray(lt) || lt.length !== text['num_hidden_layers']) out.push(`${w}: config layer_types length != num_hidden_layers`);
    }
  }

  if (e['configSource'] === undefined) out.push(`${w}: configSource missing`);
  else out.push(...validateSource(e['configSource'], `${w} configSource`));
  if (e['releaseDate'] !== undefined && !(typeof e['releaseDate'] === 'string' && YEAR_MONTH.test(e['releaseDate']))) out.push(`${w}: releaseDate must be YYYY-MM`);
  if (e['notes'] !== undefined && typeof e['notes'] !== 'string') out.push(`${w}: notes is not a string`);
  if (e['unverified'] !== undefined && !(Array.isArray(e['unverified']) && e['unverified'].every(isNonEmptyString))) out.push(`${w}: unverified must be a string array`);
  return out;
}

/** The figures a device entry states, each of which needs a covering source. */
export function deviceFigures(d: DeviceEntry): DeviceFigure[] {
  const f: DeviceFigure[] = ['memory', 'bandwidth'];
  if (d.fp16TensorTflops !== undefined) f.push('fp16TensorTflops');
  if (d.gpuWorkingSetShare !== undefined) f.push('gpuWorkingSetShare');
  if (d.cudaTotalBytes !== undefined) f.push('cudaTotal');
  return f;
}

/** Problems with one catalog device entry (empty when valid). */
export function validateDevice(e: unknown): string[] {
  if (!isRecord(e)) return ['device entry is not an object'];
  const id = typeof e['id'] === 'string' ? e['id'] : '(no id)';
  const w = `device ${id}`;
  const out: string[] = [];
  if (!(typeof e['id'] === 'string' && SLUG.test(e['id']))) out.push(`${w}: id must be a lower-case slug`);
  for (const k of ['name', 'vendor', 'memoryLabel'] as const) if (!isNonEmptyString(e[k])) out.push(`${w}: ${k} missing`);
  if (!DEVICE_KINDS.includes(e['kind'] as DeviceKind)) out.push(`${w}: kind '${String(e['kind'])}' unknown`);
  if (!(Number.isSafeInteger(e['memoryBytes']) && (e['memoryBytes'] as number) > 0)) out.push(`${w}: memoryBytes must be a positive safe integer`);
  if (!isPositiveNumber(e['bandwidthGBps'])) out.push(`${w}: bandwidthGBps must be positive`);
  if (e['fp16TensorTflops'] !== undefined && !isPositiveNumber(e['fp16TensorTflops'])) out.push(`${w}: fp16TensorTflops must be positive`);
  const share = e['gpuWorkingSetShare'];
  if (share !== undefined && !(typeof share === 'number' && share > 0 && share <= 1)) out.push(`${w}: gpuWorkingSetShare must be in (0, 1]`);
  if (share !== undefined && e['kind'] !== 'apple') out.push(`${w}: gpuWorkingSetShare only applies to Apple devices`);
  const cuda = e['cudaTotalBytes'];
  if (cuda !== undefined && !(Number.isSafeInteger(cuda) && (cuda as number) > 0 && (cuda as number) <= (e['memoryBytes'] as number))) {
    out.push(`${w}: cudaTotalBytes must be a positive whole number of bytes, at most memoryBytes`);
  }
  if (cuda !== undefined && e['kind'] !== 'gpu') out.push(`${w}: cudaTotalBytes only applies to GPUs`);
  if (e['interconnect'] !== undefined && !isNonEmptyString(e['interconnect'])) out.push(`${w}: interconnect is empty`);
  if (e['notes'] !== undefined && typeof e['notes'] !== 'string') out.push(`${w}: notes is not a string`);

  const sources = e['sources'];
  if (!Array.isArray(sources) || sources.length === 0) out.push(`${w}: sources missing`);
  else {
    sources.forEach((s, i) => out.push(...validateSource(s, `${w} sources[${i}]`)));
    if (out.length === 0) {
      const covered = new Set<DeviceFigure>();
      for (const s of sources as Source[]) (s.figures ?? DEVICE_FIGURES).forEach((f) => covered.add(f));
      for (const f of deviceFigures(e as unknown as DeviceEntry)) if (!covered.has(f)) out.push(`${w}: figure '${f}' has no source`);
    }
  }
  return out;
}
