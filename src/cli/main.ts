/**
 * llm-memory: the sizing engine on the command line, for scripts and for checking the engine.
 * A thin shell: it gathers inputs, calls src/sizing, and prints. Bad input exits 2 with one line on stderr.
 */
import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { SizingError } from '../sizing/errors.ts';
import { estimate, RUNTIMES, type Estimate, type EstimateOptions, type ModelSource, type RuntimeChoice } from '../sizing/memory/estimate.ts';
import { parseNumber } from '../sizing/input.ts';
import { formatBytes, formatCount, GB, GiB } from '../sizing/units.ts';
import { MODELS } from '../data/models.ts';
import { readGgufHeader } from '../sizing/gguf/gguf-reader.ts';
import { shapeFromGguf, typedTensorsFromGguf } from '../sizing/gguf/gguf-model.ts';
import { readRangeFromFile } from './gguf-file.ts';
import { PLAN_COMMANDS, PLAN_HELP, runPlanCommand, type PlanCommand } from './plan-commands.ts';

export const HELP = `llm-memory: how much memory a language model needs, exactly.

Usage:
  llm-memory --model ID --quant Q4_K_M [--ctx 8192] [options]
  llm-memory --config config.json --quant awq --runtime vllm
  llm-memory --gguf model.gguf [--ctx 32768]
  llm-memory --list-models

Model (one of):
  --model ID          a model from the catalog (llm-memory --list-models)
  --config FILE       a Hugging Face config.json
  --gguf FILE         a GGUF file: its header is read (not the whole file) and sized tensor by tensor

Options:
  --quant TYPE        llama.cpp file type (Q4_K_M, Q5_K_S, IQ4_XS, Q8_0, F16, BF16 ...) or GPU format
                      (awq, gptq, nf4, fp8, nvfp4, mxfp4, bf16). Default Q4_K_M (ignored with --gguf)
  --ctx N             context in tokens per sequence (default 4096; Ollama: its own default num_ctx)
  --batch N           sequences in parallel (llama.cpp -np, vLLM concurrent requests; default 1)
  --ubatch N          llama.cpp micro-batch (default 512)
  --kv-type T         KV cache type: f16, bf16, q8_0, q4_0 (llama.cpp), fp8 (vLLM). Default f16 / auto
  --flash-attn on|off llama.cpp flash attention (default on)
  --runtime R         llama.cpp, ollama, vllm or transformers (default llama.cpp)
  --backend B         cuda, metal or cpu (default cuda; CUDA adds a context per GPU)
  --imatrix           the GGUF was made with an importance matrix
  --images N          multimodal models: images per sequence (context positions; loads llama.cpp's mmproj)
  --image-size WxH    their size in pixels (default 1024x768)
  --mmproj-type T     llama.cpp's mmproj file type: f16 (default), bf16, f32, q8_0
  --no-vision         leave the vision part out (vLLM --language-model-only)
  --json              print one JSON object
  -h, --help          this help

Sizes: GB = 10^9 bytes, GiB = 2^30 bytes.

${PLAN_HELP}`;

export class UsageError extends Error {}

export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

function intOption(raw: string | undefined, label: string, flag: string, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const parsed = parseNumber(raw, { label, min: 1, max, integer: true });
  if (!parsed.ok) throw new UsageError(`${flag}: ${parsed.message}`);
  return parsed.value;
}

function findModel(id: string) {
  const model = MODELS.find((m) => m.id === id.toLowerCase());
  if (!model) {
    const near = MODELS.filter((m) => m.id.includes(id.toLowerCase().split(/[-:]/)[0] ?? '')).slice(0, 5).map((m) => m.id);
    throw new UsageError(`--model: unknown model "${id}"${near.length ? `; did you mean ${near.join(', ')}?` : ''} (see --list-models)`);
  }
  return model;
}

async function loadSource(values: Record<string, unknown>): Promise<{ source: ModelSource; label: string }> {
  const given = ['model', 'config', 'gguf'].filter((k) => values[k] !== undefined);
  if (given.length === 0) throw new UsageError('give a model: --model ID, --config FILE or --gguf FILE');
  if (given.length > 1) throw new UsageError(`give one model source, not ${given.map((g) => `--${g}`).join(' and ')}`);
  if (typeof values.model === 'string') {
    const m = findModel(values.model);
    return { source: { kind: 'config', config: m.config }, label: m.name };
  }
  if (typeof values.config === 'string') {
    let text: string;
    try {
      text = await readFile(values.config, 'utf8');
    } catch {
      throw new UsageError(`--config: cannot read ${values.config}`);
    }
    let config: unknown;
    try {
      config = JSON.parse(text);
    } catch (e) {
      throw new UsageError(`--config: ${values.config} is not valid JSON (${(e as Error).message})`);
    }
    if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new UsageError(`--config: ${values.config} must hold a JSON object`);
    return { source: { kind: 'config', config: config as Record<string, unknown> }, label: values.config };
  }
  const path = values.gguf as string;
  let file: Awaited<ReturnType<typeof readRangeFromFile>>;
  try {
    file = await readRangeFromFile(path);
  } catch {
    throw new UsageError(`--gguf: cannot read ${path}`);
  }
  try {
    const header = await readGgufHeader(file.read, file.size);
    const shape = shapeFromGguf(header);
    const typed = typedTensorsFromGguf(header);
    return { source: { kind: 'typed', shape, typed, metadataBytes: header.tensorDataOffset }, label: path };
  } finally {
    await file.close();
  }
}

