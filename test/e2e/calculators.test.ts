/**
 * Every calculator on every page, found from dist/ (pages with islands) and the DOM (controls inside each island):
 *  - keyboard alone reaches every control (Tab order), each shows a visible focus style, and using each one from
 *    the keyboard (typing a valid value, arrows in a select or radio group) changes the result in <output>;
 *  - the URL then reloads to the same results;
 *  - every text field answers empty, 0, -1, 1e30, letters and pasted garbage with a message (aria-invalid or an
 *    alert), except values it declares valid (data-accepts: a margin of 0, an empty filter), and no calculator ever shows NaN, Infinity, undefined or [object Object], or throws.
 */
import { afterAll, describe, expect, test } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { closeBrowser, openPage } from './browser';
import { pagesWithIslands } from './dist-pages';
import { alternativeValues, BROKEN_TEXT, controlsOf, hasVisibleFocusStyle, hydrateAll, islands, resultOf, type Control } from './calculator-probe';

afterAll(closeBrowser);

const pages = pagesWithIslands();

const BAD_INPUTS: [string, string][] = [
  ['empty', ''],
  ['zero', '0'],
  ['negative', '-1'],
  ['huge', '1e30'],
  ['letters', 'abc'],
  ['markup', '<script>alert(1)</script>'],
  ['NUL', '\u0000'],
  ['10k digits', '9'.repeat(10_000)],
];

/** Resolves true as soon as check() holds, false after timeoutMs. */
async function becomes(check: () => Promise<boolean>, timeoutMs = 1500): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until no island's result is marked busy or says it is computing (an engine loading on demand). */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      document.querySelector('astro-island [aria-busy="true"]') === null &&
      Array.from(document.querySelectorAll('astro-island output')).every((o) => !/computing…/i.test(o.textContent ?? '')),
    null,
    { timeout: 15_000 },
  );
}

/** Tabs from the top of the page through the whole tab order; returns the QA ids reached and focus-style failures. */
async function tabThrough(page: Page): Promise<{ reached: Set<string>; noFocusStyle: string[] }> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const reached = new Set<string>();
  const noFocusStyle: string[] = [];
  let first: string | null = null;
  for (let i = 0; i < 600; i++) {
    await page.keyboard.press('Tab');
    const key = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      return el.getAttribute('data-qa-control') ?? `${el.tagName}:${el.id}:${el.getAttribute('href') ?? ''}:${el.textContent?.slice(0, 30) ?? ''}`;
    });
    if (key === null) continue;
    if (key === first) break; // wrapped around
    first ??= key;
    if (key.startsWith('qa-') && !reached.has(key)) {
      reached.add(key);
      const style = await hasVisibleFocusStyle(page);
      if (!style.ok) noFocusStyle.push(`${key}: ${style.what}`);
    }
  }
  return { reached, noFocusStyle };
}

/** Marks each control (each radio of a group with the group's id) so the Tab walk can recognise it. */
async function tagControls(all: { island: number; control: Control }[]): Promise<string[]> {
  const ids: string[] = [];
  for (const [n, { control }] of all.entries()) {
    const id = `qa-${n}`;
    ids.push(id);
    if (control.kind === 'radio') {
      await control.locator.evaluate((el, id) => {
        const name = (el as HTMLInputElement).name;
        el.closest('astro-island')?.querySelectorAll(`input[type="radio"][name="${CSS.escape(name)}"]`).forEach((r) => r.setAttribute('data-qa-control', id));
      }, id);
    } else {
      await control.locator.evaluate((el, id) => el.setAttribute('data-qa-control', id), id);
    }
  }
  return ids;
}

/**
 * Changes one control with the keyboard only; true when the island's result or its URL state changed (a setting
 * such as flash attention with an f16 cache, or a chart's axis, is wired and shareable without changing the figures).
 */
async function changeByKeyboard(page: Page, island: Locator, control: Control): Promise<boolean> {
  if ((await control.locator.count()) === 0) return true; // removed by an earlier control (e.g. another hardware kind)
  const before = await resultOf(island);
  const urlBefore = page.url();
  const changed = () =>
    becomes(async () => {
      const now = await resultOf(island);
      return !BROKEN_TEXT.test(now) && (now !== before || page.url() !== urlBefore);
    });
  if (control.kind === 'text') {
    const original = await control.locator.inputValue();
    for (const value of alternativeValues(original)) {
      await control.locator.focus();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(value);
      if ((await control.locator.getAttribute('aria-invalid')) !== 'true' && (await changed())) return true;
    }
    return false;
  }
  if (control.kind === 'select') {
    const options = await control.locator.locator('option:not([disabled])').count();
    for (const key of ['ArrowDown', 'ArrowUp']) {
      for (let i = 0; i < options; i++) {
        await control.locator.focus();
        await page.keyboard.press(key);
        if (await changed()) return true;
      }
    }
    return false;
  }
  // Radio group: focus the checked radio (the group's one tab stop) and move with the arrows.
  const checked = island.locator(`input[type="radio"][name="${control.group}"]:checked`);
  await ((await checked.count()) > 0 ? checked.first() : control.locator).focus();
  await page.keyboard.press('ArrowRight');
  return changed();
}

