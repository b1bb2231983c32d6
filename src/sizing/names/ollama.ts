/**
 * Ollama names: "llama3.1:70b-instruct-q5_K_M", "qwen3:30b-a3b", "llama3.2" (no tag = ':latest'),
 * "user/model:tag", "hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M" (a GGUF pulled from Hugging Face).
 */
import { assemble, decodeText } from './assemble.ts';
import { tokenize } from './tokenize.ts';
import type { OllamaTagInfo, ParsedName } from './types.ts';

const HF_PREFIX = /^(?:https?:\/\/)?(?:hf\.co|huggingface\.co)\/([^/:]+)\/([^/:]+)(?::([^/:]*))?$/i;

/**
 * What ':latest' resolved to in the Ollama library when src/data/reference/published-gguf-sizes.json was collected.
 * Ollama can move 'latest'; `ollama show` is the authority.
 */
const LATEST_PARAMS: Readonly<Record<string, string>> = {
  'llama3.1': '8b',
  'llama3.2': '3b',
  'llama3.3': '70b',
  phi3: '3.8b',
  phi4: '14b',
  gemma2: '9b',
  gemma3: '4b',
  mistral: '7b',
  qwq: '32b',
};

export function isHuggingFaceOllamaName(input: string): boolean {
  const m = HF_PREFIX.exec(input);
  return m !== null && m[3] !== undefined && !/^https?:/i.test(input);
}

export function parseOllamaName(input: string): ParsedName {
  const name = input.replace(/^(?:https?:\/\/)?registry\.ollama\.ai\//i, '').replace(/^library\//i, '');
  const hf = HF_PREFIX.exec(name);
  return hf?.[1] && hf[2] ? parseHuggingFaceGgufTag(input, name, hf[1], hf[2], hf[3] ?? '') : parseLibraryName(input, name);
}

function parseLibraryName(input: string, name: string): ParsedName {
  const colon = name.lastIndexOf(':');
  const modelWithNamespace = colon < 0 ? name : name.slice(0, colon);
  const tag = colon < 0 ? '' : name.slice(colon + 1);
  const slash = modelWithNamespace.lastIndexOf('/');
  const model = modelWithNamespace.slice(slash + 1);
  const implicitTag = tag === '' || tag.toLowerCase() === 'latest';

  const modelStart = slash + 1;
  const tagTokens = colon < 0 ? [] : tokenize(tag, colon + 1);
  const decoded = decodeText('', { inGgufFile: true }, [...tokenize(model, modelStart), ...tagTokens]);

  const ollama: OllamaTagInfo = { model: modelWithNamespace, tag: implicitTag ? 'latest' : tag, implicitTag };
  const notes: string[] = [];
  const latest = LATEST_PARAMS[model.toLowerCase()];
  const recognised = decoded.recognized > 0;
  if (implicitTag && recognised) {
    notes.push("No tag: Ollama pulls ':latest'.");
    if (latest && !decoded.fields.params) {
      ollama.latestParamsText = latest;
      notes.push(`${model}:latest was the ${latest.toUpperCase()} model in the Ollama library; check with \`ollama show\`.`);
    }
  }
  if (!decoded.fields.quantization && recognised) notes.push(...omittedQuantNotes(decoded.fields.family));
  markDistill(decoded.fields, notes);

  const extra: Partial<ParsedName> = { ollama, notes };
  if (slash >= 0) extra.publisher = modelWithNamespace.slice(0, slash);
  return assemble('ollama', input, name, decoded, extra);
}

/** "hf.co/{owner}/{repo}:{quant}": Ollama downloads the file of that quantization from the repository. */
function parseHuggingFaceGgufTag(input: string, name: string, owner: string, repoName: string, tag: string): ParsedName {
  const repoStart = name.indexOf(repoName, name.indexOf(owner) + owner.length);
  const tagStart = repoStart + repoName.length + 1;
  const repoTokens = tokenize(repoName, repoStart);
  const tagTokens = tag ? tokenize(tag, tagStart) : [];
  const decoded = decodeText('', { inGgufFile: true, publisher: owner }, [...repoTokens, ...tagTokens]);
  const notes = ['Ollama pulls the GGUF file matching the tag from this Hugging Face repository.'];
  // The repository holds many files; the tag has already picked one.
  if (decoded.fields.quantization) decoded.notes = decoded.notes.filter((n) => !n.startsWith('A repository of GGUF files'));
  if (!tag) notes.push('No tag: Ollama picks Q4_K_M when the repository has it, else the first file type listed.');
  if (!decoded.fields.quantization && tag) notes.push(`Tag "${tag}" is not a quantization name.`);
  return assemble('ollama', input, name, decoded, {
    publisher: owner,
    repo: `${owner}/${repoName}`,
    ollama: { model: name.slice(0, tag ? tagStart - 1 : name.length), tag: tag || 'latest', implicitTag: !tag },
    notes,
  });
}

function omittedQuantNotes(family: string | undefined): string[] {
  if (family === 'gpt-oss') {
    return ["No quantization in the tag: gpt-oss is published in MXFP4 (its native format), the only quantization Ollama offers for it."];
  }
  return ["No quantization in the tag: Ollama's default tags are typically Q4_K_M (Q4_0 for older models); `ollama show` tells."];
}

/** Ollama's deepseek-r1 tags below 671b are R1 distilled into Qwen or Llama models, sized as those models. */
function markDistill(fields: { family?: string; version?: string; series?: string; params?: { total?: number } }, notes: string[]): void {
  const total = fields.params?.total;
  if (fields.family !== 'deepseek' || fields.version !== 'R1' || total === undefined || total >= 600e9) return;
  fields.series = 'r1-distill';
  notes.push('deepseek-r1 tags other than 671b are DeepSeek-R1 distilled into Qwen or Llama models: size them as those models.');
}
