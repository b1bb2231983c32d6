/**
 * The engine as a package: the `llm-memory` workspace (packages/llm-memory), built from src/ by scripts/build-lib.mjs,
 * packs with `npm pack` into a tarball that installs in an empty directory with nothing but npm's own cache
 * (--offline), with no dependency of its own; there `import { estimate } from 'llm-memory'`, the catalog entry, the
 * TypeScript declarations and `npx llm-memory` work, under every Node found on PATH (Node 20 on the CI machine) and
 * the Node 22 the repository's scripts use.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'llm-memory-pack-'));
const consumer = join(work, 'consumer');
let tarball = '';

/** Every distinct node binary on PATH (the system's and node_modules/.bin's), with its major version. */
function nodesOnPath(): { path: string; major: number }[] {
  const seen = new Map<string, number>();
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'node');
    if (!dir || !existsSync(candidate)) continue;
    const real = realpathSync(candidate);
    if (seen.has(real)) continue;
    const version = execFileSync(real, ['--version'], { encoding: 'utf8' }).trim();
    seen.set(real, Number(/^v(\d+)/.exec(version)?.[1]));
  }
  return [...seen].map(([path, major]) => ({ path, major }));
}

const USE = `
import { estimate, formatBytes, GiB } from 'llm-memory';
import { findModel, MODELS } from 'llm-memory/catalog';
const model = findModel('llama-3.1-8b');
const e = estimate({ kind: 'config', config: model.config }, { quant: 'Q4_K_M', ctx: 32768 });
console.log(JSON.stringify({ models: MODELS.length, weights: e.weightsBytes, kv: e.kvCacheBytes, total: formatBytes(e.totalBytes, 'GiB'), gib: GiB }));
`;

const TYPED_USE = `
import { estimate, type Estimate } from 'llm-memory';
import { findModel, type ModelEntry } from 'llm-memory/catalog';
const model: ModelEntry | undefined = findModel('qwen3-8b');
if (!model) throw new Error('no model');
const e: Estimate = estimate({ kind: 'config', config: model.config }, { quant: 'IQ4_XS', ctx: 8192, runtime: 'vllm' });
const bytes: number = e.kvCacheBytes;
// @ts-expect-error: quant is required
estimate({ kind: 'config', config: model.config }, { ctx: 1 });
console.log(bytes);
`;

beforeAll(() => {
  // Built from the sources under test, then packed as a reader would: npm pack in the package's folder.
  execFileSync(process.execPath, ['scripts/build-lib.mjs'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: join(root, 'packages', 'llm-memory'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
  ) as { filename: string; files: { path: string }[] }[];
  tarball = join(work, packed[0]!.filename);
  execFileSync('mkdir', ['-p', consumer]);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], {
    cwd: consumer,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  writeFileSync(join(consumer, 'use.mjs'), USE);
  writeFileSync(join(consumer, 'use.ts'), TYPED_USE);
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm pack: the engine as a library and a command', { timeout: 120_000 }, () => {
  it('installs with no dependency of its own: nothing of the site (Astro, Vitest, ...) comes along', () => {
    expect(readdirSync(join(consumer, 'node_modules')).filter((n) => !n.startsWith('.'))).toEqual(['llm-memory']);
    const installed = join(consumer, 'node_modules', 'llm-memory');
    expect(existsSync(join(installed, 'lib', 'index.js'))).toBe(true);
    expect(existsSync(join(installed, 'src'))).toBe(false);
  });

  const nodes = nodesOnPath();
  it('finds the Node versions to run it on (Node 20 on the CI machine)', () => {
    expect(nodes.length).toBeGreaterThan(0);
    if (process.env.CI) expect(nodes.map((n) => n.major)).toContain(20);
  });

  for (const node of nodes) {
    it(`import { estimate } works on Node ${node.major} and gives the engine's figures`, () => {
      const out = execFileSync(node.path, ['use.mjs'], { cwd: consumer, encoding: 'utf8' });
      const r = JSON.parse(out) as { models: number; weights: number; kv: number; total: string; gib: number };
      expect(r.models).toBeGreaterThan(50);
      // Llama-3.1-8B Q4_K_M: 4.58 GiB of tensors (llama.cpp prints 4.58 GiB); KV at 32768: 32 layers x 8 x 128 x 2 x 2 bytes.
      expect(r.weights / r.gib).toBeCloseTo(4.58, 2);
      expect(r.kv).toBe(32768 * 32 * 8 * 128 * 2 * 2);
      expect(r.total).toMatch(/GiB$/);
    });

    it(`npx llm-memory answers on Node ${node.major}, and bad input exits 2 with one line on stderr`, () => {
      const env = { ...process.env, PATH: `${join(node.path, '..')}${delimiter}${process.env.PATH ?? ''}` };
      const help = spawnSync('npx', ['--no-install', 'llm-memory', '--help'], { cwd: consumer, encoding: 'utf8', env });
      expect(help.status).toBe(0);
      expect(help.stdout).toContain('llm-memory: how much memory a language model needs');
      const json = spawnSync('npx', ['--no-install', 'llm-memory', '--model', 'llama-3.1-8b', '--quant', 'Q4_K_M', '--ctx', '32768', '--json'], {
        cwd: consumer,
        encoding: 'utf8',
        env,
      });
      expect(json.status).toBe(0);
      expect(JSON.parse(json.stdout)).toMatchObject({ quant: 'Q4_K_M', kv_cache_bytes: 32768 * 32 * 8 * 128 * 2 * 2 });
      const bad = spawnSync('npx', ['--no-install', 'llm-memory', '--model', 'llama-3.1-8b', '--ctx', '0'], { cwd: consumer, encoding: 'utf8', env });
      expect(bad.status).toBe(2);
      expect(bad.stderr.trim().split('\n')).toHaveLength(1);
      expect(bad.stderr).toMatch(/^llm-memory: --ctx/);
    });
  }

  it('its TypeScript declarations type a consumer under strict NodeNext resolution', () => {
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, skipLibCheck: false, types: [] }, files: ['use.ts'] }),
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: consumer, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
