/**
 * Content checks for the glossary: every content/glossary/*.mdx entry has valid frontmatter
 * (the schema the site's content collection enforces), links only to entries that exist,
 * claims no alias another entry already claims, and types no bits-per-weight figure in its body
 * (the page template computes that figure from `format` through src/sizing).
 *
 * The frontmatter is parsed by a small parser for the subset of YAML the entries use:
 * `key: <JSON value>` lines (double-quoted strings, null, ["a", "b"] arrays) and block lists
 * of flow mappings (`  - { metric: "...", value: "..." }`). Anything else fails loudly, so
 * a new construct is noticed here rather than parsed differently by the site. When js-yaml
 * (a transitive dependency of Astro) is available, the result is cross-checked against it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, basename } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = join(import.meta.dirname, '..', '..', 'content', 'glossary');

const FAMILIES = [
  'float', 'legacy', 'k-quant', 'i-quant', 'ternary', 'microscaling', 'gpu-int', 'gpu-float',
  'bitsandbytes', 'naming', 'kv-cache', 'method',
] as const;
const KINDS = ['tensor-type', 'file-type', 'format', 'naming', 'kv-cache', 'method'] as const;
const CALIBRATION = ['none', 'optional', 'required'] as const;
const GPU_IDS = [
  'awq-w4-g128', 'gptq-w4-g128', 'gptq-w8-g128', 'gptq-w3-g128', 'bnb-int8', 'bnb-nf4', 'bnb-nf4-dq',
  'bnb-fp4', 'hqq-w4-g64', 'fp8-e4m3', 'fp8-e5m2', 'fp8-block128', 'nvfp4', 'mxfp4', 'w8a8-int8',
];
const KV_TYPES = ['f16', 'bf16', 'q8_0', 'q4_0', 'q4_1', 'q5_0', 'q5_1', 'iq4_nl', 'fp8'];
const FIT_GPU = ['awq', 'gptq', 'nf4', 'fp8', 'nvfp4', 'mxfp4', 'bf16', 'f16'];
/** llama.cpp file-type names (llama-quantize's spellings), for `fitQuant`. */
const LLAMA_FTYPES = [
  'F32', 'F16', 'BF16', 'Q8_0', 'Q6_K', 'Q5_K_M', 'Q5_K_S', 'Q5_1', 'Q5_0', 'Q4_K_M', 'Q4_K_S', 'Q4_1',
  'Q4_0', 'Q3_K_L', 'Q3_K_M', 'Q3_K_S', 'Q2_K', 'Q2_K_S', 'IQ1_S', 'IQ1_M', 'IQ2_XXS', 'IQ2_XS', 'IQ2_S',
  'IQ2_M', 'IQ3_XXS', 'IQ3_XS', 'IQ3_S', 'IQ3_M', 'IQ4_XS', 'IQ4_NL', 'TQ1_0', 'TQ2_0', 'MXFP4_MOE', 'Q1_0', 'Q2_0',
];
/** ggml tensor types (ggml-common.h / ggml.c type_traits). */
const GGML_TYPES = [
  'F32', 'F16', 'BF16', 'Q4_0', 'Q4_1', 'Q5_0', 'Q5_1', 'Q8_0', 'Q2_K', 'Q3_K', 'Q4_K', 'Q5_K', 'Q6_K',
  'Q8_K', 'IQ1_S', 'IQ1_M', 'IQ2_XXS', 'IQ2_XS', 'IQ2_S', 'IQ3_XXS', 'IQ3_S', 'IQ4_NL', 'IQ4_XS',
  'TQ1_0', 'TQ2_0', 'MXFP4', 'NVFP4',
];

/** Names the glossary must answer (as an entry's name or one of its aliases). */
const REQUIRED_NAMES = [
  'F32', 'F16', 'BF16', 'Q8_0', 'Q6_K', 'Q5_K_M', 'Q5_K_S', 'Q5_0', 'Q5_1', 'Q4_K_M', 'Q4_K_S', 'Q4_0',
  'Q4_1', 'Q3_K_L', 'Q3_K_M', 'Q3_K_S', 'Q2_K', 'Q2_K_S', 'IQ1_S', 'IQ1_M', 'IQ2_XXS', 'IQ2_XS', 'IQ2_S',
  'IQ2_M', 'IQ3_XXS', 'IQ3_XS', 'IQ3_S', 'IQ3_M', 'IQ4_XS', 'IQ4_NL', 'TQ1_0', 'TQ2_0', 'MXFP4',
  'MXFP4_MOE', 'NVFP4', 'NVFP4 GGUF', 'Q8_K', 'Q4_K', 'Q5_K', 'Q3_K',
  '_0', '_1', '_K', 'imatrix', 'i1-', 'UD-', '_XL', '_NL', 'XXS', 'XS',
  'AWQ', 'GPTQ', 'EXL2', 'EXL3', 'LLM.int8()', 'NF4', 'FP4', 'double quantization', 'HQQ', 'FP8 E4M3',
  'FP8 E5M2', 'SmoothQuant', 'W8A8', 'W4A16', 'QAT',
  'f16 KV cache', 'q8_0 KV cache', 'q4_0 KV cache', 'fp8 KV cache',
];

