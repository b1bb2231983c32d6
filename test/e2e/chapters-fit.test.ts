/**
 * The fitting chapters ("Will it fit?", "When it does not fit") and their islands, in real Chromium against the
 * built site. Expected figures come from src/sizing called here directly, so a test fails when the page and the
 * engine disagree.
 */
import { afterAll, describe, expect, test } from 'vitest';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { closeBrowser, openPage, waitForIslands, type OpenedPage, expectClean } from './browser';
import { MODELS } from '../../src/data/models';
import { DEVICES } from '../../src/data/devices';
import { planFit, defaultWorkingSetShare, maxContext, fewestGpus, decodeSpeed, llamaServerCommand, formatAuto, GiB, type FitInput } from '../../src/sizing/index';

const FIT = '/guide/will-it-fit/';

afterAll(closeBrowser);

function dev(id: string) {
  const d = DEVICES.find((x) => x.id === id);
  if (!d) throw new Error(`no device ${id}`);
  return d;
}

function src(id: string) {
  const e = MODELS.find((m) => m.id === id);
  if (!e) throw new Error(`no model ${id}`);
  return { model: { kind: 'config' as const, config: e.config }, modelLabel: e.id, hfId: e.hfId };
}

const ram = dev('ddr5-5600-2ch');
/** The calculator's defaults as an engine input: RTX 4090, 64 GiB of DDR5-5600, margin 1024 MiB. */
function input(modelId: string, quant: string, ctx: number, over: Partial<FitInput> = {}): FitInput {
  return { ...src(modelId), quant, ctx, seqs: 1, kvType: 'f16', runtime: 'llama.cpp', devices: [dev('rtx-4090'), { ...ram, memoryBytes: 64 * GiB }], ramBytes: 64 * GiB, ramBandwidthGBps: ram.bandwidthGBps, ...over };
}


async function openCalculator(path: string): Promise<OpenedPage> {
  const opened = await openPage(path);
  await opened.page.locator('astro-island').first().scrollIntoViewIfNeeded();
  await waitForIslands(opened.page);
  return opened;
}

/** Navigates an open page (client:visible islands hydrate once scrolled into view). */
async function gotoCalculator(page: Page, path: string): Promise<void> {
  await page.goto(new URL(path, page.url()).href);
  await page.locator('astro-island').first().scrollIntoViewIfNeeded();
  await waitForIslands(page);
}

const form = (page: Page) => page.locator('form.fit');
const verdict = (page: Page) => page.getByTestId('fit-verdict');

/** Waits until the engine has answered for the current inputs (no "Computing…"). */
async function settled(page: Page): Promise<void> {
  await expect.poll(() => page.locator('form.fit output.calc__result').innerText(), { timeout: 15_000 }).not.toMatch(/Computing/);
}

async function errorOf(page: Page, label: string): Promise<string> {
  const field = form(page).getByLabel(label, { exact: true });
  await expect.poll(() => field.getAttribute('aria-invalid'), { timeout: 15_000 }).toBe('true');
  const errorId = (await field.getAttribute('aria-describedby'))?.split(' ').pop() ?? '';
  return page.locator(`[id="${errorId}"]`).innerText();
}

async function expectNoBadNumbers(page: Page): Promise<void> {
  const text = await form(page).innerText();
  expect(text).not.toMatch(/NaN|Infinity|undefined|\[object Object\]/);
}

