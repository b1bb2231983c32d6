/**
 * The claims register: every statement in the guide or the glossary about what a runtime or tool does (its defaults,
 * flags, what it loads, keeps, offloads or prints) names the version it held for and a public source, with
 * <Src v="vLLM 0.21" href="https://…" /> in the same paragraph or list item (src/components/Src.astro). A unit that
 * names a runtime only in passing, with no behaviour, may say so: {/* no-claim: why *\/} in the unit.
 *
 * Detection is by words: a sentence that names a runtime or tool and a behaviour verb is a claim. It over-asks on
 * purpose; the answer to a false alarm is a source or a no-claim note with its reason, both visible in review.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../content/', import.meta.url).pathname;

const RUNTIMES =
  /\b(llama\.cpp|llama-server|llama-quantize|llama-cli|llama-bench|Ollama|vLLM|transformers|LM Studio|MLX|mlx-lm|SGLang|ExLlama(?:V2|V3)?|exllamav[23]|TensorRT-LLM|bitsandbytes|accelerate|convert_hf_to_gguf(?:\.py)?|AutoAWQ|AutoGPTQ|GPTQModel|llm-compressor|Unsloth|koboldcpp|PyTorch|nvidia-smi)\b/i;
const BEHAVIOUR =
  /\b(defaults?|defaulted|keeps?|kept|loads?|loaded|offloads?|offloaded|picks?|allocates?|allocated|reserves?|reserved|stores?|stored|quantizes?|quantized|supports?|supported|refuses?|refused|prints?|printed|reports?|reported|caches?|cached|pads?|padded|rounds?|rounded|splits?|mmaps?|writes?|wrote|reads?|chooses?|chose|falls back|requires?|required|ignores?|ignored|skips?|skipped|dequantizes?|upcasts?|casts?|sets?|turns? on|turns? off|enables?|disables?|accepts?|rejects?)\b/i;
const SOURCE = /<Src\s+v="([^"]*\d[^"]*)"\s+href="(https:\/\/[^"]+)"\s*\/>/;
const NO_CLAIM = /\{\/\*\s*no-claim:\s*\S[^*]*\*\/\}/;

interface Unit {
  file: string;
  line: number;
  text: string;
}

/** Prose units of an MDX file: paragraphs, list items, table cells' rows; code, imports, exports and comments left out. */
function units(file: string, source: string): Unit[] {
  const lines = source.split('\n');
  const out: Unit[] = [];
  let i = 0;
  // Frontmatter
  if (lines[0] === '---') {
    i = 1;
    while (i < lines.length && lines[i] !== '---') i++;
    i++;
  }
  let buf: string[] = [];
  let start = i;
  let fence = false;
  let inExport = false;
  const flush = () => {
    const text = buf.join(' ').trim();
    if (text) out.push({ file, line: start + 1, text });
    buf = [];
  };
  for (; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const line = raw.trim();
    if (/^(```|~~~)/.test(line)) {
      flush();
      fence = !fence;
      continue;
    }
    if (fence) continue;
    // export const … may span lines until a line that ends the statement.
    if (inExport) {
      if (/;\s*$/.test(line) || line === '' || line === '}' || line === ');') inExport = false;
      continue;
    }
    if (/^(import|export)\s/.test(line)) {
      flush();
      inExport = /^export\s/.test(line) && !/;\s*$/.test(line);
      continue;
    }
    if (line === '' || /^#{1,6}\s/.test(line) || /^<\/?(table|thead|tbody|tr|caption|figure|figcaption|div|details|summary)\b/.test(line)) {
      flush();
      if (/^<(tr|caption|summary|figcaption)\b/.test(line)) {
        start = i;
        buf.push(line);
        flush();
      }
      continue;
    }
    if (/^([-*+]|\d+\.)\s/.test(line)) flush();
    if (buf.length === 0) start = i;
    buf.push(line);
  }
  flush();
  return out;
}

function sentences(text: string): string[] {
  // Drop JSX comments and expressions' code (their evaluated text is data from the engine, not a claim).
  const prose = text.replace(/\{\/\*[\s\S]*?\*\/\}/g, ' ').replace(/<Src\b[^>]*\/>/g, ' ');
  return prose.split(/(?<=[.!?])\s+(?=[A-Z`*_(<{])/);
}

function isClaim(u: Unit): boolean {
  return sentences(u.text).some((s) => RUNTIMES.test(s) && BEHAVIOUR.test(s));
}

function files(): string[] {
  const out: string[] = [];
  for (const dir of ['guide', 'glossary']) for (const f of readdirSync(join(ROOT, dir))) if (f.endsWith('.mdx')) out.push(join(dir, f));
  return out.sort();
}

describe('the claims register', () => {
  const all = files().flatMap((f) => units(f, readFileSync(join(ROOT, f), 'utf8')));

  it('reads the prose of every guide chapter and glossary entry', () => {
    expect(files().length).toBeGreaterThan(80);
    expect(all.length).toBeGreaterThan(900);
  });

  it('every statement of what a runtime or tool does names a version and a public source (<Src v="…" href="https://…" />)', () => {
    const missing = all.filter((u) => isClaim(u) && !SOURCE.test(u.text) && !NO_CLAIM.test(u.text));
    expect(missing.map((u) => `${u.file}:${u.line}: ${u.text.slice(0, 140)}`)).toEqual([]);
  });

  it('every <Src> names a version (a digit in v) and links over https', () => {
    const bad = all.filter((u) => /<Src\b/.test(u.text)).flatMap((u) => (u.text.match(/<Src\b[^>]*\/>/g) ?? []).filter((tag) => !SOURCE.test(tag)).map((tag) => `${u.file}:${u.line}: ${tag}`));
    expect(bad).toEqual([]);
  });

  it('detects a claim and accepts its source or a no-claim note (the rule itself)', () => {
    const u = (text: string): Unit => ({ file: 'x.mdx', line: 1, text });
    expect(isClaim(u('Ollama picks the context from the GPU memory.'))).toBe(true);
    expect(isClaim(u('Weights are parameters times bits per weight.'))).toBe(false);
    expect(SOURCE.test('vLLM reserves 8%.<Src v="vLLM 0.21" href="https://github.com/vllm-project/vllm/pull/1" />')).toBe(true);
    expect(SOURCE.test('<Src v="latest" href="https://example.com" />')).toBe(false);
    expect(NO_CLAIM.test('llama.cpp keeps going. {/* no-claim: a figure of speech */}')).toBe(true);
    const parsed = units('y.mdx', '---\ntitle: t\n---\nimport X from "x";\nexport const a = 1;\n\nFirst paragraph\ncontinues.\n\n- item one\n- item two\n\n```\ncode llama.cpp keeps\n```\n');
    expect(parsed.map((p) => p.text)).toEqual(['First paragraph continues.', '- item one', '- item two']);
  });
});