type Scalar = string | null;
type Row = Record<string, string>;
interface Entry {
  slug: string;
  file: string;
  data: Record<string, unknown>;
  body: string;
}

/** Parse one flow mapping `{ key: "value", key2: "value2" }` whose values are JSON strings. */
function parseFlowMapping(text: string, where: string): Row {
  const t = text.trim();
  if (!t.startsWith('{') || !t.endsWith('}')) throw new Error(`${where}: expected { ... }, got ${t}`);
  const out: Row = {};
  let i = 1;
  const skipWs = (): void => {
    while (i < t.length && /\s/.test(t[i] ?? '')) i++;
  };
  for (;;) {
    skipWs();
    if (t[i] === '}' && i === t.length - 1) break;
    const key = /^[A-Za-z_][A-Za-z0-9_]*/.exec(t.slice(i))?.[0];
    if (!key) throw new Error(`${where}: expected a key at column ${i} in ${t}`);
    i += key.length;
    skipWs();
    if (t[i] !== ':') throw new Error(`${where}: expected ':' after ${key}`);
    i++;
    skipWs();
    if (t[i] !== '"') throw new Error(`${where}: value of ${key} must be a double-quoted string`);
    let j = i + 1;
    while (j < t.length && t[j] !== '"') j += t[j] === '\\' ? 2 : 1;
    if (j >= t.length) throw new Error(`${where}: unterminated string for ${key}`);
    if (key in out) throw new Error(`${where}: duplicate key ${key}`);
    out[key] = JSON.parse(t.slice(i, j + 1)) as string;
    i = j + 1;
    skipWs();
    if (t[i] === ',') {
      i++;
      continue;
    }
    if (t[i] === '}' && i === t.length - 1) break;
    throw new Error(`${where}: expected ',' or '}' after ${key} in ${t}`);
  }
  return out;
}

function parseFrontmatter(yaml: string, file: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const lines = yaml.split('\n');
  let listKey: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const where = `${file}:${i + 2}`;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const item = /^\s+-\s+(.*)$/.exec(line);
    if (item) {
      if (listKey === null) throw new Error(`${where}: list item outside a list`);
      (out[listKey] as Row[]).push(parseFlowMapping(item[1] ?? '', where));
      continue;
    }
    const kv = /^([A-Za-z][A-Za-z0-9_]*):(?:\s+(.*))?$/.exec(line);
    if (!kv) throw new Error(`${where}: unsupported frontmatter line: ${line}`);
    const key = kv[1] as string;
    const raw = (kv[2] ?? '').trim();
    if (key in out) throw new Error(`${where}: duplicate key ${key}`);
    if (raw === '') {
      out[key] = [];
      listKey = key;
      continue;
    }
    listKey = null;
    try {
      out[key] = JSON.parse(raw) as unknown;
    } catch {
      throw new Error(`${where}: value of ${key} must be a JSON-style scalar or array: ${raw}`);
    }
  }
  return out;
}

function loadEntries(): Entry[] {
  const files = readdirSync(DIR).sort();
  return files.map((f) => {
    const text = readFileSync(join(DIR, f), 'utf8');
    const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
    if (!m) throw new Error(`${f}: no frontmatter block`);
    return { slug: basename(f, '.mdx'), file: f, data: parseFrontmatter(m[1] ?? '', f), body: m[2] ?? '' };
  });
}

const entries = loadEntries();
const slugs = new Set(entries.map((e) => e.slug));
const str = (e: Entry, k: string): Scalar => e.data[k] as Scalar;
const arr = (e: Entry, k: string): string[] => (e.data[k] as string[] | undefined) ?? [];
const rows = (e: Entry, k: string): Row[] => (e.data[k] as Row[] | undefined) ?? [];

/** How a reader's query is compared with names and aliases: case, spaces, `_`, `-`, `.`, `()` ignored. */
const norm = (s: string): string => s.toLowerCase().replace(/[\s_\-.()]+/g, '');

