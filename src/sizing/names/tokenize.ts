/**
 * Split a model name into parts without breaking the parts that carry meaning:
 * GGUF type names keep their underscores (Q4_K_M) and versions keep their dots (3.1, v0.3).
 */

export interface Token {
  text: string;
  /** Offsets into the string given to tokenize(), so callers can cut the base name out of the input. */
  start: number;
  end: number;
}

/** A llama.cpp-style type name: {Q|IQ|TQ}{bits}_{0|1|K|NL|XS...}[_{S|M|L|XL|...}], also ARM repacks (Q4_0_4_4). */
export const GGUF_TYPE_PATTERN = /^(?:I?Q\d+|TQ\d)_(?:[01K]|NL|XXS|XS|S|M|L)(?:_(?:XXS|XS|S|M|L|XL|NL|\d+))*$/i;
const MXFP4_MOE_PATTERN = /^MXFP4_MOE$/i;

export function isGgufTypeName(text: string): boolean {
  return GGUF_TYPE_PATTERN.test(text) || MXFP4_MOE_PATTERN.test(text);
}

export function tokenize(text: string, offset = 0): Token[] {
  const tokens: Token[] = [];
  for (const chunk of text.matchAll(/[^\s\-:/+@()[\]]+/g)) {
    const start = offset + chunk.index;
    for (const piece of splitOnDots({ text: chunk[0], start, end: start + chunk[0].length })) {
      tokens.push(...splitOnUnderscores(piece));
    }
  }
  return tokens;
}

/** A dot between two digits is a version ("3.1"); any other dot separates parts ("v0.2.Q5_K_S", "Instruct.i1"). */
function splitOnDots(token: Token): Token[] {
  const parts: Token[] = [];
  let from = 0;
  const s = token.text;
  for (let i = 0; i <= s.length; i++) {
    const atEnd = i === s.length;
    const separates = !atEnd && s[i] === '.' && !(isDigit(s[i - 1]) && isDigit(s[i + 1]));
    if (atEnd || separates) {
      if (i > from) parts.push({ text: s.slice(from, i), start: token.start + from, end: token.start + i });
      from = i + 1;
    }
  }
  return parts;
}

/** Underscores join a GGUF type name; elsewhere they separate words ("Impish_Mind_8B", "Instruct_Q4_K_M"). */
function splitOnUnderscores(token: Token): Token[] {
  if (!token.text.includes('_') || isGgufTypeName(token.text)) return [token];
  const parts = token.text.split('_');
  // Find the longest tail that is a type name, so "Instruct_Q4_K_M" keeps "Q4_K_M" whole.
  for (let i = 1; i < parts.length; i++) {
    const tail = parts.slice(i).join('_');
    if (isGgufTypeName(tail)) {
      const headLength = parts.slice(0, i).join('_').length;
      const head = { text: token.text.slice(0, headLength), start: token.start, end: token.start + headLength };
      const quant = { text: tail, start: token.start + headLength + 1, end: token.end };
      return [...splitPlain(head), quant];
    }
  }
  return splitPlain(token);
}

function splitPlain(token: Token): Token[] {
  const out: Token[] = [];
  let pos = token.start;
  for (const part of token.text.split('_')) {
    if (part) out.push({ text: part, start: pos, end: pos + part.length });
    pos += part.length + 1;
  }
  return out;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}
