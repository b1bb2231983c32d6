/**
 * GGUF file names: "Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf", "mistral-7b-instruct-v0.2.Q5_K_S.gguf" (TheBloke),
 * "Llama-3.3-70B-Instruct.i1-Q4_K_M.gguf" (mradermacher), "Qwen3-235B-A22B-IQ4_XS-00001-of-00003.gguf" (split),
 * also as a Hugging Face file URL (".../bartowski/X-GGUF/blob/main/X-Q4_K_M.gguf").
 */
import { assemble, decodeText } from './assemble.ts';
import type { ParsedName } from './types.ts';

const HF_FILE_URL = /^(?:https?:\/\/)?(?:www\.)?(?:huggingface\.co|hf\.co)\/([^/]+)\/([^/]+)\/(?:blob|resolve)\/([^/]+)\/(.+)$/i;
const GGUF_EXTENSION = /\.gguf$/i;
/** llama.cpp's gguf-split naming: "-00001-of-00003". */
const SPLIT_SUFFIX = /[-.](\d{5})-of-(\d{5})$/i;

export function looksLikeGgufFile(input: string): boolean {
  return GGUF_EXTENSION.test(stripQuery(input));
}

export function parseGgufFileName(input: string): ParsedName {
  const extra: Partial<ParsedName> = { extension: '.gguf' };
  const notes: string[] = [];
  let path = stripQuery(input);

  const url = HF_FILE_URL.exec(path);
  if (url?.[1] && url[2] && url[3] && url[4]) {
    extra.publisher = url[1];
    extra.repo = `${url[1]}/${url[2]}`;
    extra.branch = url[3];
    path = url[4];
  }
  const fileName = path.slice(path.lastIndexOf('/') + 1);
  let stem = fileName.replace(GGUF_EXTENSION, '');

  const split = SPLIT_SUFFIX.exec(stem);
  if (split?.[1] && split[2]) {
    const part = Number(split[1]);
    const of = Number(split[2]);
    extra.split = { part, of };
    notes.push(`Split GGUF: part ${part} of ${of}; the model is all ${of} files together.`);
    if (part < 1 || part > of) notes.push(`Part ${part} of ${of} is not a valid split number.`);
    stem = stem.slice(0, split.index);
  }

  const ctx = extra.publisher ? { inGgufFile: true, publisher: extra.publisher } : { inGgufFile: true };
  const decoded = decodeText(stem, ctx);
  // mradermacher keeps imatrix quants in a separate "-i1-GGUF" repository.
  if (extra.repo && /-i1-GGUF$/i.test(extra.repo)) {
    decoded.fields.imatrix = true;
    if (decoded.fields.quantization) decoded.fields.quantization.imatrix = true;
  }
  return assemble('gguf', input, stem, decoded, { ...extra, notes });
}

function stripQuery(s: string): string {
  return s.replace(/[?#].*$/, '');
}