/** The JSON the CLI prints: stable snake_case keys, bytes as integers. */
export function toJson(e: Estimate, model: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    model,
    reading: e.reading.kind,
    ...(e.reading.kind === 'generic' ? { reading_keys: e.reading.keys ?? [] } : {}),
    runtime: e.runtime,
    runtime_version: e.runtimeVersion,
    quant: e.quant.id,
    params_total: e.params.total,
    params_active: e.params.active,
    weights_bytes: e.weightsBytes,
    kv_cache_bytes: e.kvCacheBytes,
    compute_bytes: e.computeBytes,
    overhead_bytes: e.overheadBytes,
    vision_bytes: e.visionBytes,
    total_bytes: e.totalBytes,
    bits_per_weight: Number(e.weights.bitsPerWeight.toFixed(4)),
    kv_per_token_bytes: e.kv.perTokenBytes,
    kv_groups: e.kv.groups.map((g) => ({ label: g.label, layers: g.layers, cells: g.cells, type_k: g.typeK, type_v: g.typeV, bytes: g.bytes })),
    notes: e.notes,
  };
  if (e.ggufFileBytes !== undefined) out.gguf_file_bytes = e.ggufFileBytes;
  if (e.tensorTypes !== undefined) out.tensor_types = e.tensorTypes;
  if (e.vision) {
    const v = e.vision;
    out.vision = {
      loaded: v.loaded,
      basis: v.basis,
      family: v.family,
      params: v.params,
      bytes: v.bytes,
      ...(v.mmprojFileBytes === undefined ? {} : { mmproj_file_bytes: v.mmprojFileBytes, mmproj_type: v.mmprojType }),
      tokens_per_image: v.tokensPerImage,
      image_tokens: v.imageTokens,
      image_size: `${v.imageSize.width}x${v.imageSize.height}`,
    };
  }
  return out;
}

function row(label: string, bytes: number): string {
  return `  ${label.padEnd(22)}${formatBytes(bytes, 'GiB').padStart(14)}${formatBytes(bytes, 'GB').padStart(14)}`;
}