describe('Will it fit? (chapter)', () => {
  test('renders with its title, KaTeX, units, sources and the engine’s figures', async () => {
    const opened = await openPage(FIT);
    const { page } = opened;
    await expect(page.locator('h1').textContent()).resolves.toBe('Will it fit?');
    await expect(page.locator('nav.sidebar a[aria-current="page"]').getAttribute('href')).resolves.toBe(FIT);
    expect(await page.locator('.katex math').count()).toBeGreaterThanOrEqual(3);
    const text = await page.locator('article').innerText();
    expect(text).not.toMatch(/\$\$|\\frac|\\times|\\text|\\underbrace/);
    expect(text).not.toMatch(/NaN|undefined|\[object Object\]/);
    expect(text).toMatch(/GB = 10\s*9 bytes; GiB = 2\s*30 bytes/);
    expect(await page.locator('article h2#sources').count()).toBe(1);
    // The KV cache of the 8B example, from the model's config (GQA: key-value heads, not attention heads).
    const c8 = MODELS.find((m) => m.id === 'llama-3.1-8b')?.config as Record<string, number>;
    const L = c8['num_hidden_layers'] ?? 0;
    const kvh = c8['num_key_value_heads'] ?? 0;
    const hd = (c8['hidden_size'] ?? 0) / (c8['num_attention_heads'] ?? 1);
    expect(text).toContain(`2 × ${L} layers × ${kvh} KV heads × ${hd} dimensions × 2 bytes × 32,768 tokens = ${formatAuto(2 * L * kvh * hd * 2 * 32768, 'GiB')}`);
    const p8 = planFit(input('llama-3.1-8b', 'Q4_K_M', 32768));
    expect(text).toContain(`Total on the GPU: ${formatAuto(p8.devices[0]?.used ?? 0, 'GiB')} of 24.00 GiB, leaving ${formatAuto(p8.devices[0]?.free ?? 0, 'GiB')} free`);
    // The 70B example: -ngl on one card and the two-card verdict, from the engine.
    const one = planFit(input('llama-3.1-70b', 'Q4_K_M', 8192));
    expect(one.verdict).toBe('fits-with-offload');
    expect(text).toContain(`(-ngl ${one.llamaCpp?.nGpuLayers})`);
    const few = fewestGpus({ ...input('llama-3.1-70b', 'Q4_K_M', 8192), ramDevice: ram }, dev('rtx-4090'));
    expect(text).toContain(`Fewest cards of this kind to hold everything: ${few.gpus}.`);
    expectClean(opened);
    await opened.context.close();
  });
});

