/**
 * The training and speed chapters and their deferred-engine islands, in real Chromium against the built site.
 * Expected figures come from the sizing engine called here, so a test fails when a page and the engine disagree.
 */
import { afterAll, describe, expect, test } from 'vitest';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { closeBrowser, openPage, waitForIslands, type OpenedPage, expectClean } from './browser';
import { MODELS } from '../../src/data/models';
import { DEVICES } from '../../src/data/devices';
import { decodeSpeed, formatAuto, trainingMemory, type PlanDevice, type TrainingInput } from '../../src/sizing/index';

const TRAINING = '/guide/training/';
const SPEED = '/guide/system-ram-cpu-and-speed/';

afterAll(closeBrowser);

function config(id: string) {
  const e = MODELS.find((m) => m.id === id);
  if (!e) throw new Error(`no model ${id}`);
  return { kind: 'config' as const, config: e.config };
}
function device(id: string): PlanDevice {
  const d = DEVICES.find((x) => x.id === id);
  if (!d) throw new Error(`no device ${id}`);
  return d;
}
const train = (id: string, o: Omit<TrainingInput, 'model'>) => trainingMemory({ model: config(id), ...o });
const bound = (id: string, quant: string, filled: number, devices: PlanDevice[]) =>
  decodeSpeed({ model: config(id), quant, ctx: Math.max(1, filled), filled, devices });
/** The island's format for tokens/s. */
const tps = (x: number) => `${x >= 100 ? x.toFixed(0) : x.toFixed(1)} tokens/s`;


/** Opens a chapter with its island hydrated, recording every script the page requests. */
async function openCalculator(path: string): Promise<OpenedPage & { scripts: string[] }> {
  const opened = await openPage(path);
  const scripts: string[] = [];
  opened.page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(r.url());
  });
  await opened.page.locator('astro-island').first().scrollIntoViewIfNeeded();
  await waitForIslands(opened.page);
  return { ...opened, scripts };
}

async function reloadIsland(page: Page): Promise<void> {
  await page.reload();
  await page.locator('astro-island').first().scrollIntoViewIfNeeded();
  await waitForIslands(page);
}

/** The message linked to a field by aria-describedby (its last id is the error). */
async function errorOf(page: Page, label: string): Promise<string> {
  const field = page.getByLabel(label, { exact: true });
  await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
  const errorId = (await field.getAttribute('aria-describedby'))?.split(' ').pop() ?? '';
  return page.locator(`[id="${errorId}"]`).innerText();
}

async function expectNoBadNumbers(page: Page): Promise<void> {
  const text = await page.locator('form.calc').innerText();
  expect(text).not.toMatch(/NaN|Infinity|undefined/);
}

async function fill(page: Page, label: string, value: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).fill(value);
}

