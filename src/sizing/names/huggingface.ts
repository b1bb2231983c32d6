/**
 * Hugging Face repositories: "Qwen/Qwen2.5-7B-Instruct-AWQ", "bartowski/Qwen2.5-14B-Instruct-GGUF",
 * "turboderp/Llama-3.1-8B-Instruct-exl2" with a branch ("@4.0bpw", ":4.0bpw" or ".../tree/4.0bpw"),
 * and repository URLs.
 */
import { assemble, decodeText } from './assemble.ts';
import type { Decoded } from './decode.ts';
import type { ParsedName } from './types.ts';

const URL_PREFIX = /^(?:https?:\/\/)?(?:www\.)?(?:huggingface\.co|hf\.co)\//i;
const REPO = /^([A-Za-z0-9][\w.-]*)\/([\w.-]+)(?:\/tree\/([^/]+))?\/?(?:[@:]([\w./-]+))?$/;

export function looksLikeHuggingFaceUrl(input: string): boolean {
  return URL_PREFIX.test(input);
}

/** "owner/name" with an optional branch; Ollama's "user/model:tag" is told apart by a branch that names EXL bits. */
export function looksLikeHuggingFaceRepo(input: string): boolean {
  const m = REPO.exec(input);
  if (!m) return false;
  const branch = m[4];
  return branch === undefined || /bpw/i.test(branch) || /-exl[23]$/i.test(m[2] ?? '');
}

export function parseHuggingFaceRepo(input: string): ParsedName {
  const path = input.replace(URL_PREFIX, '');
  const m = REPO.exec(path);
  if (!m?.[1] || !m[2]) {
    return assemble('unknown', input, path, decodeText(path, { inGgufFile: false }), {
      notes: ['Not a Hugging Face "owner/name" path.'],
    });
  }
  const owner = m[1];
  const name = m[2];
  const branch = m[3] ?? m[4];
  const decoded = decodeText(name, { inGgufFile: false, publisher: owner });
  const notes: string[] = [];
  if (branch) applyBranch(decoded, branch, notes);
  notes.push(...inferBase(decoded, owner));

  const extra: Partial<ParsedName> = { publisher: owner, repo: `${owner}/${name}`, notes };
  if (branch) extra.branch = branch;
  return assemble('huggingface', input, name, decoded, extra);
}

/** EXL2/EXL3 repositories keep one bit width per branch: "4.0bpw", "6.5bpw_h8". */
function applyBranch(decoded: Decoded, branch: string, notes: string[]): void {
  const bpw = /^(\d+(?:\.\d+)?)bpw/i.exec(branch);
  const q = decoded.fields.quantization;
  if (bpw?.[1] && q?.id.startsWith('exl')) {
    q.bits = Number(bpw[1]);
    q.text = `${q.text}@${branch}`;
    return;
  }
  if (bpw?.[1]) notes.push(`Branch ${branch}: ${bpw[1]} bits per weight, but the format is not named.`);
}

/**
 * Repositories of the original makers whose unmarked names are the pretrained base model
 * ("meta-llama/Llama-3.1-8B"). Elsewhere an unmarked name says nothing: "deepseek-ai/DeepSeek-V3" is the chat
 * model, "Qwen/Qwen3-8B" the post-trained hybrid thinking model.
 */
const UNMARKED_IS_BASE: readonly { owner: string; family: string; versions?: readonly string[]; series?: readonly (string | undefined)[] }[] = [
  { owner: 'meta-llama', family: 'llama', series: [undefined] },
  { owner: 'qwen', family: 'qwen', versions: ['1.5', '2', '2.5'], series: [undefined] },
  { owner: 'google', family: 'gemma', versions: ['1', '2'], series: [undefined] },
  { owner: 'mistralai', family: 'mistral', series: [undefined, 'mixtral'] },
  { owner: 'huggingfacetb', family: 'smollm' },
];

function inferBase(decoded: Decoded, owner: string): string[] {
  const f = decoded.fields;
  if (decoded.variants.length > 0 || f.quantization || f.fineTune || decoded.unknownParts.length > 0) return [];
  if (owner.toLowerCase() === 'qwen' && f.family === 'qwen' && f.version === '3' && !f.series) {
    return ['Qwen3 without "-Base" is the post-trained hybrid (thinking / non-thinking) model.'];
  }
  const rule = UNMARKED_IS_BASE.find(
    (r) =>
      r.owner === owner.toLowerCase() &&
      r.family === f.family &&
      (r.versions === undefined || (f.version !== undefined && r.versions.includes(f.version))) &&
      (r.series === undefined || r.series.includes(f.series)),
  );
  if (!rule) return [];
  decoded.variants.push('base');
  f.variant = 'base';
  return ["No instruct/chat marker in the maker's own repository: the pretrained base model."];
}
