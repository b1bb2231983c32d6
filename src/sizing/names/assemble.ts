/** Turn a token walk into a ParsedName; shared by the Ollama, GGUF and Hugging Face parsers. */
import { decodeTokens, type Decoded } from './decode.ts';
import type { QuantContext } from './quantization.ts';
import { tokenize, type Token } from './tokenize.ts';
import type { NameSource, ParsedName } from './types.ts';

/** Decode `text` as a model name. Offsets in the result refer to `text`. */
export function decodeText(text: string, ctx: QuantContext, extraTokens: readonly Token[] = []): Decoded {
  return decodeTokens([...tokenize(text), ...extraTokens], ctx);
}

/**
 * Build the ParsedName. `text` is the string the decoded offsets refer to (for the base name).
 * A name in which nothing was recognised is reported as source 'unknown', whatever its syntax looked like.
 */
export function assemble(
  source: NameSource,
  input: string,
  text: string,
  decoded: Decoded,
  extra: Partial<ParsedName> = {},
): ParsedName {
  const notes = [...(extra.notes ?? []), ...decoded.notes];
  // A split suffix alone ("-00001-of-00002.gguf") names no model.
  const recognisedSomething = decoded.recognized > 0;
  if (!recognisedSomething) notes.push('Nothing in the name was recognised as a model family, size, variant or quantization.');
  const result: ParsedName = {
    source: recognisedSomething ? source : 'unknown',
    input,
    ...extra,
    ...definedOnly(decoded.fields),
    variants: decoded.variants,
    unknownParts: [...(extra.unknownParts ?? []), ...decoded.unknownParts],
    notes: unique(notes),
  };
  if (decoded.baseRange) result.baseName = text.slice(decoded.baseRange.start, decoded.baseRange.end);
  return result;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function unique(list: readonly string[]): string[] {
  return [...new Set(list)];
}