describe.each(pages.map((p) => [p.url]))('calculators on %s', (url) => {
  test('are reachable and usable by keyboard alone, change their result, and reload to it from the URL', async () => {
    const { page, context, problems } = await openPage(url);
    try {
      await hydrateAll(page);
      const count = await islands(page).count();
      const all: { island: number; control: Control }[] = [];
      for (let i = 0; i < count; i++) {
        const controls = await controlsOf(islands(page).nth(i));
        if (controls.length > 0) expect(await islands(page).nth(i).locator('output').count(), `island ${i} has controls but no <output>`).toBeGreaterThan(0);
        all.push(...controls.map((control) => ({ island: i, control })));
      }
      expect(all.length, 'controls found in the islands').toBeGreaterThan(0);
      const ids = await tagControls(all);

      const { reached, noFocusStyle } = await tabThrough(page);
      const unreachable = ids.filter((id) => !reached.has(id)).map((id) => all[Number(id.slice(3))]?.control.label);
      expect(unreachable, 'controls Tab never reaches').toEqual([]);
      expect(noFocusStyle, 'controls without a visible focus style').toEqual([]);

      const unchanged: string[] = [];
      for (const { island, control } of all) {
        if (!(await changeByKeyboard(page, islands(page).nth(island), control))) unchanged.push(`island ${island}: ${control.kind} "${control.label}"`);
      }
      expect(unchanged, 'controls whose keyboard use never changed the result').toEqual([]);

      // Results are compared once every island has settled (an engine still loading keeps the old figures on screen).
      await settled(page);
      const results = [];
      for (let i = 0; i < count; i++) results.push(await resultOf(islands(page).nth(i)));
      await page.reload();
      await hydrateAll(page);
      await expect
        .poll(async () => {
          const now = [];
          if (await page.locator('astro-island [aria-busy="true"]').count()) return null;
          if ((await page.locator('astro-island output').allInnerTexts()).some((t) => /computing…/i.test(t))) return null;
          for (let i = 0; i < count; i++) now.push(await resultOf(islands(page).nth(i)));
          return now;
        }, { timeout: 15_000 })
        .toEqual(results);
      expect(problems.pageErrors).toEqual([]);
      expect(problems.consoleErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('answer bad input in every text field with a message, never NaN/Infinity/undefined or an exception', async () => {
    const { page, context, problems } = await openPage(url);
    try {
      await hydrateAll(page);
      const failures: string[] = [];
      const count = await islands(page).count();
      for (let i = 0; i < count; i++) {
        const island = islands(page).nth(i);
        for (const control of (await controlsOf(island)).filter((c) => c.kind === 'text')) {
          const original = await control.locator.inputValue();
          for (const [name, bad] of BAD_INPUTS) {
            await control.locator.fill(bad);
            if (control.accepts.includes(name) || control.accepts.includes('any')) {
              // Declared valid: no message needed, but never a broken figure.
              const broken = BROKEN_TEXT.exec(await island.innerText());
              if (broken) failures.push(`island ${i} "${control.label}" = ${name}: shows "${broken[0]}"`);
              continue;
            }
            const flagged = await becomes(async () => {
              if ((await control.locator.getAttribute('aria-invalid')) === 'true') return true;
              const alerts = await island.locator('[role="alert"]:visible').allInnerTexts();
              return alerts.some((t) => t.trim() !== '');
            });
            if (!flagged) failures.push(`island ${i} "${control.label}" = ${name}: no message`);
            const text = await island.innerText();
            const broken = BROKEN_TEXT.exec(text);
            if (broken) failures.push(`island ${i} "${control.label}" = ${name}: shows "${broken[0]}"`);
          }
          await control.locator.fill(original);
        }
      }
      expect(failures).toEqual([]);
      expect(problems.pageErrors, 'exceptions thrown by the page').toEqual([]);
    } finally {
      await context.close();
    }
  });
});

test('dist/ has calculator pages to check', () => {
  expect(pages.length).toBeGreaterThan(0);
});
