/**
 * Finds a page's calculators and their controls from the DOM (astro-island elements and the text inputs, selects
 * and radio groups inside them), and reads their results (<output> text), for the calculator gates.
 */
import type { Locator, Page } from 'playwright-core';
import { waitForIslands } from './browser';

export interface Control {
  kind: 'text' | 'select' | 'radio';
  /**
   * Values the field declares valid although they look like bad input (data-accepts="zero empty", or "any" for a
   * free-text filter): a safety
   * margin or a filled context can be 0, a filter can be empty. Declared on the element, so the gate stays strict.
   */
  accepts: string[];
  /** Accessible label or name, for messages. */
  label: string;
  /** A locator for the control (for a radio group, its first radio). */
  locator: Locator;
  /** Radio groups: the group's name. */
  group?: string;
}

/** Text in a calculator that means a number went wrong somewhere. */
export const BROKEN_TEXT = /NaN|Infinity|undefined|\[object Object\]/;

export function islands(page: Page): Locator {
  return page.locator('astro-island');
}

/** Every control of one island, in DOM order; each radio group once. */
export async function controlsOf(island: Locator): Promise<Control[]> {
  const described = await island.locator('input[type="text"], input:not([type]), input[type="search"], input[type="number"], select, input[type="radio"]').evaluateAll((els) =>
    els.map((el, index) => {
      const input = el as HTMLInputElement;
      const labels = 'labels' in input && input.labels ? Array.from(input.labels).map((l) => l.textContent?.trim() ?? '') : [];
      const legend = input.closest('fieldset')?.querySelector('legend')?.textContent?.trim();
      const kind = el.tagName === 'SELECT' ? 'select' : input.type === 'radio' ? 'radio' : 'text';
      const accepts = (el.getAttribute('data-accepts') ?? '').split(/\s+/).filter(Boolean);
      return { index, id: el.id, kind, accepts, label: (kind === 'radio' ? legend : labels[0]) || input.name || `control ${index}`, group: kind === 'radio' ? input.name : '' };
    }),
  );
  const all = island.locator('input[type="text"], input:not([type]), input[type="search"], input[type="number"], select, input[type="radio"]');
  const seenGroups = new Set<string>();
  const controls: Control[] = [];
  for (const d of described) {
    // By id where there is one: using one control can add or remove others (a second GPU row), so an index
    // into the list would point at a different control afterwards.
    const locator = d.id ? island.locator(`[id="${d.id}"]`) : all.nth(d.index);
    if (d.kind === 'radio') {
      if (seenGroups.has(d.group)) continue;
      seenGroups.add(d.group);
      controls.push({ kind: 'radio', label: d.label, locator, group: d.group, accepts: d.accepts });
    } else {
      controls.push({ kind: d.kind as 'text' | 'select', label: d.label, locator, accepts: d.accepts });
    }
  }
  return controls;
}

/** The island's result: the text of its <output> elements. */
export async function resultOf(island: Locator): Promise<string> {
  const texts = await island.locator('output').allInnerTexts();
  return texts.join(' | ').replace(/\s+/g, ' ').trim();
}

/**
 * Other values to try in a text field whose current value is valid: the number in it doubled, halved, plus or
 * minus one (its unit suffix kept, e.g. "8B" -> "16B"). Which ones are valid depends on the field; the gate only
 * needs one that changes the result.
 */
export function alternativeValues(current: string): string[] {
  const m = /^(\s*)(-?\d+(?:\.\d+)?)(.*)$/s.exec(current);
  if (!m) return ['1', '2', '8', '100', '4096'];
  const n = Number(m[2]);
  const candidates = [n * 2, n / 2, n + 1, n - 1, n * 10, 1];
  return [...new Set(candidates.filter((c) => c > 0 && c !== n).map((c) => `${m[1]}${Number(c.toPrecision(6))}${m[3]}`))];
}

/** Scrolls each island into view (they hydrate client:visible) and waits until all have hydrated. */
export async function hydrateAll(page: Page): Promise<void> {
  const count = await islands(page).count();
  for (let i = 0; i < count; i++) await islands(page).nth(i).scrollIntoViewIfNeeded();
  await waitForIslands(page);
}

/** Whether a focused element shows a focus indicator: an outline or a box-shadow on it, or on the visible part of its label. */
export async function hasVisibleFocusStyle(page: Page): Promise<{ ok: boolean; what: string }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { ok: false, what: 'nothing focused' };
    const shows = (e: Element) => {
      const s = getComputedStyle(e);
      const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
      return outline || (s.boxShadow !== 'none' && s.boxShadow !== '');
    };
    if (shows(el)) return { ok: true, what: el.tagName };
    // A visually hidden native control (custom radios) shows its focus on its label's visible parts.
    const label = el.closest('label');
    const styled = label ? [label, ...Array.from(label.querySelectorAll('*'))].find((e) => e !== el && shows(e)) : undefined;
    return { ok: Boolean(styled), what: `${el.tagName}${el.id ? '#' + el.id : ''} ${styled ? 'via its label' : 'has no outline or box-shadow'}` };
  });
}
