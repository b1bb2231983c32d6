/**
 * Parsing what people type into a field or a flag. Every calculator and the CLI use these, so "8B", "8e9",
 * " 8 " and "8,000,000,000" mean the same everywhere, and bad input always gets a sentence, never NaN.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export interface NumberSpec {
  /** Human name of the field, used in messages: "Parameters". */
  label: string;
  min: number;
  max: number;
  /** Whether min itself is allowed (default true). Use false for "must be more than 0". */
  minInclusive?: boolean;
  integer?: boolean;
  /** Unit shown in messages: "billion", "bits", "tokens". */
  unit?: string;
  /** Accept a count suffix: K, M, B (or G), T, case-insensitive: "8B" = 8e9. */
  countSuffixes?: boolean;
}

const SUFFIX: Record<string, number> = { k: 1e3, m: 1e6, b: 1e9, g: 1e9, t: 1e12 };

function describeLimit(n: number, spec: NumberSpec): string {
  const text = Number.isInteger(n) ? n.toLocaleString('en-US') : String(n);
  return spec.unit ? `${text} ${spec.unit}` : text;
}

/** Parses a number typed by a person. Commas as thousands separators and surrounding spaces are allowed. */
export function parseNumber(raw: string | null | undefined, spec: NumberSpec): Parsed<number> {
  const text = (raw ?? '').trim().replace(/,/g, '').replace(/_/g, '');
  if (text === '') return { ok: false, message: `${spec.label}: enter a number.` };
  let multiplier = 1;
  let body = text;
  const last = text.slice(-1).toLowerCase();
  if (spec.countSuffixes && last in SUFFIX && /\d/.test(text.slice(0, -1))) {
    multiplier = SUFFIX[last] ?? 1;
    body = text.slice(0, -1).trim();
  }
  // Number('') is 0 and Number('0x10') is 16: accept only plain decimal notation.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(body)) {
    const shown = text.length > 24 ? `${text.slice(0, 24)}…` : text;
    return { ok: false, message: `${spec.label}: “${shown}” is not a number.` };
  }
  const value = Number(body) * multiplier;
  if (!Number.isFinite(value)) return { ok: false, message: `${spec.label}: that number is too large.` };
  const minOk = spec.minInclusive === false ? value > spec.min : value >= spec.min;
  if (!minOk) {
    const word = spec.minInclusive === false ? 'more than' : 'at least';
    return { ok: false, message: `${spec.label} must be ${word} ${describeLimit(spec.min, spec)}.` };
  }
  if (value > spec.max) return { ok: false, message: `${spec.label} must be at most ${describeLimit(spec.max, spec)}.` };
  if (spec.integer && !Number.isInteger(value)) return { ok: false, message: `${spec.label} must be a whole number.` };
  return { ok: true, value };
}

/** Parses one of a fixed set of choices, case-insensitively. */
export function parseChoice<T extends string>(raw: string | null | undefined, choices: readonly T[], label: string): Parsed<T> {
  const text = (raw ?? '').trim();
  const found = choices.find((c) => c.toLowerCase() === text.toLowerCase());
  if (found !== undefined) return { ok: true, value: found };
  return { ok: false, message: `${label}: choose one of ${choices.join(', ')}.` };
}

/**
 * A parameter count as people write it: "8B", "70b", "1.5T", "135M", "8030000000". A bare number below one
 * million is read as billions ("8" = 8 billion), because nobody means an 8-parameter model.
 */
export function parseParamCount(raw: string | null | undefined, label = 'Parameters'): Parsed<number> {
  const parsed = parseNumber(raw, { label, min: 0, minInclusive: false, max: 1e14, countSuffixes: true });
  if (!parsed.ok) {
    // Restate the limit in words people use.
    if (/at most/.test(parsed.message)) return { ok: false, message: `${label} must be at most 100 trillion (100T).` };
    return parsed;
  }
  const hasSuffix = /[kmbgt]\s*$/i.test((raw ?? '').trim());
  const value = !hasSuffix && parsed.value < 1e6 ? parsed.value * 1e9 : parsed.value;
  if (value > 1e14) return { ok: false, message: `${label} must be at most 100 trillion (100T).` };
  if (value < 1e3) return { ok: false, message: `${label} must be at least 1,000 (1K).` };
  return { ok: true, value };
}
