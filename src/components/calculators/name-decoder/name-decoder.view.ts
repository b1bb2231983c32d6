/**
 * The engine half of NameDecoder: the name parser, the catalog match and the weights sizing (name-sizing.ts).
 * Loaded by the island with a dynamic import on the first change (or when the link holds another name), and run at
 * build time for the default name (nameDecoderProps below), so the page shows the decoded default without shipping
 * the parser, the catalog or the engine. Everything it returns is plain data, so Astro can serialise it into the page.
 */
import { parseModelName, type ParsedName } from '../../../sizing/names/parse';
import { sizeParsedName, type NameSizing } from './name-sizing';

export interface NameInput {
  /** The name as typed, trimmed and not empty (the island handles an empty field itself). */
  name: string;
}

export interface NameDecoding {
  parsed: ParsedName;
  /** A family, a size or a quantization was found; otherwise the name is reported as not recognized. */
  recognised: boolean;
  /** The catalog model and its weights; null when no catalog model matches (or the name was not recognised). */
  sizing: NameSizing | null;
}

export function compute({ name }: NameInput): NameDecoding {
  const parsed = parseModelName(name);
  const recognised = parsed.family !== undefined || parsed.params !== undefined || parsed.quantization !== undefined;
  return { parsed, recognised, sizing: recognised ? sizeParsedName(parsed) : null };
}

/** The island's default name: the Props default of NameDecoder.tsx must be the same. */
export const DEFAULT_NAME = 'llama3.1:8b-instruct-q4_K_M';

/** Build time only: <NameDecoder {...nameDecoderProps()} />, the default name and its decoding. */
export function nameDecoderProps(name = DEFAULT_NAME): { name: string; initial: { input: NameInput; result: NameDecoding } } {
  const input = { name: name.trim() };
  return { name, initial: { input, result: compute(input) } };
}
