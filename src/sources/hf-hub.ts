/**
 * Reads what sizing needs from a Hugging Face repository, in the browser: config.json, the safetensors index,
 * and the Hub API's file list and parameter counts. The site's only network request, and only when the reader
 * asks for it. No Node APIs; `fetch` is injected so tests (and the e2e hub stand-in) can answer instead.
 *
 * Endpoints (public, CORS-enabled, no token needed for public repositories):
 *   {base}/{id}/resolve/main/config.json                    the model's config
 *   {base}/{id}/resolve/main/model.safetensors.index.json   sharded checkpoints: metadata.total_size (bytes)
 *   {base}/api/models/{id}?blobs=false                      siblings (file names), safetensors.{parameters, total}, gated
 * The Hub answers 401 for a repository that does not exist (or is private) when no token is sent, with a JSON
 * body {"error": "Repository not found"}; a gated repository answers the API but 401/403 for its files.
 */
import { parseModelName } from '../sizing/names/parse';
import { modelShapeFromConfig } from '../sizing/model/model-shape';
import { SizingError } from '../sizing/errors';
import type { HfConfig, ModelShape } from '../sizing/types';
import { detectQuantization, type DetectedQuantization } from './hf-quantization';

export const HF_BASE_URL = 'https://huggingface.co';
export const DEFAULT_TIMEOUT_MS = 10_000;

// ---------------------------------------------------------------------------------------------------------------
// Repository ids

export type ParsedHfId = { ok: true; id: string } | { ok: false; message: string };

/** One part of owner/name: the Hub allows letters, digits, '-', '_', '.', at most 96 characters. */
const PART = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9_])?$/;
const HOSTS = /^(?:https?:\/\/)?(?:www\.)?(?:huggingface\.co|hf\.co)\//i;
/** Hub paths that are not models. */
const NOT_MODELS = new Set(['datasets', 'spaces', 'api', 'docs', 'blog', 'models', 'collections', 'papers']);

/**
 * "Qwen/Qwen3-30B-A3B", "https://huggingface.co/Qwen/Qwen3-30B-A3B", "…/tree/main", "…/blob/main/config.json",
 * "hf.co/Qwen/Qwen3-30B-A3B" -> "Qwen/Qwen3-30B-A3B". Anything else gets a message saying what was expected.
 */