describe('FitCalculator', () => {
  test('the server-rendered default matches the engine: Llama 3.1 8B Q4_K_M, 32,768 tokens, RTX 4090', async () => {
    const opened = await openCalculator(FIT);
    const { page } = opened;
    const plan = planFit(input('llama-3.1-8b', 'Q4_K_M', 32768));
    const max = maxContext(input('llama-3.1-8b', 'Q4_K_M', 32768));
    await expect(verdict(page).getAttribute('data-verdict')).resolves.toBe(plan.verdict);
    await expect(verdict(page).innerText()).resolves.toBe('Fits');
    await expect(page.getByTestId('fit-maxctx').innerText()).resolves.toContain(`${max.ctx.toLocaleString('en-US')} tokens`);
    await expect(page.getByTestId('launch-command').innerText()).resolves.toBe(llamaServerCommand(plan));
    // Only the small island code loaded: the engine chunk waits for the first change.
    const scripts = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.js')));
    expect(scripts.some((s) => /FitCalculator\./.test(s))).toBe(true);
    expect(scripts.filter((s) => /\/fit\.view\.[\w-]+\.js$/.test(s))).toEqual([]);
    expectClean(opened);
    await opened.context.close();
  });

  test('Llama 3.1 70B Q4_K_M at 8k on one RTX 4090 fits with offload, -ngl and speed as planFit and decodeSpeed say', async () => {
    const opened = await openCalculator(`${FIT}?model=llama-3.1-70b&ctx=8192`);
    const { page } = opened;
    await settled(page);
    const inp = input('llama-3.1-70b', 'Q4_K_M', 8192);
    const plan = planFit(inp);
    await expect(verdict(page).getAttribute('data-verdict')).resolves.toBe('fits-with-offload');
    await expect(verdict(page).innerText()).resolves.toBe('Fits with CPU offload');
    await expect(page.getByTestId('fit-layers').innerText()).resolves.toContain(`-ngl ${plan.llamaCpp?.nGpuLayers} of 81`);
    const few = fewestGpus({ ...inp, ramDevice: ram }, dev('rtx-4090'));
    await expect(page.getByTestId('fit-gpus-needed').innerText()).resolves.toContain(`${few.gpus} × GeForce RTX 4090`);
    const loose = maxContext(inp, { allowOffload: true });
    await expect(page.getByTestId('fit-maxctx-offload').innerText()).resolves.toContain(`${loose.ctx.toLocaleString('en-US')} tokens`);
    const speed = decodeSpeed(inp);
    await expect(page.getByTestId('fit-speed').innerText()).resolves.toContain(`at most ${speed.tokensPerSecondUpperBound.toFixed(1)} tokens/s (upper bound)`);
    await expect(page.getByTestId('launch-command').innerText()).resolves.toBe(llamaServerCommand(plan));
    // One bar per GPU and one for RAM.
    await expect(page.locator('[data-testid="fit-bars"] figure.sbar').count()).resolves.toBe(2);
    // A non-default link loads the engine chunk on demand.
    const scripts = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    expect(scripts.filter((s) => /\/fit\.view\.[\w-]+\.js$/.test(s))).toHaveLength(1);
    await expectNoBadNumbers(page);
    expectClean(opened);
    await opened.context.close();
  });

  test('glossary links preselect the quantization and runtime: awq + vllm, lower-case q4_k_m, nf4, IQ4_XS', async () => {
    const cases: [string, string, string][] = [
      ['?quant=awq&runtime=vllm', 'awq', 'vllm'],
      ['?quant=awq', 'awq', 'vllm'],
      ['?quant=q4_k_m', 'Q4_K_M', 'llama.cpp'],
      ['?quant=nf4', 'bnb-nf4', 'transformers'],
      ['?quant=IQ4_XS', 'IQ4_XS', 'llama.cpp'],
      ['?quant=fp8', 'fp8', 'vllm'],
    ];
    const opened = await openCalculator(FIT);
    const { page } = opened;
    for (const [query, quant, runtime] of cases) {
      await gotoCalculator(page, `${FIT}${query}`);
      await settled(page);
      await expect.poll(() => form(page).getByLabel('Quantization', { exact: true }).inputValue()).toBe(quant);
      await expect(form(page).getByRole('radio', { name: RUNTIME_LABEL[runtime] ?? runtime, exact: true }).isChecked()).resolves.toBe(true);
      await expect(verdict(page).isVisible()).resolves.toBe(true);
    }
    await gotoCalculator(page, `${FIT}?quant=awq&runtime=vllm`);
    await settled(page);
    await expect(page.getByTestId('launch-command').innerText()).resolves.toMatch(/^vllm serve meta-llama\/Llama-3\.1-8B .*--quantization awq$/);
    expectClean(opened);
    await opened.context.close();
  });

  test('bad input shows a message beside the field and never NaN', async () => {
    const opened = await openCalculator(FIT);
    const { page } = opened;
    const ctx = form(page).getByLabel('Context', { exact: true });
    for (const [typed, message] of [
      ['', /enter a number/],
      ['0', /at least 1/],
      ['-5', /at least 1/],
      ['1e30', /at most/],
      ['abc', /not a number/],
    ] as const) {
      await ctx.fill(typed);
      await expect(errorOf(page, 'Context')).resolves.toMatch(message);
      await expect(page.getByTestId('fit-placeholder').innerText()).resolves.toMatch(/Fix the highlighted field/);
      await expectNoBadNumbers(page);
    }
    await ctx.fill('8192');
    await expect.poll(() => ctx.getAttribute('aria-invalid')).toBe('false');
    await settled(page);
    await expect(verdict(page).isVisible()).resolves.toBe(true);

    for (const [label, typed, message] of [
      ['Concurrent users', '0', /at least 1/],
      ['System RAM', '-3', /more than 0/],
      ['Safety margin', 'lots', /not a number/],
      ['Number of GPUs', '1e30', /at most 16/],
    ] as const) {
      const field = form(page).getByLabel(label, { exact: true });
      const before = await field.inputValue();
      await field.fill(typed);
      await expect(errorOf(page, label)).resolves.toMatch(message);
      await expectNoBadNumbers(page);
      await field.fill(before);
    }

    for (const [query, label, message] of [
      ['?ctx=abc', 'Context', /not a number/],
      ['?gpu=nope', 'GPU', /“nope” is not in the list/],
      ['?quant=zzz', 'Quantization', /not a GGUF file type or GPU format/],
      ['?model=nope', 'Model', /not in the catalog/],
      ['?quant=Q4_K_M&runtime=vllm', 'Quantization', /GGUF file type/],
    ] as const) {
      await gotoCalculator(page, `${FIT}${query}`);
      await expect(errorOf(page, label)).resolves.toMatch(message);
      await expectNoBadNumbers(page);
    }
    // An unknown runtime or hardware kind is reported and falls back, still with a result.
    await gotoCalculator(page, `${FIT}?runtime=zzz&hw=qqq`);
    await expect.poll(() => form(page).innerText(), { timeout: 15_000 }).toContain('Runtime: “zzz” is not one of');
    await expect(form(page).innerText()).resolves.toContain('Hardware: “qqq” is not one of gpu, apple, cpu');
    await expect(verdict(page).getAttribute('data-verdict')).resolves.toBe('fits');
    await expectNoBadNumbers(page);
    expectClean(opened);
    await opened.context.close();
  });

  test('inputs round-trip through the URL, including a second GPU row and Apple Silicon', async () => {
    const opened = await openCalculator(FIT);
    const { page } = opened;
    await form(page).getByLabel('Concurrent users', { exact: true }).fill('4');
    await form(page).getByLabel('Model', { exact: true }).selectOption('llama-3.1-70b');
    await page.getByRole('button', { name: 'Add a different GPU' }).click();
    await form(page).getByLabel('GPU, row 2', { exact: true }).selectOption('rtx-3090');
    await settled(page);
    await expect.poll(() => new URL(page.url()).searchParams.get('users')).toBe('4');
    await expect.poll(() => new URL(page.url()).searchParams.get('model')).toBe('llama-3.1-70b');
    await expect.poll(() => new URL(page.url()).searchParams.get('gpu2')).toBe('rtx-3090');
    await settled(page);
    const plan = planFit(input('llama-3.1-70b', 'Q4_K_M', 32768, { seqs: 4, devices: [dev('rtx-4090'), dev('rtx-3090'), { ...ram, memoryBytes: 64 * GiB }] }));
    await expect.poll(() => page.getByTestId('fit-reason').innerText(), { timeout: 15_000 }).toContain(plan.reason);
    const before = await page.getByTestId('fit-reason').innerText();
    await page.reload();
    await page.locator('astro-island').first().scrollIntoViewIfNeeded();
    await waitForIslands(page);
    await settled(page);
    await expect(form(page).getByLabel('Concurrent users', { exact: true }).inputValue()).resolves.toBe('4');
    await expect(form(page).getByLabel('GPU, row 2', { exact: true }).inputValue()).resolves.toBe('rtx-3090');
    await expect(page.getByTestId('fit-reason').innerText()).resolves.toBe(before);
    await expect(page.locator('[data-testid="fit-bars"] figure.sbar').count()).resolves.toBe(3);
    // Remove the row again: back to one GPU kind.
    await page.getByRole('button', { name: 'Remove row 2' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('gpu2')).toBe(null);

    // A Mac: its working-set share is shown and can be changed.
    const mac = dev('m4-pro-48');
    const macShare = mac.gpuWorkingSetShare ?? defaultWorkingSetShare(mac.memoryBytes);
    await form(page).getByRole('radio', { name: 'Apple Silicon' }).check();
    await settled(page);
    const share = form(page).getByLabel('GPU working-set share', { exact: true });
    const hintId = (await share.getAttribute('aria-describedby'))?.split(' ')[0] ?? '';
    await expect(page.locator(`[id="${hintId}"]`).innerText()).resolves.toContain(`Empty: ${(macShare * 100).toFixed(0)}%, this Mac’s share`);
    await share.fill('90');
    await settled(page);
    await expect.poll(() => new URL(page.url()).searchParams.get('share')).toBe('90');
    await expect(page.locator(`[id="${hintId}"]`).innerText()).resolves.toContain('The GPU may use 90% × 48 GiB = 43.20 GiB');
    await expectNoBadNumbers(page);
    expectClean(opened);
    await opened.context.close();
  });

  test('your own model: a pasted config.json through ModelPicker, loaded on demand, sized like the catalog entry', async () => {
    const opened = await openCalculator(FIT);
    const { page } = opened;
    await page.getByRole('button', { name: /Your own model/ }).click();
    await form(page).getByRole('radio', { name: 'Paste config.json' }).check();
    await expect(page.getByTestId('fit-placeholder').innerText()).resolves.toMatch(/Choose your model above/);
    const config = MODELS.find((m) => m.id === 'llama-3.1-70b')?.config;
    await form(page).getByLabel('config.json', { exact: true }).fill(JSON.stringify(config));
    const plan = planFit({ ...input('llama-3.1-70b', 'Q4_K_M', 32768), model: { kind: 'config', config: config ?? {} } as FitInput['model'] });
    await expect.poll(() => verdict(page).getAttribute('data-verdict'), { timeout: 15_000 }).toBe(plan.verdict);
    await expect(page.getByTestId('fit-reason').innerText()).resolves.toContain(`pasted config.json (LlamaForCausalLM) Q4_K_M, 32,768 tokens × 1, llama.cpp: ${plan.reason}`);
    await expect.poll(() => new URL(page.url()).searchParams.get('config')).not.toBe(null);
    const axe = await new AxeBuilder({ page }).include('form.fit').analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    // The link reopens the picker with the pasted model.
    await page.reload();
    await page.locator('astro-island').first().scrollIntoViewIfNeeded();
    await waitForIslands(page);
    await expect.poll(() => page.getByTestId('fit-reason').innerText(), { timeout: 15_000 }).toContain(plan.reason);
    // Back to the catalog: the calculator's own model select returns.
    await form(page).getByRole('radio', { name: 'Catalog' }).check();
    await expect.poll(() => page.getByTestId('fit-reason').innerText()).toMatch(/^Llama 3\.1 8B Q4_K_M/);
    await expectNoBadNumbers(page);
    expectClean(opened);
    await opened.context.close();
  });

  test('the copy button copies the command, or selects it when the clipboard is refused', async () => {
    const opened = await openCalculator(FIT);
    const { page, context } = opened;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
    const command = await page.getByTestId('launch-command').innerText();
    await page.getByTestId('copy-command').click();
    await expect.poll(() => page.getByTestId('copy-status').innerText()).toBe('Copied to the clipboard.');
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(command);
    // Without a clipboard (plain http, old browsers): the command is selected and the status says how to copy.
    await page.evaluate(() => Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true }));
    await page.getByTestId('copy-command').click();
    await expect.poll(() => page.getByTestId('copy-status').innerText()).toMatch(/press Ctrl\+C/);
    await expect(page.evaluate(() => window.getSelection()?.toString())).resolves.toBe(command);
    expectClean(opened);
    await context.close();
  });

  test('axe finds no violations, and the keyboard reaches every control', async () => {
    const opened = await openCalculator(`${FIT}?model=llama-3.1-70b&ctx=8192&gpu2=rtx-3090`);
    const { page } = opened;
    await settled(page);
    const results = await new AxeBuilder({ page }).include('form.fit').analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    const whole = await new AxeBuilder({ page }).analyze();
    expect(whole.violations.map((v) => v.id)).toEqual([]);

    // Tab from the first field to the end of the form; every input, select and button is reached once in a while.
    const controls = await form(page).locator('input:not([type=radio]), select, button, pre[tabindex]').evaluateAll((els) => els.map((e) => e.id || e.textContent?.trim() || e.tagName));
    const radios = await form(page).locator('fieldset.choice').count();
    await form(page).getByLabel('Model', { exact: true }).focus();
    const reached = new Set<string>();
    const reachedRadioGroups = new Set<string>();
    for (let i = 0; i < 80; i++) {
      const info = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || !el.closest('form.fit')) return null;
        const radio = el instanceof HTMLInputElement && el.type === 'radio' ? el.name : null;
        return { key: el.id || el.textContent?.trim() || el.tagName, radio };
      });
      if (info === null && i > 0) break;
      if (info) {
        if (info.radio) reachedRadioGroups.add(info.radio);
        else reached.add(info.key);
      }
      await page.keyboard.press('Tab');
    }
    for (const c of controls) expect(reached, `keyboard reaches ${c}`).toContain(c);
    expect(reachedRadioGroups.size).toBe(radios);
    // Focus is visible on a field.
    await form(page).getByLabel('Context', { exact: true }).focus();
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
    expect(outline).not.toBe('none');
    expectClean(opened);
    await opened.context.close();
  });
});

