/**
 * Our hand-written GGUF header reader and Hugging Face Hub client against the well-kept libraries for the same jobs
 * (@huggingface/gguf, @huggingface/hub): `npm run bench:libraries`. Prints, for each pair:
 *   - bytes a page would load for it (esbuild bundle of the browser entry, minified, gzip);
 *   - GGUF: time to read a 5 MB header (a 160k-token vocabulary, like Qwen's or Gemma's), median of 7 runs;
 *   - GGUF: every test fixture read to the same tensor list, and what each says of a truncated and a corrupt file;
 *   - Hub: what each does with the answers the site must handle (not found, gated, malformed JSON).
 * The decision and these figures are in the README's library table.
 */
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { gguf as hfGguf } from '@huggingface/gguf';
import { modelInfo, downloadFile } from '@huggingface/hub';
import { readGgufHeader } from '../src/sizing/gguf/gguf-reader.ts';
import { readRangeFromFile } from '../src/cli/gguf-file.ts';
import { fetchModelFiles } from '../src/sources/hf-hub.ts';
import { tinyGemma3, tinyLlama, tinyMoe, tokenizerMetadata } from '../test/fixtures/gguf-models.ts';
import { writeGguf } from '../test/fixtures/gguf-writer.ts';

// npm runs scripts from the repository's root (this file is bundled elsewhere by run-ts.mjs).
const root = process.cwd();
const work = mkdtempSync(join(tmpdir(), 'bench-libraries-'));

async function pageBytes(name: string, source: string, external: string[] = []): Promise<number> {
  const result = await build({
    external,
    stdin: { contents: source, resolveDir: root, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const js = result.outputFiles.map((f) => f.contents).reduce((a, b) => Buffer.concat([a, b]), Buffer.alloc(0));
  const gz = gzipSync(js).length;
  console.log(`  ${name.padEnd(34)} ${(js.length / 1024).toFixed(1).padStart(7)} KB minified, ${(gz / 1024).toFixed(1).padStart(6)} KB gzip`);
  return gz;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function timed(fn: () => Promise<unknown>, runs = 7): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

async function ours(path: string) {
  const file = await readRangeFromFile(path);
  try {
    return await readGgufHeader(file.read, file.size);
  } finally {
    await file.close();
  }
}

const theirs = (path: string) => hfGguf(path, { allowLocalFile: true });

async function message(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
    return '(no error)';
  } catch (e) {
    return (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 110);
  }
}

console.log('GGUF header reader: ours (src/sizing/gguf) vs @huggingface/gguf 0.4.6');
console.log('bytes a page loads for reading a local file:');
await pageBytes('ours (File.slice ranges)', `import { readGgufHeader } from './src/sizing/gguf/gguf-reader.ts'; import { readRangeFromBlob } from './src/sizing/gguf/gguf-blob.ts'; export const read = (f) => readGgufHeader(readRangeFromBlob(f), f.size);`);
// The libraries' browser builds (their package.json "browser" maps; "exports" has no browser condition).
await pageBytes('@huggingface/gguf (blob: URL)', `import { gguf } from './node_modules/@huggingface/gguf/dist/browser/index.mjs'; export const read = (f) => gguf(URL.createObjectURL(f));`);

const big = writeGguf({ metadata: { 'general.architecture': 'llama', ...tokenizerMetadata(160_000) }, tensors: tinyLlama().tensors });
const bigPath = join(work, 'big-header.gguf');
writeFileSync(bigPath, big);
console.log(`time to read a ${(big.length / 1e6).toFixed(1)} MB header (median of 7, Node ${process.version}):`);
console.log(`  ours                               ${(await timed(() => ours(bigPath))).toFixed(1)} ms`);
console.log(`  @huggingface/gguf                  ${(await timed(() => theirs(bigPath))).toFixed(1)} ms`);

console.log('test fixtures, same tensor list and data offset:');
for (const [name, make] of [['llama', tinyLlama], ['gemma3', tinyGemma3], ['moe', tinyMoe]] as const) {
  const path = join(work, `${name}.gguf`);
  writeFileSync(path, make().bytes);
  const a = await ours(path);
  const b = await theirs(path);
  const same =
    JSON.stringify(a.tensors.map((t) => [t.name, t.dims, t.ggmlTypeId, t.offset])) ===
      JSON.stringify(b.tensorInfos.map((t) => [t.name, t.shape.map(Number), t.dtype, Number(t.offset)])) && a.tensorDataOffset === Number(b.tensorDataOffset);
  console.log(`  ${name.padEnd(8)} ${a.tensors.length} tensors: ${same ? 'identical' : 'DIFFERENT'}`);
}

const good = tinyLlama().bytes;
const truncatedPath = join(work, 'truncated.gguf');
writeFileSync(truncatedPath, good.subarray(0, Math.floor(good.length / 50)));
const corrupt = good.slice();
corrupt.set([0, 0, 0, 0, 0, 0, 0, 0x7f], 8); // tensor count 2^62: a header no file can hold
const corruptPath = join(work, 'corrupt.gguf');
writeFileSync(corruptPath, corrupt);
const notGguf = join(work, 'not.gguf');
writeFileSync(notGguf, '{"architectures": ["LlamaForCausalLM"]}');
for (const [what, path] of [['truncated', truncatedPath], ['corrupt count', corruptPath], ['not GGUF', notGguf]] as const) {
  console.log(`${what}:`);
  console.log(`  ours:    ${await message(() => ours(path))}`);
  console.log(`  theirs:  ${await message(() => theirs(path))}`);
}

console.log('\nHub client: ours (src/sources/hf-hub.ts + hf-quantization.ts) vs @huggingface/hub 2.17.5');
console.log('bytes a page loads:');
// The client alone: the engine's config reading and name parsing, which the site loads anyway, left out.
await pageBytes('ours (client only)', `export { fetchModelFiles } from './src/sources/hf-hub.ts';`, ['../sizing/*']);
await pageBytes('@huggingface/hub (modelInfo + downloadFile)', `export { modelInfo, downloadFile } from './node_modules/@huggingface/hub/dist/browser/index.mjs';`);

// The answers the site must turn into a message beside the field: the Hub's own status codes and bodies.
const ANSWERS: Record<string, [number, string]> = {
  missing: [401, '{"error":"Repository not found"}'],
  gated: [401, '{"error":"Access to model org/gated is restricted."}'],
  malformed: [200, '{"architectures": ["Qwen3ForCausalLM"], "hidden_size": 40'],
};
for (const [what, [status, body]] of Object.entries(ANSWERS)) {
  const fetchStub = (async () => new Response(body, { status, headers: { 'content-type': 'application/json' } })) as typeof fetch;
  console.log(`${what}:`);
  const r = await fetchModelFiles(`org/${what}`, { fetch: fetchStub, baseUrl: 'http://hub.test' });
  console.log(`  ours:    ${r.ok ? '(read)' : r.error.message}`);
  console.log(`  theirs:  ${await message(async () => {
    const file = await downloadFile({ repo: `org/${what}`, path: 'config.json', hubUrl: 'http://hub.test', fetch: fetchStub });
    JSON.parse(await (file as Blob).text());
    await modelInfo({ name: `org/${what}`, hubUrl: 'http://hub.test', fetch: fetchStub });
  })}`);
}
rmSync(work, { recursive: true, force: true });
