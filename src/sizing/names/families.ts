/**
 * Model families and the version written with them: "llama3.1", "Llama-3.1", "Qwen2.5", "gemma-3", "DeepSeek-R1",
 * "gpt-oss". A series marks a line whose sizes differ from the family's main line (Mixtral, TinyLlama, QwQ).
 */
import type { Token } from './tokenize.ts';
import type { ModelVariant } from './types.ts';

export interface FamilyMatch {
  /** How many tokens the family (and its version) covers. */
  length: number;
  family: string;
  series?: string;
  version?: string;
  variant?: ModelVariant;
  /** A fine-tune line (Hermes, Nemotron ...) that is usually built on another family named next to it. */
  fineTuneBrand?: boolean;
}

interface FamilyRule {
  pattern: RegExp;
  build: (m: RegExpExecArray) => Omit<FamilyMatch, 'length'>;
}

const VERSION = '(\\d+(?:\\.\\d+)?)?';

const RULES: readonly FamilyRule[] = [
  rule(`^llama${VERSION}$`, (m) => withVersion({ family: 'llama' }, m[1])),
  rule('^codellama$', () => ({ family: 'llama', series: 'codellama', variant: 'coder' })),
  rule('^tinyllama$', () => ({ family: 'llama', series: 'tinyllama' })),
  rule('^llava$', () => ({ family: 'llava', variant: 'vision' })),
  rule(`^qwen${VERSION}$`, (m) => withVersion({ family: 'qwen' }, m[1])),
  rule('^qwq$', () => ({ family: 'qwen', series: 'qwq', variant: 'reasoning' })),
  rule('^gemma(\\d+)n$', (m) => ({ family: 'gemma', series: `gemma-${m[1]}n`, version: m[1] ?? '' })),
  rule(`^gemma${VERSION}$`, (m) => withVersion({ family: 'gemma' }, m[1])),
  rule('^codegemma$', () => ({ family: 'gemma', series: 'codegemma', variant: 'coder' })),
  rule('^mistral$', () => ({ family: 'mistral' })),
  rule('^(mixtral|ministral|codestral|devstral|magistral|pixtral)$', (m) => ({ family: 'mistral', series: m[1] ?? '' })),
  rule(`^phi${VERSION}$`, (m) => withVersion({ family: 'phi' }, m[1])),
  rule('^deepseek$', () => ({ family: 'deepseek' })),
  rule(`^smollm${VERSION}$`, (m) => withVersion({ family: 'smollm' }, m[1])),
  rule(
    `^(falcon|yi|granite|olmo|glm|internlm|starcoder|minicpm|moondream|solar|exaone|stablelm|baichuan|chatglm|kimi|aya|bloom|mpt|nemo)${VERSION}$`,
    (m) => withVersion({ family: m[1] ?? '' }, m[2]),
  ),
  rule(
    `^(hermes|nemotron|dolphin|zephyr|openhermes|vicuna|wizardlm|openchat|starling|orca|tulu|nous)${VERSION}$`,
    (m) => withVersion({ family: m[1] ?? '', fineTuneBrand: true }, m[2]),
  ),
];

function rule(source: string, build: FamilyRule['build']): FamilyRule {
  return { pattern: new RegExp(source, 'i'), build };
}

function withVersion(base: Omit<FamilyMatch, 'length'>, version: string | undefined): Omit<FamilyMatch, 'length'> {
  return version ? { ...base, version } : base;
}

/** The family named by tokens[i...], or null. */
export function matchFamily(tokens: readonly Token[], i: number): FamilyMatch | null {
  const word = (k: number) => tokens[i + k]?.text.toLowerCase();
  const first = word(0);
  if (first === undefined) return null;

  if (first === 'gpt' && word(1) === 'oss') return { length: 2, family: 'gpt-oss' };
  if (first === 'nomic' && word(1) === 'embed') {
    return { length: word(2) === 'text' ? 3 : 2, family: 'nomic-embed', variant: 'embedding' };
  }
  // "Meta-Llama-3.1": the maker's name in front of the family.
  const skip = first === 'meta' && word(1)?.startsWith('llama') ? 1 : 0;
  const token = tokens[i + skip];
  if (!token) return null;

  for (const r of RULES) {
    const m = r.pattern.exec(token.text);
    if (!m) continue;
    const built = r.build(m);
    // Families and series are compared, so they are kept in lower case whatever the name's casing.
    const found: FamilyMatch = { length: skip + 1, ...built, family: built.family.toLowerCase() };
    if (built.series) found.series = built.series.toLowerCase();
    return withFollowingVersion(found, word(skip + 1));
  }
  return null;
}

/**
 * "Llama-3.1", "gemma-3", "DeepSeek-R1", "gemma-3n", "Mistral-Nemo", "Kimi-K2", "Qwen3-Next": the version (or line) as
 * the next token.
 */
function withFollowingVersion(found: FamilyMatch, next: string | undefined): FamilyMatch {
  if (next === undefined) return found;
  // "Qwen3-Next": a hybrid-attention line whose sizes differ from Qwen3's.
  if (found.family === 'qwen' && found.version === '3' && next === 'next') {
    return { ...found, length: found.length + 1, series: 'qwen3-next' };
  }
  if (found.version !== undefined) return found;
  if (found.family === 'kimi') {
    const k = /^k(\d+(?:\.\d+)?)$/.exec(next);
    return k?.[1] ? { ...found, length: found.length + 1, version: `K${k[1]}` } : found;
  }
  if (found.family === 'deepseek') {
    const m = /^([rv]\d+(?:\.\d+)?)$/.exec(next);
    if (!m?.[1]) return found;
    const version = m[1].toUpperCase();
    return version.startsWith('R')
      ? { ...found, length: found.length + 1, version, variant: 'reasoning' }
      : { ...found, length: found.length + 1, version };
  }
  if (found.family === 'mistral' && next === 'nemo') return { ...found, length: found.length + 1, series: 'mistral-nemo' };
  if (found.family === 'gemma') {
    const n = /^(\d+)n$/.exec(next);
    if (n?.[1]) return { ...found, length: found.length + 1, version: n[1], series: `gemma-${n[1]}n` };
  }
  // A small bare number after the family is its version ("Llama-2", "Phi-3.5"); sizes always carry a unit.
  if (/^\d{1,2}(?:\.\d+)?$/.test(next)) return { ...found, length: found.length + 1, version: next };
  return found;
}