const RUNTIME_LABEL: Record<string, string> = { 'llama.cpp': 'llama.cpp', vllm: 'vLLM', transformers: 'transformers', ollama: 'Ollama' };

const OFFLOAD = '/guide/when-it-does-not-fit/';

describe('When it does not fit (chapter) and OffloadPlanner', () => {
  test('the chapter renders and quotes the engine: 70B on one RTX 4090, layer offload speed, vLLM TP, expert offload', async () => {
    const opened = await openPage(OFFLOAD);
    const { page } = opened;
    await expect(page.locator('h1').textContent()).resolves.toBe('When it does not fit');
    await expect(page.locator('nav.sidebar a[aria-current="page"]').getAttribute('href')).resolves.toBe(OFFLOAD);
    const text = await page.locator('article').innerText();
    expect(text).not.toMatch(/NaN|undefined|\[object Object\]|Infinity/);
    expect(text).toMatch(/GiB \(2\s*30 bytes\)/);
    expect(await page.locator('article h2#sources').count()).toBe(1);
    const one = decodeSpeed(input('llama-3.1-70b', 'Q4_K_M', 8192));
    expect(one.plan.verdict).toBe('fits-with-offload');
    expect(text).toContain(`(-ngl ${one.plan.llamaCpp?.nGpuLayers})`);
    expect(text).toContain(`Upper bound ${one.tokensPerSecondUpperBound.toFixed(1)} tokens/s.`);
    const oss = planFit(input('gpt-oss-120b', 'MXFP4_MOE', 32768, { ramBytes: 128 * GiB, devices: [dev('rtx-4090'), { ...ram, memoryBytes: 128 * GiB }] }));
    expect(text).toContain(`--n-cpu-moe ${oss.llamaCpp?.nCpuMoe}`);
    // vLLM refuses a tensor-parallel size that does not divide the 64 heads.
    expect(text).toMatch(/vLLM refuses tensor parallelism 3/);
    expectClean(opened);
    await opened.context.close();
  });

  test('the planner compares offload, all on GPU and CPU only with the engine’s speed bounds', async () => {
    const opened = await openCalculator(OFFLOAD);
    const { page } = opened;
    const inp = input('llama-3.1-70b', 'Q4_K_M', 8192);
    const yours = decodeSpeed(inp);
    await expect(page.getByTestId('offload-verdict').getAttribute('data-verdict')).resolves.toBe('fits-with-offload');
    await expect(page.getByTestId('offload-yours-speed').innerText()).resolves.toBe(`${yours.tokensPerSecondUpperBound.toFixed(1)} tokens/s`);
    const few = fewestGpus({ ...inp, ramDevice: ram }, dev('rtx-4090'));
    await expect(page.getByTestId('offload-gpu-only').innerText()).resolves.toContain(`All on GPU: ${few.gpus} × GeForce RTX 4090`);
    const cpu = decodeSpeed({ ...inp, devices: [{ ...ram, memoryBytes: 64 * GiB }] });
    await expect(page.getByTestId('offload-cpu-only-speed').innerText()).resolves.toBe(`${cpu.tokensPerSecondUpperBound.toFixed(1)} tokens/s`);
    await expect(page.getByTestId('launch-command').innerText()).resolves.toBe(llamaServerCommand(yours.plan));

    // A mixture of experts: llama.cpp keeps attention on the GPU and moves experts (--n-cpu-moe).
    const f = form(page);
    await f.getByLabel('Model', { exact: true }).selectOption('gpt-oss-120b');
    await f.getByLabel('Quantization', { exact: true }).selectOption('MXFP4_MOE');
    await f.getByLabel('Context', { exact: true }).fill('32768');
    await f.getByLabel('System RAM', { exact: true }).fill('128');
    await expect.poll(() => page.getByTestId('offload-yours').innerText(), { timeout: 15_000 }).toContain('expert offload');
    const moe = decodeSpeed(input('gpt-oss-120b', 'MXFP4_MOE', 32768, { ramBytes: 128 * GiB, devices: [dev('rtx-4090'), { ...ram, memoryBytes: 128 * GiB }] }));
    await expect(page.getByTestId('offload-yours').innerText()).resolves.toContain(`--n-cpu-moe ${moe.plan.llamaCpp?.nCpuMoe}`);
    await expect(page.getByTestId('offload-yours-speed').innerText()).resolves.toBe(`${moe.tokensPerSecondUpperBound.toFixed(1)} tokens/s`);
    await expect.poll(() => new URL(page.url()).searchParams.get('model')).toBe('gpt-oss-120b');

    await f.getByLabel('Context', { exact: true }).fill('abc');
    await expect(errorOf(page, 'Context')).resolves.toMatch(/not a number/);
    await expectNoBadNumbers(page);
    await f.getByLabel('Context', { exact: true }).fill('32768');
    await settled(page);

    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    expectClean(opened);
    await opened.context.close();
  });
});
