/**
 * Decode the names users arrive with — Ollama tags, GGUF file names, Hugging Face repositories and URLs — into
 * family, version, parameter count, variant and quantization; and find the catalog entry they refer to.
 * Pure: no I/O, never throws on any input. Naming conventions: llama.cpp's file types
 * (tools/quantize), the Ollama library's tags, and the publishers' repository names (bartowski, unsloth, TheBloke, Qwen ...).
 */
import { assemble, decodeText } from './assemble.ts';
import { looksLikeGgufFile, parseGgufFileName } from './gguf.ts';
import {
  looksLikeHuggingFaceRepo,
  looksLikeHuggingFaceUrl,
  parseHuggingFaceRepo,
} from './huggingface.ts';
import { isHuggingFaceOllamaName, parseOllamaName } from './ollama.ts';
import type { ParsedName } from './types.ts';

export type {
  ModelVariant,
  NameSource,
  OllamaTagInfo,
  ParsedName,
  ParsedParams,
  ParsedQuantization,
  QuantKind,
  QuantRecipe,
} from './types.ts';
export { matchCatalogModel, type CatalogMatch, type MatchConfidence } from './catalog-match.ts';

/** Longer than any real model name; beyond this the input is reported, not parsed (keeps the work bounded). */
const MAX_NAME_LENGTH = 400;
const OLLAMA_NAME = /^(?:[\w.-]+\/)?[a-z0-9][\w.-]*(?::[\w.-]+)?$/i;

export function parseModelName(input: string): ParsedName {
  const trimmed = (typeof input === 'string' ? input : '').trim();
  if (trimmed === '') return unknown(trimmed, [], 'Empty input: no model name given.');
  if (trimmed.length > MAX_NAME_LENGTH) {
    return unknown(trimmed, [`${trimmed.slice(0, 40)}…`], `Input is ${trimmed.length} characters long; model names are shorter than ${MAX_NAME_LENGTH}.`);
  }
  if (looksLikeGgufFile(trimmed)) return parseGgufFileName(trimmed);
  if (isHuggingFaceOllamaName(trimmed)) return parseOllamaName(trimmed);
  if (looksLikeHuggingFaceUrl(trimmed) || looksLikeHuggingFaceRepo(trimmed)) return parseHuggingFaceRepo(trimmed);
  if (/^(?:https?:\/\/)?registry\.ollama\.ai\//i.test(trimmed) || (OLLAMA_NAME.test(trimmed) && isOllamaStyle(trimmed))) {
    return parseOllamaName(trimmed);
  }
  return parsePlainName(trimmed);
}

/** Ollama names are lower case ("llama3.1:70b"); a tag after ':' is Ollama's too. */
function isOllamaStyle(name: string): boolean {
  return name.includes(':') || name === name.toLowerCase();
}

/** A name with no recognisable syntax ("Meta-Llama-3.1-8B-Instruct"): decode its words, source stays 'unknown'. */
function parsePlainName(name: string): ParsedName {
  const result = assemble('unknown', name, name, decodeText(name, { inGgufFile: false }));
  if (result.source === 'unknown' && result.unknownParts.length + (result.family ? 1 : 0) > 0) {
    result.notes.unshift('Not an Ollama tag, GGUF file name or Hugging Face repository; decoded as a plain model name.');
  }
  return result;
}

function unknown(input: string, unknownParts: string[], note: string): ParsedName {
  return { source: 'unknown', input, variants: [], unknownParts, notes: [note] };
}