describe('glossary content', () => {
  it('holds only .mdx entries, at least 55 of them, with slug-shaped file names', () => {
    const all = readdirSync(DIR);
    expect(all.filter((f) => !f.endsWith('.mdx'))).toEqual([]);
    expect(entries.length).toBeGreaterThanOrEqual(55);
    for (const e of entries) expect(e.slug, e.file).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('frontmatter matches the schema', () => {
    const allowed = new Set([
      'name', 'aliases', 'family', 'kind', 'format', 'runtimes', 'calibration', 'summary', 'related',
      'fitQuant', 'quality', 'sources',
    ]);
    for (const e of entries) {
      const w = e.file;
      for (const k of Object.keys(e.data)) expect(allowed.has(k), `${w}: unknown key ${k}`).toBe(true);
      expect(typeof str(e, 'name'), `${w}: name`).toBe('string');
      expect((str(e, 'name') ?? '').length, `${w}: name`).toBeGreaterThan(0);
      expect(Array.isArray(e.data['aliases']), `${w}: aliases`).toBe(true);
      expect(arr(e, 'aliases').length, `${w}: aliases`).toBeGreaterThan(0);
      for (const a of arr(e, 'aliases')) expect(typeof a === 'string' && a.trim() !== '', `${w}: alias ${a}`).toBe(true);
      expect(FAMILIES as readonly string[], `${w}: family`).toContain(str(e, 'family'));
      expect(KINDS as readonly string[], `${w}: kind`).toContain(str(e, 'kind'));
      expect(CALIBRATION as readonly string[], `${w}: calibration`).toContain(str(e, 'calibration'));
      expect(Array.isArray(e.data['runtimes']) && arr(e, 'runtimes').length > 0, `${w}: runtimes`).toBe(true);
      const summary = str(e, 'summary') ?? '';
      expect(summary.length, `${w}: summary`).toBeGreaterThan(20);
      expect(summary.length, `${w}: summary is one sentence, keep it short`).toBeLessThan(300);
      expect(Array.isArray(e.data['related']), `${w}: related`).toBe(true);
      expect(Array.isArray(e.data['sources']) && rows(e, 'sources').length > 0, `${w}: sources`).toBe(true);
      for (const s of rows(e, 'sources')) {
        expect(Object.keys(s).sort(), `${w}: source keys`).toEqual(['title', 'url']);
        expect(s['url'], `${w}: source url`).toMatch(/^https:\/\//);
      }
      for (const q of rows(e, 'quality')) {
        expect(Object.keys(q).sort(), `${w}: quality keys`).toEqual(['metric', 'model', 'source', 'url', 'value']);
        expect(q['url'], `${w}: quality url`).toMatch(/^https:\/\//);
      }
      expect('fitQuant' in e.data, `${w}: fitQuant (null allowed)`).toBe(true);
      expect('format' in e.data, `${w}: format (null allowed)`).toBe(true);
    }
  });

  it('format keys are ones src/sizing can resolve', () => {
    for (const e of entries) {
      const f = str(e, 'format');
      if (f === null) {
        // Naming parts and methods have no bits of their own; variable-size formats (EXL2, EXL3) have no fixed figure.
        expect(['naming', 'method', 'format'], `${e.file}: file, tensor and KV types need a format`).toContain(str(e, 'kind'));
        continue;
      }
      const [ns, id, ...rest] = f.split(':');
      expect(rest, `${e.file}: format ${f}`).toEqual([]);
      if (ns === 'ggml') expect(GGML_TYPES, `${e.file}: ${f}`).toContain(id);
      else if (ns === 'ftype') expect(LLAMA_FTYPES, `${e.file}: ${f}`).toContain(id);
      else if (ns === 'gpu') expect(GPU_IDS, `${e.file}: ${f}`).toContain(id);
      else if (ns === 'kv') expect(KV_TYPES, `${e.file}: ${f}`).toContain(id);
      else throw new Error(`${e.file}: unknown format namespace in ${f}`);
      if (str(e, 'kind') === 'kv-cache') expect(ns, `${e.file}: KV entries use kv:`).toBe('kv');
      if (str(e, 'kind') === 'file-type') expect(ns, `${e.file}: file types use ftype:`).toBe('ftype');
    }
  });

  it('fitQuant is a llama.cpp file type, a GPU format id, or null', () => {
    for (const e of entries) {
      const q = str(e, 'fitQuant');
      if (q === null) continue;
      expect([...LLAMA_FTYPES, ...FIT_GPU], `${e.file}: fitQuant ${q}`).toContain(q);
    }
  });

  it('slugs are unique and every related slug exists (and is not the entry itself)', () => {
    expect(slugs.size).toBe(entries.length);
    for (const e of entries) {
      for (const r of arr(e, 'related')) {
        expect(slugs.has(r), `${e.file}: related "${r}" does not exist`).toBe(true);
        expect(r, `${e.file}: relates to itself`).not.toBe(e.slug);
      }
      expect(new Set(arr(e, 'related')).size, `${e.file}: duplicate related`).toBe(arr(e, 'related').length);
    }
  });

  it('links between entries (/glossary/<slug>) point to entries that exist', () => {
    for (const e of entries) {
      for (const m of e.body.matchAll(/\]\(\/glossary\/([^)#/]+)\/?(#[^)]*)?\)/g)) {
        expect(slugs.has(m[1] ?? ''), `${e.file}: link to missing entry ${m[1]}`).toBe(true);
      }
    }
  });

  it('no name or alias points to two entries', () => {
    const owner = new Map<string, string>();
    for (const e of entries) {
      for (const a of [str(e, 'name') ?? '', ...arr(e, 'aliases')]) {
        const k = norm(a);
        expect(k.length, `${e.file}: alias "${a}" is empty once normalized`).toBeGreaterThan(0);
        const prev = owner.get(k);
        expect(prev === undefined || prev === e.slug, `alias "${a}" is claimed by ${prev} and ${e.slug}`).toBe(true);
        owner.set(k, e.slug);
      }
    }
  });

  it('every required name is present as a name or alias', () => {
    const known = new Set(entries.flatMap((e) => [str(e, 'name') ?? '', ...arr(e, 'aliases')].map(norm)));
    const missing = REQUIRED_NAMES.filter((n) => !known.has(norm(n)));
    expect(missing).toEqual([]);
  });

  /**
   * The one component a body may use: a claim's source, <Src v="llama.cpp 3f545bec" href="https://..." /> (see
   * test/unit/claims-register.test.ts), in exactly this shape, with no braces or angle brackets inside its attributes.
   */
  const SRC_TAG = /<Src v="[^"{}<>]*" href="https:\/\/[^"{}<>\s]*" \/>/g;

  it('bodies type no bits-per-weight figure and use no imports or components (but the <Src> source tag)', () => {
    const bpw = /\d(\.\d+)?\s*-?\s*(bpw|bits?\s*(per|\/)\s*(weight|param(eter)?|value|element))/i;
    for (const e of entries) {
      const hit = bpw.exec(e.body);
      expect(hit?.[0] ?? null, `${e.file}: bits-per-weight figure typed in the body`).toBeNull();
      const summaryHit = bpw.exec(str(e, 'summary') ?? '');
      expect(summaryHit?.[0] ?? null, `${e.file}: bits-per-weight figure typed in the summary`).toBeNull();
      expect(/^\s*(import|export)\s/m.test(e.body), `${e.file}: no imports/exports in MDX`).toBe(false);
      const noCode = e.body.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '').replace(SRC_TAG, '');
      expect(/<[A-Z][A-Za-z]*[\s/>]/.test(noCode), `${e.file}: no components in MDX`).toBe(false);
      expect(/^# /m.test(e.body), `${e.file}: use ## headings, the page renders the title`).toBe(false);
      expect(/^## /m.test(e.body), `${e.file}: has sections`).toBe(true);
    }
  });

  it('bodies are MDX-safe: no bare { } or < that MDX would parse as JSX', () => {
    for (const e of entries) {
      // Strip inline code and fenced code, where braces and angle brackets are literal.
      const prose = e.body.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '').replace(SRC_TAG, '');
      expect(/[{}]/.test(prose), `${e.file}: bare { or } outside code`).toBe(false);
      expect(/<(?!https?:)/.test(prose), `${e.file}: bare < outside code`).toBe(false);
    }
  });

  it('parses the same with js-yaml (what the site uses), when available', async () => {
    const modName = 'js-yaml';
    let yaml: { load(s: string): unknown } | null = null;
    try {
      const mod = (await import(modName)) as { load?: (s: string) => unknown; default?: { load(s: string): unknown } };
      yaml = mod.load ? { load: mod.load } : (mod.default ?? null);
    } catch {
      yaml = null;
    }
    if (!yaml) return;
    for (const e of entries) {
      const text = readFileSync(join(DIR, e.file), 'utf8');
      const fm = /^---\n([\s\S]*?)\n---\n/.exec(text)?.[1] ?? '';
      expect(yaml.load(fm), e.file).toEqual(e.data);
    }
  });
});
