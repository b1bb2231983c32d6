import { describe, expect, test } from 'vitest';
import { readLocalGguf } from '../../src/sources/gguf-file.ts';
import { modelShapeFromConfig } from '../../src/sizing/index.ts';
import { tensorDataStart, writeGguf } from '../fixtures/gguf-writer.ts';
import { tinyLlama, tinyMoe } from '../fixtures/gguf-models.ts';

const file = (bytes: Uint8Array<ArrayBuffer>, name = 'tiny.gguf') => new File([bytes], name);

describe('readLocalGguf', () => {
  test('reads a real-structure GGUF: summary, shape, typed tensors and metadata size', async () => {
    const fx = tinyLlama();
    const r = await readLocalGguf(file(fx.bytes, 'Tiny-Llama-Q4_K_M.gguf'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const g = r.value;
    expect(g.fileName).toBe('Tiny-Llama-Q4_K_M.gguf');
    expect(g.fileBytes).toBe(fx.bytes.length);
    expect(g.summary.architecture).toBe('llama');
    expect(g.summary.name).toBe('Tiny Llama');
    expect(g.summary.fileType).toBe('Q4_K_M'); // general.file_type 15
    expect(g.tensorCount).toBe(fx.tensors.length);
    expect(g.typed.map((t) => [t.name, t.type])).toEqual(fx.tensors.map((t) => [t.name, t.type]));
    expect(g.metadataBytes).toBe(tensorDataStart(fx.bytes, fx.tensors));
    // The GGUF's shape is the config's shape in the parts the KV cache uses.
    const fromConfig = modelShapeFromConfig(fx.config);
    expect(g.shape.layers.length).toBe(2);
    expect(g.shape.layers.map((l) => l.mixer)).toEqual(fromConfig.layers.map((l) => l.mixer));
    expect(g.shape.maxContext).toBe(4096);
  });

  test('reads an MoE file with its stacked expert tensors', async () => {
    const fx = tinyMoe();
    const r = await readLocalGguf(file(fx.bytes));
    expect(r.ok && r.value.summary.architecture).toBe('qwen3moe');
    expect(r.ok && r.value.summary.typeCounts['Q8_0']).toBe(fx.tensors.filter((t) => t.type === 'Q8_0').length);
  });

  test('a 40 GB file is read by its header only, through slices', async () => {
    const fx = tinyLlama();
    const size = 40e9;
    const slices: [number, number][] = [];
    // A Blob as big as a 40 GB file: its first bytes are the real file, the rest zeros, never materialised.
    const huge = {
      name: 'huge.gguf',
      size,
      slice(start: number, end: number) {
        slices.push([start, end]);
        const out = new Uint8Array(end - start);
        out.set(fx.bytes.subarray(Math.min(start, fx.bytes.length), Math.min(end, fx.bytes.length)));
        return new Blob([out]);
      },
    } as unknown as File;
    const started = performance.now();
    const r = await readLocalGguf(huge);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.fileBytes).toBe(size);
    const read = slices.reduce((s, [a, b]) => s + (b - a), 0);
    expect(read).toBe(r.value.bytesRead);
    expect(read).toBeLessThanOrEqual(4 << 20); // a few MB at most, against 40 GB
    expect(Math.max(...slices.map(([, b]) => b))).toBeLessThanOrEqual(4 << 20);
  });

  test('a file cut inside its tensor data is truncated, with the tensor named', async () => {
    const fx = tinyLlama();
    const r = await readLocalGguf(file(fx.bytes.slice(0, fx.bytes.length - 1000), 'cut.gguf'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/^cut\.gguf: Truncated GGUF: tensor "[^"]+" ends at byte \d+, beyond the end of the file \(\d+ bytes\)$/);
  });

  test('a file cut inside its header says so', async () => {
    const fx = tinyLlama();
    const r = await readLocalGguf(file(fx.bytes.slice(0, 200), 'head.gguf'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/^head\.gguf: Truncated GGUF/);
  });

  test('a file that is not GGUF says what it starts with', async () => {
    const r = await readLocalGguf(file(new TextEncoder().encode('{"architectures": ["LlamaForCausalLM"]}'), 'config.json'));
    expect(r).toEqual({ ok: false, message: 'config.json: This is not a GGUF file: it starts with "{"ar", not "GGUF"' });
  });

  test('a corrupt tensor type is reported as corrupt', async () => {
    const fx = tinyLlama();
    const tensors = fx.tensors.map((t, i) => (i === 1 ? { ...t, rawTypeId: 250 } : t));
    const r = await readLocalGguf(file(writeGguf({ metadata: fx.metadata, tensors }), 'bad.gguf'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/^bad\.gguf: Corrupt GGUF: .*250/);
  });

  test('an empty file', async () => {
    expect(await readLocalGguf(file(new Uint8Array(0), 'empty.gguf'))).toEqual({
      ok: false,
      message: 'empty.gguf is empty (0 bytes); a GGUF file starts with the bytes "GGUF".',
    });
  });

  test('a readable header of a model the engine cannot size', async () => {
    const fx = tinyLlama();
    const metadata = { ...fx.metadata, 'general.architecture': 'mamba' };
    const r = await readLocalGguf(file(writeGguf({ metadata, tensors: fx.tensors }), 'mamba.gguf'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/^mamba\.gguf: The header was read, but this model cannot be sized: .*mamba/);
  });
});