export function toTable(e: Estimate, model: string): string {
  const lines = [
    `${model}: ${e.quant.id} on ${e.runtime} (${e.runtimeVersion})`,
    ...(e.reading.kind === 'generic'
      ? [`  GENERIC READING: an architecture the engine does not read exactly, sized as a standard decoder from ${(e.reading.keys ?? []).join(', ')}: an estimate`]
      : []),
    `  parameters            ${formatCount(e.params.total)} total, ${formatCount(e.params.active)} active`,
    `  ${''.padEnd(22)}${'GiB'.padStart(14)}${'GB'.padStart(14)}`,
    row('weights', e.weightsBytes),
    row('KV cache', e.kvCacheBytes),
    row('compute + output', e.computeBytes),
    row('overhead', e.overheadBytes),
    ...(e.vision ? [row(e.vision.loaded ? 'vision encoder' : 'vision (not loaded)', e.vision.loaded ? e.visionBytes : e.vision.bytes)] : []),
    row('total', e.totalBytes),
  ];
  if (e.vision) {
    const v = e.vision;
    lines.push(
      `  vision part           ${v.basis === 'exact' ? v.family : 'estimated'}: ${formatCount(v.params)} parameters` +
        (v.mmprojFileBytes !== undefined ? `, mmproj ${v.mmprojType?.toUpperCase()} file ${formatBytes(v.mmprojFileBytes, 'GB')}` : '') +
        (v.tokensPerImage !== null ? `; ${v.tokensPerImage} context positions per ${v.imageSize.width}x${v.imageSize.height} image` : ''),
    );
  }
  if (e.ggufFileBytes !== undefined) lines.push(row('GGUF file (disk)', e.ggufFileBytes));
  if (e.tensorTypes) lines.push(`  tensor types          ${Object.entries(e.tensorTypes).map(([t, n]) => `${t} ${n}`).join(', ')}`);
  lines.push(`  bits per weight       ${e.weights.bitsPerWeight.toFixed(3)}`);
  lines.push(`  KV per token          ${formatBytes(e.kv.perTokenBytes, 'KiB')}`);
  for (const n of e.notes) lines.push(`  note: ${n}`);
  lines.push(`  (GiB = 2^30 = ${GiB.toLocaleString('en-US')} bytes; GB = 10^9 = ${GB.toLocaleString('en-US')} bytes)`);
  return lines.join('\n');
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const sub = argv[0];
  if (sub !== undefined && (PLAN_COMMANDS as readonly string[]).includes(sub)) return runPlanCommand(sub as PlanCommand, argv.slice(1), io);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: false,
      strict: true,
      options: {
        model: { type: 'string' },
        config: { type: 'string' },
        gguf: { type: 'string' },
        quant: { type: 'string' },
        ctx: { type: 'string' },
        images: { type: 'string' },
        'image-size': { type: 'string' },
        'mmproj-type': { type: 'string' },
        'no-vision': { type: 'boolean' },
        batch: { type: 'string' },
        ubatch: { type: 'string' },
        'kv-type': { type: 'string' },
        'flash-attn': { type: 'string' },
        runtime: { type: 'string' },
        backend: { type: 'string' },
        imatrix: { type: 'boolean' },
        json: { type: 'boolean' },
        'list-models': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    io.err(`llm-memory: ${(e as Error).message.split('\n')[0]} (see --help)`);
    return 2;
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  if (v.help) {
    io.out(HELP);
    return 0;
  }
  if (v['list-models']) {
    for (const m of MODELS) io.out(`${m.id.padEnd(28)} ${m.name}`);
    return 0;
  }
  try {
    const runtime = (v.runtime ?? 'llama.cpp') as string;
    if (!RUNTIMES.includes(runtime as RuntimeChoice)) throw new UsageError(`--runtime: choose one of ${RUNTIMES.join(', ')}`);
    const flash = v['flash-attn'];
    if (flash !== undefined && flash !== 'on' && flash !== 'off') throw new UsageError('--flash-attn: use on or off');
    const backend = v.backend ?? 'cuda';
    if (backend !== 'cuda' && backend !== 'metal' && backend !== 'cpu') throw new UsageError('--backend: choose cuda, metal or cpu');
    // Ollama without --ctx: its own default num_ctx for the version (estimate() picks it and says so).
    const ctx = runtime === 'ollama' && v.ctx === undefined ? undefined : intOption(v.ctx as string | undefined, 'Context', '--ctx', 4096, 16 * 1024 * 1024);
    const opts: EstimateOptions = {
      quant: typeof v.quant === 'string' ? v.quant : 'Q4_K_M',
      ...(ctx === undefined ? {} : { ctx }),
      seqs: intOption(v.batch as string | undefined, 'Batch', '--batch', 1, 4096),
      ubatch: intOption(v.ubatch as string | undefined, 'Micro-batch', '--ubatch', 512, 65536),
      runtime: runtime as RuntimeChoice,
      backend,
      flashAttn: flash !== 'off',
    };
    if (typeof v['kv-type'] === 'string') opts.kvType = v['kv-type'];
    if (v.imatrix) opts.imatrix = true;
    if (v.images !== undefined) {
      const n = parseNumber(String(v.images), { label: 'Images', min: 0, max: 4096, integer: true });
      if (!n.ok) throw new UsageError(`--images: ${n.message}`);
      opts.images = n.value;
    }
    if (typeof v['image-size'] === 'string') {
      const m = /^(\d{1,5})x(\d{1,5})$/i.exec(v['image-size'].trim());
      if (!m) throw new UsageError('--image-size: give width x height in pixels, e.g. 1024x768');
      opts.imageSize = { width: Number(m[1]), height: Number(m[2]) };
    }
    if (typeof v['mmproj-type'] === 'string') {
      const t = v['mmproj-type'].toLowerCase();
      if (t !== 'f16' && t !== 'bf16' && t !== 'f32' && t !== 'q8_0') throw new UsageError('--mmproj-type: choose f16, bf16, f32 or q8_0');
      opts.mmprojType = t;
    }
    if (v['no-vision']) opts.vision = false;
    const { source, label } = await loadSource(v);
    const result = estimate(source, opts);
    io.out(v.json ? JSON.stringify(toJson(result, label), null, 2) : toTable(result, label));
    return 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof SizingError) {
      const field = e instanceof SizingError && e.field ? ` (${e.field})` : '';
      io.err(`llm-memory: ${e.message}${field}`);
      return 2;
    }
    throw e;
  }
}

// Run directly (`node lib/cli.js ...`, or through bin/llm-memory.mjs which imports run()).
const isMain = typeof process.argv[1] === 'string' && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  run(process.argv.slice(2), { out: (s) => console.log(s), err: (s) => console.error(s) }).then(
    (code) => {
      // exitCode, not exit(): exit() can cut a large --json answer piped to another program.
      process.exitCode = code;
    },
    (e: unknown) => {
      console.error(`llm-memory: internal error: ${(e as Error).stack ?? String(e)}`);
      process.exitCode = 1;
    },
  );
}
