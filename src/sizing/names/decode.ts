/**
 * Walk the tokens of a name left to right and explain each one: family and version, parameter counts, variant,
 * context, date, quantization. Whatever cannot be explained goes to unknownParts as written; nothing is guessed.
 */
import { matchFamily, type FamilyMatch } from './families.ts';
import { matchQuantization, type QuantContext, type QuantMatch } from './quantization.ts';
import type { Token } from './tokenize.ts';
import type { ModelVariant, ParsedName, ParsedParams } from './types.ts';

/** The parts of ParsedName a token walk fills in. */
export type DecodedFields = Pick<
  ParsedName,
  | 'family'
  | 'series'
  | 'version'
  | 'params'
  | 'sizeClass'
  | 'variant'
  | 'fineTune'
  | 'quantization'
  | 'imatrix'
  | 'context'
  | 'date'
>;

export interface Decoded {
  fields: DecodedFields;
  variants: ModelVariant[];
  /** Offsets of the first and last token that belong to the model name (not quantization or markers). */
  baseRange?: { start: number; end: number };
  /** How many tokens were explained. 0 means the input named nothing we know. */
  recognized: number;
  unknownParts: string[];
  notes: string[];
}

interface Draft extends Decoded {
  qat?: Token;
  bitsPerWeight?: number;
  distilled?: boolean;
  familyIsBrand?: boolean;
}

const VARIANT_WORDS: Readonly<Record<string, ModelVariant>> = {
  instruct: 'instruct',
  inst: 'instruct',
  it: 'instruct',
  chat: 'chat',
  base: 'base',
  pt: 'base',
  reasoning: 'reasoning',
  thinking: 'reasoning',
  coder: 'coder',
  code: 'coder',
  vision: 'vision',
  vl: 'vision',
  embed: 'embedding',
  embedding: 'embedding',
  mmproj: 'vision-projector',
};

/** Most specific first: a coder-instruct model is sized as a coder model. */
const VARIANT_PRIORITY: readonly ModelVariant[] = [
  'vision-projector',
  'embedding',
  'vision',
  'coder',
  'reasoning',
  'instruct',
  'chat',
  'base',
];

const SIZE_CLASSES = new Set(['mini', 'small', 'medium', 'large', 'nano', 'tiny', 'lite', 'air', 'scout', 'maverick', 'flash']);

const FILLER_NOTES: Readonly<Record<string, string | null>> = {
  hf: "'-hf': the checkpoint converted to Hugging Face transformers format; same weights.",
  ggml: "'ggml-model': llama.cpp's generic conversion name; the model itself is not named.",
  model: null,
  latest: null,
  moe: null,
  preview: null,
};

type Step = (tokens: readonly Token[], i: number, d: Draft, ctx: QuantContext) => number;

export function decodeTokens(tokens: readonly Token[], ctx: QuantContext): Decoded {
  const d: Draft = { fields: {}, variants: [], recognized: 0, unknownParts: [], notes: [] };
  for (let i = 0; i < tokens.length; ) {
    i += decodeOne(tokens, i, d, ctx);
  }
  finishQuantization(d);
  const variant = VARIANT_PRIORITY.find((v) => d.variants.includes(v));
  if (variant) d.fields.variant = variant;
  const { fields, variants, baseRange, recognized, unknownParts, notes } = d;
  return baseRange
    ? { fields, variants, baseRange, recognized, unknownParts, notes }
    : { fields, variants, recognized, unknownParts, notes };
}

/** Explain tokens[i] (and maybe the ones after it); returns how many tokens were used. */
function decodeOne(tokens: readonly Token[], i: number, d: Draft, ctx: QuantContext): number {
  for (const step of STEPS) {
    const used = step(tokens, i, d, ctx);
    if (used > 0) {
      d.recognized += used;
      return used;
    }
  }
  const token = tokens[i] as Token;
  d.unknownParts.push(token.text);
  keep(d, token);
  return 1;
}