export function parseHfId(input: string): ParsedHfId {
  const raw = (typeof input === 'string' ? input : '').trim();
  if (raw === '') return { ok: false, message: 'Give a Hugging Face model id such as Qwen/Qwen3-8B, or its huggingface.co link.' };
  if (raw.length > 300) return { ok: false, message: 'That is too long for a Hugging Face model id (owner/name).' };
  const fromUrl = HOSTS.test(raw);
  if (!fromUrl && /^[a-z]+:\/\//i.test(raw)) return { ok: false, message: 'Only huggingface.co (or hf.co) links are read; paste the model id (owner/name) instead.' };
  const path = raw.replace(HOSTS, '').split(/[?#]/)[0] ?? '';
  const parts = path.split('/').filter((p) => p !== '');
  const [owner, name, ...rest] = parts;
  if (owner && NOT_MODELS.has(owner.toLowerCase())) return { ok: false, message: `“${owner}/…” is not a model repository; give a model id such as Qwen/Qwen3-8B.` };
  if (!owner || !name) return { ok: false, message: 'A Hugging Face model id has two parts, owner/name (for example Qwen/Qwen3-8B).' };
  // A link may go on to /tree/<rev>, /blob/<rev>/<file>, /resolve/...; a bare id may not have a third part.
  if (rest.length > 0 && !(fromUrl && ['tree', 'blob', 'resolve', 'discussions', 'commits'].includes(rest[0] ?? ''))) {
    return { ok: false, message: 'A Hugging Face model id has two parts, owner/name (for example Qwen/Qwen3-8B).' };
  }
  for (const part of [owner, name]) {
    if (!PART.test(part) || part.includes('--') || part.includes('..')) {
      return { ok: false, message: `“${part.slice(0, 60)}” is not a valid part of a Hugging Face id (letters, digits, '-', '_' and '.' only).` };
    }
  }
  return { ok: true, id: `${owner}/${name}` };
}

// ---------------------------------------------------------------------------------------------------------------
// Results

export type HfErrorKind = 'invalid-id' | 'offline' | 'timeout' | 'aborted' | 'gated' | 'not-found' | 'no-config' | 'http' | 'malformed' | 'unsupported' | 'invalid-config';

export interface HfError {
  kind: HfErrorKind;
  message: string;
  /** The config key at fault (invalid-config, unsupported). */
  field?: string;
}

export interface SafetensorsInfo {
  /** metadata.total_size of model.safetensors.index.json: bytes of every tensor in the checkpoint. */
  totalBytes?: number;
  /** Number of shard files the index maps tensors to. */
  shards?: number;
  /** The Hub's count of parameters (all tensors in the safetensors files, vision towers included). */
  parameterCount?: number;
  /** Parameters per stored dtype ("BF16", "F8_E4M3", "I32" ...), from the Hub API. */
  dtypes?: Record<string, number>;
}

export interface GgufFileGroup {
  /** Quantization read from the file name ("Q4_K_M", "IQ4_XS", "BF16"), null when the name does not say. */
  quant: string | null;
  /** Files of this quantization (several for split files "-00001-of-00003.gguf"), in name order. */
  files: string[];
  /** True for a multimodal projector (mmproj) file: the vision encoder, not the language model. */
  projector: boolean;
}

export interface HfModelFiles {
  id: string;
  /** Parsed config.json; absent only in GGUF-only repositories (which ship no config.json). */
  config?: HfConfig;
  /** The engine's shape of the config (validated); present with config. */
  shape?: ModelShape;
  safetensorsIndex?: SafetensorsInfo;
  ggufFiles?: GgufFileGroup[];
  quantizationConfig?: DetectedQuantization;
  /** The Hub marks the repository gated (its files need an accepted license and a token). */
  gated?: boolean;
}

export type HfResult = { ok: true; value: HfModelFiles } | { ok: false; error: HfError };

export interface FetchOptions {
  fetch?: typeof fetch;
  baseUrl?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

// ---------------------------------------------------------------------------------------------------------------
// Fetching

/** One request's outcome: a JSON body, an HTTP status with its body text, or a transport failure. */
type Answer =
  | { kind: 'json'; body: unknown }
  | { kind: 'status'; status: number; text: string }
  | { kind: 'malformed' }
  | { kind: 'failed'; reason: 'offline' | 'timeout' | 'aborted' };

/** Messages name the host the reader sees (huggingface.co), whatever base the tests point at. */
const HOST_LABEL = 'huggingface.co';

async function getJson(fetchImpl: typeof fetch, url: string, signal: AbortSignal, why: () => 'timeout' | 'aborted' | null): Promise<Answer> {
  try {
    const res = await fetchImpl(url, { signal, headers: { Accept: 'application/json' }, credentials: 'omit' });
    const text = await res.text();
    if (!res.ok) return { kind: 'status', status: res.status, text: text.slice(0, 500) };
    try {
      return { kind: 'json', body: JSON.parse(text) as unknown };
    } catch {
      return { kind: 'malformed' };
    }
  } catch {
    // fetch rejects with a TypeError when offline or blocked, an AbortError when our timer or the caller aborts.
    return { kind: 'failed', reason: why() ?? 'offline' };
  }
}

function failure(a: Extract<Answer, { kind: 'failed' }>, timeoutMs: number): HfError {
  if (a.reason === 'timeout') {
    const seconds = Number((timeoutMs / 1000).toPrecision(2));
    return { kind: 'timeout', message: `${HOST_LABEL} did not answer within ${seconds} second${seconds === 1 ? '' : 's'}; try again, or paste the config.json instead.` };
  }
  if (a.reason === 'aborted') return { kind: 'aborted', message: 'The request was cancelled.' };
  return { kind: 'offline', message: `Could not reach ${HOST_LABEL}: you may be offline (or a blocker stopped the request). Paste the config.json instead.` };
}

const isNotFoundBody = (text: string) => /not\s*found/i.test(text);

/** The error for a failed config.json, with what the API said about the repository. */
function configError(a: Extract<Answer, { kind: 'status' }>, api: Answer): HfError {
  if (a.status !== 401 && a.status !== 403 && a.status !== 404) {
    return { kind: 'http', message: `${HOST_LABEL} answered ${a.status} for config.json; try again later, or paste the config.json instead.` };
  }
  const apiMissing = api.kind === 'status' && (api.status === 404 || (api.status === 401 && isNotFoundBody(api.text)));
  if (a.status === 404 && api.kind === 'json') {
    return { kind: 'no-config', message: 'This repository has no config.json at its top level (is it a GGUF-only or adapter repository?). Paste a config.json, or open a GGUF file.' };
  }
  if (apiMissing || a.status === 404 || isNotFoundBody(a.text)) {
    return { kind: 'not-found', message: 'No such model on the Hub (or it is private): check the owner/name spelling.' };
  }
  return { kind: 'gated', message: 'This repository is gated: accept its license on huggingface.co and paste its config.json instead.' };
}

function positive(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}

function safetensorsInfo(index: Answer, api: Answer): SafetensorsInfo | undefined {
  const info: SafetensorsInfo = {};
  if (index.kind === 'json' && typeof index.body === 'object' && index.body !== null) {
    const body = index.body as { metadata?: { total_size?: unknown }; weight_map?: unknown };
    const total = positive(body.metadata?.total_size);
    if (total !== undefined) info.totalBytes = total;
    if (typeof body.weight_map === 'object' && body.weight_map !== null) {
      info.shards = new Set(Object.values(body.weight_map).filter((f) => typeof f === 'string')).size;
    }
  }
  if (api.kind === 'json' && typeof api.body === 'object' && api.body !== null) {
    const st = (api.body as { safetensors?: { parameters?: unknown; total?: unknown } }).safetensors;
    const total = positive(st?.total);
    if (total !== undefined) info.parameterCount = total;
    if (typeof st?.parameters === 'object' && st.parameters !== null) {
      const dtypes: Record<string, number> = {};
      for (const [k, v] of Object.entries(st.parameters)) {
        const n = positive(v);
        if (n !== undefined) dtypes[k] = n;
      }
      if (Object.keys(dtypes).length > 0) info.dtypes = dtypes;
    }
  }
  return Object.keys(info).length > 0 ? info : undefined;
}

/** GGUF files of the repository (API siblings), one group per quantization; split parts grouped together. */
export function groupGgufFiles(fileNames: readonly string[]): GgufFileGroup[] {
  const groups = new Map<string, GgufFileGroup>();
  for (const path of [...fileNames].sort()) {
    if (!/\.gguf$/i.test(path)) continue;
    const base = path.split('/').pop() ?? path;
    const parsed = parseModelName(base);
    const projector = parsed.variants.includes('vision-projector') || /mmproj/i.test(base);
    const quant = parsed.quantization?.id ?? null;
    // Parts of one split model share a name but for "-0000N-of-0000M"; quant + projector + folder groups them.
    const folder = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    const key = `${projector ? 'mmproj' : 'model'}|${quant ?? base}|${parsed.split ? folder : ''}|${parsed.split ? '' : path}`;
    const group = groups.get(key) ?? { quant, files: [], projector };
    group.files.push(path);
    groups.set(key, group);
  }
  return [...groups.values()];
}

function ggufFiles(api: Answer): GgufFileGroup[] | undefined {
  if (api.kind !== 'json' || typeof api.body !== 'object' || api.body === null) return undefined;
  const siblings = (api.body as { siblings?: unknown }).siblings;
  if (!Array.isArray(siblings)) return undefined;
  const names = siblings
    .map((s) => (typeof s === 'object' && s !== null ? (s as { rfilename?: unknown }).rfilename : undefined))
    .filter((n): n is string => typeof n === 'string');
  const groups = groupGgufFiles(names);
  return groups.length > 0 ? groups : undefined;
}

/** config.json validated by the engine: an unknown architecture or a bad key becomes a typed error naming it. */
function validate(config: unknown): { ok: true; config: HfConfig; shape: ModelShape } | { ok: false; error: HfError } {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    return { ok: false, error: { kind: 'malformed', message: `${HOST_LABEL} sent a config.json that is not a JSON object.` } };
  }
  try {
    return { ok: true, config: config as HfConfig, shape: modelShapeFromConfig(config as HfConfig) };
  } catch (e) {
    if (!(e instanceof SizingError)) throw e;
    const kind = e.field === 'architectures' ? 'unsupported' : 'invalid-config';
    return { ok: false, error: { kind, message: e.message, ...(e.field ? { field: e.field } : {}) } };
  }
}

/**
 * config.json, the safetensors index and the Hub API for one repository, fetched in parallel under one timeout.
 * Never throws: every failure is a typed error with a message for the reader.
 */
export async function fetchModelFiles(input: string, opts: FetchOptions = {}): Promise<HfResult> {
  const parsed = parseHfId(input);
  if (!parsed.ok) return { ok: false, error: { kind: 'invalid-id', message: parsed.message } };
  const fetchImpl = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const base = (opts.baseUrl ?? HF_BASE_URL).replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const path = parsed.id.split('/').map(encodeURIComponent).join('/');

  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = () => controller.abort();
  opts.signal?.addEventListener('abort', onAbort);
  if (opts.signal?.aborted) controller.abort();
  const why = () => (timedOut ? 'timeout' : controller.signal.aborted ? 'aborted' : null);

  try {
    const [configAnswer, indexAnswer, apiAnswer] = await Promise.all([
      getJson(fetchImpl, `${base}/${path}/resolve/main/config.json`, controller.signal, why),
      getJson(fetchImpl, `${base}/${path}/resolve/main/model.safetensors.index.json`, controller.signal, why),
      getJson(fetchImpl, `${base}/api/models/${path}?blobs=false`, controller.signal, why),
    ]);
    if (configAnswer.kind === 'failed') return { ok: false, error: failure(configAnswer, timeoutMs) };
    if (configAnswer.kind === 'malformed') {
      return { ok: false, error: { kind: 'malformed', message: `${HOST_LABEL} sent a config.json that is not valid JSON; paste the config.json instead.` } };
    }
    const gguf = ggufFiles(apiAnswer);
    const gated = apiAnswer.kind === 'json' && typeof apiAnswer.body === 'object' && apiAnswer.body !== null && Boolean((apiAnswer.body as { gated?: unknown }).gated);
    const common: HfModelFiles = { id: parsed.id, ...(gguf ? { ggufFiles: gguf } : {}), ...(gated ? { gated } : {}) };
    if (configAnswer.kind === 'status') {
      const error = configError(configAnswer, apiAnswer);
      // A GGUF-only repository (bartowski/…-GGUF) has no config.json but offers files to open locally.
      if (error.kind === 'no-config' && gguf) return { ok: true, value: common };
      return { ok: false, error };
    }
    const valid = validate(configAnswer.body);
    if (!valid.ok) return valid;
    const st = safetensorsInfo(indexAnswer, apiAnswer);
    const quant = detectQuantization(valid.config);
    return {
      ok: true,
      value: { ...common, config: valid.config, shape: valid.shape, ...(st ? { safetensorsIndex: st } : {}), ...(quant ? { quantizationConfig: quant } : {}) },
    };
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Test hook

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The Hub base URL a page may be pointed at for tests (?hubBase=http://127.0.0.1:PORT): honoured only for a
 * loopback host, so no link can send a reader's requests anywhere but huggingface.co or their own machine (and
 * the production CSP's connect-src blocks loopback anyway).
 */
export function hubBaseOverride(search: string): { baseUrl: string; timeoutMs?: number } | null {
  const params = new URLSearchParams(search);
  const raw = params.get('hubBase');
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !LOCAL_HOSTS.has(url.hostname)) return null;
  const timeout = Number(params.get('hubTimeoutMs'));
  return { baseUrl: url.origin, ...(Number.isInteger(timeout) && timeout >= 100 && timeout <= 60_000 ? { timeoutMs: timeout } : {}) };
}
