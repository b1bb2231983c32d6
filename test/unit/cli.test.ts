import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.ts';

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('llm-memory default command (unchanged)', () => {
  it('sizes a catalog model as JSON', async () => {
    const r = await cli(['--model', 'llama-3.1-8b', '--quant', 'Q4_K_M', '--ctx', '8192', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.quant).toBe('Q4_K_M');
    expect(j.kv_cache_bytes).toBe(2 ** 30);
  });
  it('bad input exits 2 with one line on stderr', async () => {
    const r = await cli(['--model', 'nope']);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')).toHaveLength(1);
  });
});

describe('llm-memory fit', () => {
  it('Llama-3.1-70B Q4_K_M on two RTX 4090s fits, with the llama-server command', async () => {
    const r = await cli(['fit', '--model', 'llama-3.1-70b', '--quant', 'Q4_K_M', '--gpu', 'rtx-4090', '--gpus', '2', '--ram', '64', '--ctx', '8192', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.verdict).toBe('fits');
    expect(j.devices).toHaveLength(2);
    expect(j.n_gpu_layers).toBe(81);
    expect(j.command).toContain('--tensor-split 41,40');
  });
  it('mixed GPUs by comma; table output', async () => {
    const r = await cli(['fit', '--model', 'llama-3.1-70b', '--quant', 'Q4_K_M', '--gpu', 'rtx-4090,rtx-3090', '--ctx', '8192']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/GeForce RTX 4090/);
    expect(r.out).toMatch(/GeForce RTX 3090/);
    expect(r.out).toMatch(/llama-server/);
  });
  it('unknown device: exit 2, one line', async () => {
    const r = await cli(['fit', '--model', 'llama-3.1-8b', '--gpu', 'rtx-9999']);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/unknown device/);
  });
  it('an Apple working-set share outside (0, 1) exits 2', async () => {
    const r = await cli(['fit', '--model', 'llama-3.1-8b', '--gpu', 'm4-max-128', '--share', '1.5']);
    expect(r.code).toBe(2);
  });
});

describe('llm-memory max-ctx and speed', () => {
  it('max-ctx: 17664 tokens for Llama-3.1-70B Q4_K_M on 2 x RTX 4090', async () => {
    const r = await cli(['max-ctx', '--model', 'llama-3.1-70b', '--quant', 'Q4_K_M', '--gpu', 'rtx-4090', '--gpus', '2', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).ctx).toBe(17664);
  });
  it('speed: an upper bound around 218 tokens/s for Llama-3.1-8B Q4_K_M on an RTX 4090', async () => {
    const r = await cli(['speed', '--model', 'llama-3.1-8b', '--quant', 'Q4_K_M', '--gpu', 'rtx-4090', '--filled', '0', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.label).toBe('upper bound');
    expect(j.tokens_per_second_upper_bound).toBeGreaterThan(205);
    expect(j.tokens_per_second_upper_bound).toBeLessThan(220);
  });
  it('speed with offload but no RAM bandwidth: exit 2', async () => {
    const r = await cli(['speed', '--model', 'llama-3.1-70b', '--quant', 'Q4_K_M', '--gpu', 'rtx-4090', '--ram', '64']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bandwidth/);
  });
});

describe('llm-memory name', () => {
  it('decodes an Ollama tag', async () => {
    const r = await cli(['name', 'llama3.1:70b-instruct-q5_K_M', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.source).toBe('ollama');
    expect(JSON.stringify(j)).toMatch(/Q5_K_M/i);
  });
  it('no name: exit 2', async () => {
    const r = await cli(['name']);
    expect(r.code).toBe(2);
  });
});

describe('llm-memory --config on every fixture config (the issue "Any model a reader names")', () => {
  const dir = new URL('../fixtures/configs/', import.meta.url).pathname;
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  it('sizes each at BF16 as JSON with params_total and an exact reading (exit 0)', async () => {
    expect(files.length).toBeGreaterThan(90);
    const failures: string[] = [];
    for (const f of files) {
      const r = await cli(['--config', `${dir}${f}`, '--quant', 'BF16', '--json']);
      const j = r.code === 0 ? (JSON.parse(r.out) as { params_total: number; reading: string }) : null;
      if (!j || !(j.params_total > 0) || j.reading !== 'exact') failures.push(`${f}: exit ${r.code} ${r.err}${j ? ` reading ${j.reading}` : ''}`);
    }
    expect(failures).toEqual([]);
  });

  it('an unknown architecture with the usual keys: a labelled generic answer (exit 0); without them, one line naming what is missing (exit 2)', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'llm-memory-'));
    const known = JSON.parse(readFileSync(`${dir}llama-3.1-8b.json`, 'utf8')) as Record<string, unknown>;
    writeFileSync(join(tmp, 'new.json'), JSON.stringify({ ...known, architectures: ['BrandNewForCausalLM'], model_type: 'brand_new' }));
    const ok = await cli(['--config', join(tmp, 'new.json'), '--quant', 'BF16', '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ reading: 'generic' });
    const table = await cli(['--config', join(tmp, 'new.json'), '--quant', 'BF16']);
    expect(table.out).toMatch(/generic reading/i);
    writeFileSync(join(tmp, 'bare.json'), JSON.stringify({ architectures: ['BrandNewForCausalLM'], hidden_size: 4096 }));
    const bad = await cli(['--config', join(tmp, 'bare.json'), '--quant', 'BF16', '--json']);
    expect(bad.code).toBe(2);
    expect(bad.err.split('\n')).toHaveLength(1);
    expect(bad.err).toMatch(/num_hidden_layers/);
  });
});

describe('llm-memory fit --runtime ollama without --ctx', () => {
  it('plans at the num_ctx Ollama itself would pick: 32768 on a 24 GiB RTX 4090 (0.15.5+), 2048 under 0.6.0', async () => {
    const now = JSON.parse((await cli(['fit', '--model', 'llama-3.1-8b', '--runtime', 'ollama', '--gpu', 'rtx-4090', '--json'])).out) as { ctx: number };
    expect(now.ctx).toBe(32768);
    const old = JSON.parse((await cli(['fit', '--model', 'llama-3.1-8b', '--runtime', 'ollama', '--gpu', 'rtx-4090', '--version', '0.6.0', '--json'])).out) as { ctx: number };
    expect(old.ctx).toBe(2048);
    const given = JSON.parse((await cli(['fit', '--model', 'llama-3.1-8b', '--runtime', 'ollama', '--gpu', 'rtx-4090', '--ctx', '8192', '--json'])).out) as { ctx: number };
    expect(given.ctx).toBe(8192);
  });
});

describe('llm-memory on a vision model: the vision part as its own line', () => {
  const config = new URL('../fixtures/configs/gemma-3-4b-it.json', import.meta.url).pathname;
  it('--images 2 loads the mmproj (F16) and counts the image positions; --json has vision; --no-vision leaves it out', async () => {
    const table = await cli(['--config', config, '--quant', 'Q4_K_M', '--images', '2']);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/vision encoder/);
    expect(table.out).toMatch(/gemma3: 420 million parameters, mmproj F16 file 0\.85 GB; 258 context positions per 1024x768 image/);
    const j = JSON.parse((await cli(['--config', config, '--quant', 'bf16', '--runtime', 'vllm', '--json'])).out) as { vision: { loaded: boolean; params: number }; vision_bytes: number };
    expect(j.vision).toMatchObject({ loaded: true, params: 419_816_304 });
    expect(j.vision_bytes).toBe(2 * 419_816_304);
    const off = JSON.parse((await cli(['--config', config, '--quant', 'bf16', '--runtime', 'vllm', '--no-vision', '--json'])).out) as { vision_bytes: number };
    expect(off.vision_bytes).toBe(0);
    const bad = await cli(['--config', config, '--image-size', 'big']);
    expect(bad.code).toBe(2);
  });
});