const STEPS: readonly Step[] = [
  function quantization(tokens, i, d, ctx) {
    const m = matchQuantization(tokens, i, ctx);
    if (!m) return 0;
    applyQuantMatch(d, m, tokens[i] as Token);
    return m.length;
  },
  function family(tokens, i, d) {
    const m = matchFamily(tokens, i);
    if (!m) return 0;
    applyFamily(d, m);
    keepRange(d, tokens, i, m.length);
    return m.length;
  },
  function params(tokens, i, d) {
    const token = tokens[i] as Token;
    if (!applyParams(d, token.text)) return 0;
    keep(d, token);
    return 1;
  },
  function context(tokens, i, d) {
    const token = tokens[i] as Token;
    // "1M" is a parameter count until a count has been read ("SmolLM2-135M"), then a context ("Qwen2.5-7B-Instruct-1M").
    const isContext = /^\d+k$/i.test(token.text) || (d.fields.params?.total !== undefined && /^\d+m$/i.test(token.text));
    if (!isContext || d.fields.context !== undefined) return 0;
    d.fields.context = token.text.toLowerCase();
    keep(d, token);
    return 1;
  },
  function version(tokens, i, d) {
    const token = tokens[i] as Token;
    const m = /^v(\d+(?:\.\d+)*)$/i.exec(token.text);
    if (!m?.[1] || d.fields.version !== undefined) return 0;
    d.fields.version = m[1];
    keep(d, token);
    return 1;
  },
  function date(tokens, i, d) {
    const token = tokens[i] as Token;
    if (!/^\d{4}$/.test(token.text) || d.fields.date !== undefined) return 0;
    d.fields.date = token.text;
    keep(d, token);
    return 1;
  },
  function variant(tokens, i, d) {
    const token = tokens[i] as Token;
    const v = VARIANT_WORDS[token.text.toLowerCase()];
    if (!v) return 0;
    d.variants.push(v);
    if (v === 'vision-projector') {
      d.notes.push('mmproj: the multimodal projector (vision encoder) file that goes with a model, not a language model.');
    }
    keep(d, token);
    return 1;
  },
  function sizeClass(tokens, i, d) {
    const token = tokens[i] as Token;
    const word = token.text.toLowerCase();
    if (!SIZE_CLASSES.has(word) || d.fields.sizeClass !== undefined) return 0;
    d.fields.sizeClass = word;
    keep(d, token);
    return 1;
  },
  function distill(tokens, i, d) {
    const token = tokens[i] as Token;
    if (token.text.toLowerCase() !== 'distill') return 0;
    d.distilled = true;
    if (d.fields.family === 'deepseek' && d.fields.version) d.fields.series = `${d.fields.version.toLowerCase()}-distill`;
    keep(d, token);
    return 1;
  },
  function filler(tokens, i, d) {
    const token = tokens[i] as Token;
    const note = FILLER_NOTES[token.text.toLowerCase()];
    if (note === undefined) return 0;
    // "model" explains nothing on its own ("Some-Model"); only in llama.cpp's "ggml-model" / "mmproj-model".
    if (token.text.toLowerCase() === 'model' && !/^(ggml|mmproj)$/i.test(tokens[i - 1]?.text ?? '')) return 0;
    if (note !== null) d.notes.push(note);
    keep(d, token);
    return 1;
  },
];

function applyQuantMatch(d: Draft, m: QuantMatch, first: Token): void {
  d.notes.push(...m.notes);
  if (m.imatrix) d.fields.imatrix = true;
  if (m.qat) d.qat = first;
  if (m.bitsPerWeight !== undefined) d.bitsPerWeight = m.bitsPerWeight;
  if (!m.quantization) return;
  if (d.fields.quantization) {
    // Two formats in one name: report the second rather than pick one.
    d.unknownParts.push(m.quantization.text);
    d.notes.push(`The name gives two quantizations (${d.fields.quantization.text}, ${m.quantization.text}); the first is used.`);
    return;
  }
  d.fields.quantization = m.quantization;
}

function applyFamily(d: Draft, m: FamilyMatch): void {
  const f = d.fields;
  if (m.variant) d.variants.push(m.variant);
  if (f.family === undefined || (d.familyIsBrand && !m.fineTuneBrand)) {
    if (d.familyIsBrand && f.family) {
      f.fineTune = f.family;
      d.notes.push(`${f.family}: a fine-tune line; its architecture is the ${m.family} model named with it.`);
      delete f.version;
    }
    f.family = m.family;
    if (m.series) f.series = m.series;
    if (m.version) f.version = m.version;
    d.familyIsBrand = m.fineTuneBrand === true;
    return;
  }
  if (m.fineTuneBrand) {
    f.fineTune = m.family;
    d.notes.push(`${m.family}: a fine-tune line built on ${f.family}.`);
    return;
  }
  if (d.distilled) {
    d.notes.push(`Distilled into a ${m.family} model: architecture and size are that ${m.family} model's, not ${f.family}'s.`);
    return;
  }
  d.unknownParts.push(m.family);
  d.notes.push(`The name names two families (${f.family}, ${m.family}); ${f.family} is used.`);
}

