/**
 * client:interaction, an Astro client directive (registered in astro.config.mjs): hydrate an island when the reader
 * first reaches for it (pointer over or down, touch, focus, a key, an input), or at once when the page's address
 * carries inputs or the reader has saved hardware, which the island must apply.
 *
 * Why: the home page's fit calculator, and "Size your own model" at the top of its chapter, sit above the fold with
 * their results already rendered at build time, so nothing is lost by waiting; hydrating them at load was each page's
 * largest main-thread task (Lighthouse's Total Blocking Time). Islands further down keep client:visible, which
 * hydrates them only when scrolled to.
 * A value the reader changed before hydration finished is replayed afterwards as an input and change event, so the
 * island's state catches up with what the form shows.
 */
import type { ClientDirective } from 'astro';
import { STORAGE_KEY } from './saved-hardware-key';

// dragenter: a file dragged onto an island (the GGUF drop zone) hydrates it before the drop lands.
const EVENTS = ['pointerover', 'pointerdown', 'touchstart', 'focusin', 'keydown', 'input', 'change', 'dragenter'] as const;

function hasSavedHardware(): boolean {
  try {
    return window.localStorage.getItem(STORAGE_KEY) !== null;
  } catch {
    return false; // storage blocked: nothing saved to apply
  }
}

/** Controls whose value differs from the server-rendered one: the reader changed them before hydration. */
function changedControls(root: HTMLElement): HTMLElement[] {
  const out: HTMLElement[] = [];
  for (const el of root.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input, select, textarea')) {
    if (el instanceof HTMLSelectElement) {
      if ([...el.options].some((o) => o.selected !== o.defaultSelected)) out.push(el);
    } else if (el instanceof HTMLInputElement && (el.type === 'radio' || el.type === 'checkbox')) {
      if (el.checked !== el.defaultChecked && el.checked) out.push(el);
    } else if (el.value !== el.defaultValue) out.push(el);
  }
  return out;
}

const interaction: ClientDirective = (load, _options, el) => {
  let started = false;
  const start = async () => {
    if (started) return;
    started = true;
    for (const name of EVENTS) el.removeEventListener(name, start, true);
    const hydrate = await load();
    await hydrate();
    for (const control of changedControls(el)) {
      control.dispatchEvent(new Event('input', { bubbles: true }));
      control.dispatchEvent(new Event('change', { bubbles: true }));
    }
  };
  if (window.location.search.length > 1 || hasSavedHardware()) {
    void start();
    return;
  }
  for (const name of EVENTS) el.addEventListener(name, start, { capture: true, passive: true });
};

export default interaction;