describe('the two chapters', () => {
  test.each([
    [TRAINING, 'Training and fine-tuning'],
    [SPEED, 'System RAM, CPU and speed'],
  ])('%s renders with its title, KaTeX formulas, units and sources', async (path, title) => {
    const opened = await openPage(path);
    const { page } = opened;
    await expect(page.locator('h1').textContent()).resolves.toBe(title);
    await expect(page.locator('nav.sidebar a[aria-current="page"]').getAttribute('href')).resolves.toBe(path);
    expect(await page.locator('.katex math').count()).toBeGreaterThanOrEqual(2);
    const text = await page.locator('article').innerText();
    expect(text).not.toMatch(/\$\$|\\frac|\\times|\\text/);
    expect(text).not.toMatch(/NaN|undefined|Infinity|\[object Object\]/);
    expect(text).toMatch(/GB \(10\s*9 bytes\)/);
    expect(text).toMatch(/GiB \(2\s*30 bytes/);
    expect(await page.locator('article h2#sources').count()).toBe(1);
    expectClean(opened);
    await opened.context.close();
  });

  test('the training prose quotes the engine: 16 bytes per parameter, full vs LoRA vs QLoRA', async () => {
    const base = { batch: 1, seqLen: 2048, gradientCheckpointing: true } as const;
    const full = train('llama-3.1-8b', { ...base, method: 'full' });
    const lora = train('llama-3.1-8b', { ...base, method: 'lora', lora: { rank: 16, targets: ['q', 'k', 'v', 'o'] } });
    const qlora = train('llama-3.1-8b', { ...base, method: 'qlora', lora: { rank: 16, targets: ['q', 'k', 'v', 'o'] } });
    expect(full.bytesPerTrainableParam).toBe(16);
    const { page, context } = await openPage(TRAINING);
    const text = await page.locator('article').innerText();
    const states = full.bytes.weights + full.bytes.gradients + full.bytes.masterWeights + full.bytes.optimizerStates;
    expect(text).toContain(`the states alone take ${formatAuto(states, 'GB')}`); // 128.5 GB
    expect(text).toContain(`A full fine-tune needs ${formatAuto(full.bytes.total, 'GB')} even with checkpointing`);
    expect(text).toContain(`LoRA fits on a 24 GB card (${formatAuto(lora.bytes.total, 'GB')})`);
    expect(text).toContain(`QLoRA on a 16 GB one (${formatAuto(qlora.bytes.total, 'GB')})`);
    expect(text).toContain(`${(425984).toLocaleString('en-US')} parameters per layer`);
    await context.close();
  });

  test('the speed prose quotes the engine: Llama 3.1 8B Q4_K_M on an RTX 4090, MoE, long context', async () => {
    const rtx = bound('llama-3.1-8b', 'Q4_K_M', 0, [device('rtx-4090')]);
    const long = bound('llama-3.1-8b', 'Q4_K_M', 32768, [device('rtx-4090')]);
    const oss = bound('gpt-oss-120b', 'MXFP4_MOE', 0, [device('m4-max-128')]);
    const { page, context } = await openPage(SPEED);
    const text = await page.locator('article').innerText();
    expect(text).toMatch(new RegExp(`RTX 4090\\s+1,008 GB/s\\s+${rtx.tokensPerSecondUpperBound.toFixed(0)} tokens/s`));
    expect(text).toContain(`falls from ${rtx.tokensPerSecondUpperBound.toFixed(0)} to ${long.tokensPerSecondUpperBound.toFixed(0)} tokens/s`);
    expect(text).toContain(`reads ${formatAuto(oss.bytesPerToken.weights, 'GB')} per token`);
    expect(text).toContain('sudo sysctl iogpu.wired_limit_mb');
    await context.close();
  });
});

describe('TrainingCalculator', () => {
  test('shows the build-time default without loading the engine, then the engine value after a change', async () => {
    const opened = await openCalculator(TRAINING);
    const { page, scripts } = opened;
    const def = train('llama-3.1-8b', { method: 'lora', batch: 1, seqLen: 2048, gradientCheckpointing: true, lora: { rank: 16, targets: ['q', 'k', 'v', 'o'] } });
    await expect(page.getByTestId('train-total').textContent()).resolves.toBe(formatAuto(def.bytes.total, 'GB'));
    expect(scripts.filter((u) => /\/training\.view\.[\w-]+\.js$/.test(u)), 'engine loaded before any input').toEqual([]);

    await page.getByRole('radio', { name: 'Full fine-tune' }).check();
    await fill(page, 'Sequence length', '4096');
    await fill(page, 'Micro-batch', '2');
    await page.getByLabel('Optimizer', { exact: true }).selectOption('adamw-8bit');
    const full = train('llama-3.1-8b', { method: 'full', optimizer: 'adamw-8bit', batch: 2, seqLen: 4096, gradientCheckpointing: true });
    await expect.poll(() => page.getByTestId('train-total').textContent()).toBe(formatAuto(full.bytes.total, 'GB'));
    expect(scripts.some((u) => /\/training\.view\.[\w-]+\.js$/.test(u)), 'engine loaded on the first change').toBe(true);
    await expect(page.getByLabel('LoRA rank', { exact: true }).count()).resolves.toBe(0);
    // 8-bit AdamW full fine-tune of 8B does not fit on a 24 GB card but does on an H200.
    await expect(page.getByTestId('train-gpus').locator('tr', { hasText: 'GeForce RTX 4090' }).innerText()).resolves.toMatch(/\bNo\b/);
    await expect(page.getByTestId('train-gpus').locator('tr', { hasText: 'H200' }).innerText()).resolves.toMatch(/\bYes\b/);
    expectClean(opened);
    await opened.context.close();
  });

  test('QLoRA with more target modules and a GiB unit; the URL keeps the inputs across a reload', async () => {
    const { page, context } = await openCalculator(TRAINING);
    await page.getByRole('radio', { name: 'QLoRA' }).check();
    await fill(page, 'LoRA rank', '64');
    await page.getByRole('checkbox', { name: 'gate' }).check();
    await page.getByRole('checkbox', { name: 'down' }).check();
    await page.getByRole('radio', { name: 'GiB' }).check();
    await page.getByRole('radio', { name: 'Off' }).check();
    await page.getByLabel('Model', { exact: true }).selectOption('qwen2.5-7b');
    const q = train('qwen2.5-7b', { method: 'qlora', batch: 1, seqLen: 2048, gradientCheckpointing: false, lora: { rank: 64, targets: ['q', 'k', 'v', 'o', 'gate', 'down'] } });
    await expect.poll(() => page.getByTestId('train-total').textContent()).toBe(formatAuto(q.bytes.total, 'GiB'));
    const url = new URL(page.url());
    expect(url.searchParams.get('tr.method')).toBe('qlora');
    expect(url.searchParams.get('tr.targets')).toBe('q,k,v,o,gate,down');
    expect(url.searchParams.get('tr.model')).toBe('qwen2.5-7b');
    await reloadIsland(page);
    await expect.poll(() => page.getByTestId('train-total').textContent()).toBe(formatAuto(q.bytes.total, 'GiB'));
    await expect(page.getByLabel('LoRA rank', { exact: true }).inputValue()).resolves.toBe('64');
    await expect(page.getByRole('checkbox', { name: 'gate' }).isChecked()).resolves.toBe(true);
    await context.close();
  });

  test('bad input shows a message beside the field and no NaN', async () => {
    const { page, context } = await openCalculator(TRAINING);
    for (const [value, message] of [
      ['', /enter a number/],
      ['0', /at least 1/],
      ['-5', /at least 1/],
      ['1e30', /at most/],
      ['abc', /not a number/],
      ['2048.5', /whole number/],
    ] as const) {
      await fill(page, 'Sequence length', value);
      await expect(errorOf(page, 'Sequence length')).resolves.toMatch(message);
      await expect(page.locator('form.calc output').innerText()).resolves.toMatch(/Fix the highlighted field/);
      await expectNoBadNumbers(page);
    }
    await fill(page, 'Sequence length', '1024');
    for (const name of ['q', 'k', 'v', 'o']) await page.getByRole('checkbox', { name, exact: true }).uncheck();
    await expect.poll(() => page.locator('form.calc [role="alert"]:not([hidden])').allInnerTexts()).toContain('Target modules: choose at least one.');
    await expectNoBadNumbers(page);
    await context.close();
  });

  test('garbage in the URL shows messages, not NaN', async () => {
    const { page, context } = await openCalculator(`${TRAINING}?tr.model=nope&tr.seq=1e30&tr.batch=x1&tr.method=zzz&tr.rank=-3`);
    await expect(errorOf(page, 'Model')).resolves.toMatch(/not in the catalog/);
    await expect(errorOf(page, 'Sequence length')).resolves.toMatch(/at most/);
    await expect(errorOf(page, 'Micro-batch')).resolves.toMatch(/not a number/);
    await expect(errorOf(page, 'LoRA rank')).resolves.toMatch(/at least 1/);
    await expectNoBadNumbers(page);
    await context.close();
  });
});

describe('SpeedCalculator', () => {
  test('shows the build-time default without the engine, then engine values for other devices and context', async () => {
    const opened = await openCalculator(SPEED);
    const { page, scripts } = opened;
    const def = bound('llama-3.1-8b', 'Q4_K_M', 4096, [device('rtx-4090')]);
    await expect(page.getByTestId('speed-bound').textContent()).resolves.toBe(tps(def.tokensPerSecondUpperBound));
    await expect(page.getByTestId('speed-bytes').textContent()).resolves.toBe(`${formatAuto(def.bytesPerToken.total, 'GB')} (${formatAuto(def.bytesPerToken.total, 'GiB')})`);
    expect(scripts.filter((u) => /\/speed\.view\.[\w-]+\.js$/.test(u)), 'engine loaded before any input').toEqual([]);
    await expect(page.locator('form.calc svg title').first().textContent()).resolves.toMatch(/against context filled/);

    await page.getByLabel('Device', { exact: true }).selectOption('m4-max-128');
    await fill(page, 'Context filled', '32768');
    const mac = bound('llama-3.1-8b', 'Q4_K_M', 32768, [device('m4-max-128')]);
    await expect.poll(() => page.getByTestId('speed-bound').textContent()).toBe(tps(mac.tokensPerSecondUpperBound));
    await expect(page.getByTestId('speed-expected').textContent()).resolves.toBe(
      `${tps(mac.expectedTokensPerSecond.low).replace(' tokens/s', '')}–${tps(mac.expectedTokensPerSecond.high)}`,
    );
    expect(scripts.some((u) => /\/speed\.view\.[\w-]+\.js$/.test(u))).toBe(true);

    // A model larger than the GPU, with system RAM for the rest: GPU and RAM times add.
    await page.getByLabel('Device', { exact: true }).selectOption('rtx-4090');
    await page.getByLabel('Model', { exact: true }).selectOption('llama-3.1-70b');
    await fill(page, 'Context filled', '8192');
    await expect(errorOf(page, 'System RAM for offload')).resolves.toMatch(/does not fit/);
    await page.getByLabel('System RAM for offload', { exact: true }).selectOption('ddr5-5600-2ch');
    const off = bound('llama-3.1-70b', 'Q4_K_M', 8192, [device('rtx-4090'), device('ddr5-5600-2ch')]);
    expect(off.plan.verdict).toBe('fits-with-offload');
    await expect.poll(() => page.getByTestId('speed-bound').textContent()).toBe(tps(off.tokensPerSecondUpperBound));
    await expect(page.getByTestId('speed-reads').innerText()).resolves.toMatch(/RAM\s.*89\.6 GB\/s/);
    expectClean(opened);
    await opened.context.close();
  });

  test('a custom bandwidth; MoE reads only active experts; the URL round-trips', async () => {
    const { page, context } = await openCalculator(SPEED);
    await page.getByLabel('Model', { exact: true }).selectOption('qwen3-30b-a3b');
    await page.getByLabel('Device', { exact: true }).selectOption('custom');
    await expect(errorOf(page, 'Bandwidth')).resolves.toMatch(/enter a number/);
    await fill(page, 'Bandwidth', '500');
    await fill(page, 'Context filled', '0');
    const moe = decodeSpeed({ model: config('qwen3-30b-a3b'), quant: 'Q4_K_M', ctx: 1, filled: 0, devices: [{ name: 'Custom', kind: 'gpu', memoryBytes: 2 ** 40, bandwidthGBps: 500 }] });
    expect(moe.bytesPerToken.weights).toBeLessThan(0.2 * moe.plan.estimate.weightsBytes);
    await expect.poll(() => page.getByTestId('speed-bound').textContent()).toBe(tps(500e9 / moe.bytesPerToken.total));
    const url = new URL(page.url());
    expect(url.searchParams.get('sp.device')).toBe('custom');
    expect(url.searchParams.get('sp.bw')).toBe('500');
    await reloadIsland(page);
    await expect.poll(() => page.getByTestId('speed-bound').textContent()).toBe(tps(500e9 / moe.bytesPerToken.total));
    await expect(page.getByLabel('Bandwidth', { exact: true }).inputValue()).resolves.toBe('500');
    await context.close();
  });

  test('bad input and garbage in the URL show messages and no NaN', async () => {
    const { page, context } = await openCalculator(SPEED);
    for (const [value, message] of [
      ['', /enter a number/],
      ['-1', /at least 0/],
      ['1e30', /at most/],
      ['many', /not a number/],
    ] as const) {
      await fill(page, 'Context filled', value);
      await expect(errorOf(page, 'Context filled')).resolves.toMatch(message);
      await expectNoBadNumbers(page);
    }
    await page.getByLabel('Device', { exact: true }).selectOption('custom');
    for (const value of ['0', '-10', 'fast', '1e30']) {
      await fill(page, 'Bandwidth', value);
      await expect(errorOf(page, 'Bandwidth')).resolves.toMatch(/more than 0|not a number|at most/);
      await expectNoBadNumbers(page);
    }
    await context.close();

    const bad = await openCalculator(`${SPEED}?sp.model=zz&sp.quant=Q9_Z&sp.filled=abc&sp.device=warp-drive&sp.ram=%3Cscript%3E`);
    await expect(errorOf(bad.page, 'Model')).resolves.toMatch(/not in the catalog/);
    await expect(errorOf(bad.page, 'Quantization')).resolves.toMatch(/not in the list/);
    await expect(errorOf(bad.page, 'Context filled')).resolves.toMatch(/not a number/);
    await expect(errorOf(bad.page, 'Device')).resolves.toMatch(/not in the list/);
    await expectNoBadNumbers(bad.page);
    await bad.context.close();
  });
});

describe('accessibility', () => {
  test.each([
    [TRAINING, 'light'],
    [SPEED, 'light'],
    [TRAINING, 'dark'],
    [SPEED, 'dark'],
  ] as const)('axe finds no violations on %s (%s theme)', async (path, colorScheme) => {
    const { page, context } = await openPage(path, { colorScheme });
    await page.locator('astro-island').first().scrollIntoViewIfNeeded();
    await waitForIslands(page);
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    await context.close();
  });

  test.each([
    [TRAINING, 'Model'],
    [SPEED, 'Model'],
  ])('Tab reaches every control of the calculator on %s', async (path, first) => {
    const { page, context } = await openCalculator(path);
    // Controls a keyboard user must reach: each select and text input, each radio group / checkbox once, and the
    // chart's data-table disclosure.
    const expected = await page.locator('form.calc').evaluate((form) => {
      const names = new Set<string>();
      for (const el of Array.from(form.querySelectorAll<HTMLInputElement>('input, select, summary'))) {
        names.add(el.type === 'radio' ? `radio:${el.name}` : `${el.tagName}:${el.id || el.value || el.textContent}`);
      }
      return [...names];
    });
    await page.getByLabel(first, { exact: true }).focus();
    const reached = new Set<string>();
    for (let i = 0; i < expected.length + 5; i++) {
      const key = await page.evaluate(() => {
        const el = document.activeElement as HTMLInputElement | HTMLSelectElement | null;
        if (!el || !el.closest('form.calc')) return null;
        return el.type === 'radio' ? `radio:${el.name}` : `${el.tagName}:${el.id || el.value || el.textContent}`;
      });
      if (key) reached.add(key);
      await page.keyboard.press('Tab');
    }
    expect(expected.length).toBeGreaterThanOrEqual(5);
    expect([...reached].sort()).toEqual([...expected].sort());
    await context.close();
  });
});