/** Parameter counts: "70b", "0.5B", "135M", "8x7b", "A3B" (active), "e2b" (effective), "16E" (expert count). */
function applyParams(d: Draft, text: string): boolean {
  const p: ParsedParams | undefined = d.fields.params;
  const total = /^(\d+(?:\.\d+)?)([bmt])$/i.exec(text);
  if (total?.[1] && total[2] && p === undefined) {
    d.fields.params = { total: scaled(total[1], total[2]), text: text.toLowerCase() };
    return true;
  }
  const experts = /^(\d+)x(\d+(?:\.\d+)?)([bm])$/i.exec(text);
  if (experts?.[1] && experts[2] && experts[3] && p === undefined) {
    const count = Number(experts[1]);
    d.fields.params = { experts: { count, each: scaled(experts[2], experts[3]) }, text: text.toLowerCase() };
    d.notes.push(
      `${text}: ${count} experts of a ${experts[2]}${experts[3].toUpperCase()}-class model. Experts share attention and embeddings, so the total is less than ${count} x ${experts[2]}${experts[3].toUpperCase()} (Mixtral 8x7B is 46.7B total, 12.9B active, not 56B).`,
    );
    return true;
  }
  const active = /^a(\d+(?:\.\d+)?)b$/i.exec(text);
  if (active?.[1] && p?.active === undefined) {
    const value = scaled(active[1], 'b');
    d.fields.params = p ? { ...p, active: value, text: `${p.text}-${text.toLowerCase()}` } : { active: value, text: text.toLowerCase() };
    return true;
  }
  const effective = /^e(\d+(?:\.\d+)?)b$/i.exec(text);
  if (effective?.[1] && p === undefined) {
    d.fields.params = { text: text.toLowerCase() };
    d.notes.push(`${text}: "effective" ${effective[1]}B parameters (Gemma 3n); the stored total is larger.`);
    return true;
  }
  const expertCount = /^(\d+)e$/i.exec(text);
  if (expertCount?.[1] && p?.total !== undefined && p.active === undefined) {
    // Llama 4 style "17B-16E": the count before the expert number is the active one, the total is not named.
    d.fields.params = { active: p.total, text: `${p.text}-${text.toLowerCase()}` };
    d.notes.push(`${text}: ${expertCount[1]} experts; the number before it is the active parameter count.`);
    return true;
  }
  return false;
}

function scaled(value: string, unit: string): number {
  const scale = { b: 1e9, m: 1e6, t: 1e12 }[unit.toLowerCase() as 'b' | 'm' | 't'];
  return Math.round(Number(value) * scale);
}

function finishQuantization(d: Draft): void {
  const q = d.fields.quantization;
  if (q && d.bitsPerWeight !== undefined && q.bits === undefined && q.id.startsWith('exl')) q.bits = d.bitsPerWeight;
  if (!q && d.bitsPerWeight !== undefined) {
    d.notes.push(`${d.bitsPerWeight} bits per weight, but the format is not named.`);
  }
  if (d.qat) finishQat(d, d.qat);
  if (d.fields.imatrix && d.fields.quantization) d.fields.quantization.imatrix = true;
}

function finishQat(d: Draft, marker: Token): void {
  const q = d.fields.quantization;
  d.notes.push('QAT: the checkpoint was trained for its quantized form, so it loses less than plain post-training quantization.');
  if (q) {
    d.fields.quantization = { ...q, kind: 'qat', text: `${marker.text}-${q.text}` };
  } else if (d.fields.family === 'gemma') {
    d.fields.quantization = { kind: 'qat', id: 'Q4_0', bits: 4, text: marker.text };
    d.notes.push("Gemma 3's QAT checkpoints target 4-bit and were released as Q4_0 GGUFs; that is what the -qat tags hold.");
  } else {
    d.fields.quantization = { kind: 'qat', id: 'qat', text: marker.text };
    d.notes.push('The quantized format the model was trained for is not in the name.');
  }
}

function keep(d: Draft, token: Token): void {
  const r = d.baseRange;
  d.baseRange = r ? { start: Math.min(r.start, token.start), end: Math.max(r.end, token.end) } : { start: token.start, end: token.end };
}

function keepRange(d: Draft, tokens: readonly Token[], i: number, length: number): void {
  for (const t of tokens.slice(i, i + length)) keep(d, t);
}
