/**
 * Browser side of the search dialog, on Pagefind's JS API (https://pagefind.app/docs/api/).
 * Keyboard: "/" or Ctrl/Cmd+K opens; arrows move through results; Enter follows; Escape closes.
 */

interface PagefindResultData {
  url: string;
  excerpt: string;
  meta: Record<string, string | undefined>;
  sub_results?: { url: string; title: string; excerpt: string }[];
}

interface Pagefind {
  init?: () => Promise<void>;
  debouncedSearch: (term: string, options?: object, ms?: number) => Promise<{ results: { data: () => Promise<PagefindResultData> }[] } | null>;
}

let pagefindPromise: Promise<Pagefind | null> | null = null;

function loadPagefind(): Promise<Pagefind | null> {
  pagefindPromise ??= (async () => {
    try {
      // The path exists only in the built site (pagefind runs after astro build).
      const url = '/pagefind/pagefind.js';
      const mod = (await import(/* @vite-ignore */ url)) as Pagefind;
      await mod.init?.();
      return mod;
    } catch {
      return null;
    }
  })();
  return pagefindPromise;
}

/**
 * What people type, in the form the index holds: "4 bit" / "8 bits" means the "4-bit" / "8-bit" that pages and
 * aliases write. Pagefind would otherwise match "4" and "bit" separately, all over every chapter.
 */
export function normalizeQuery(term: string): string {
  return term.replace(/\b(\d+)\s+bits?\b/gi, '$1-bit');
}

function escapeText(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function setupSearch(): void {
  const dialog = document.querySelector<HTMLDialogElement>('[data-search-dialog]');
  const input = document.querySelector<HTMLInputElement>('[data-search-input]');
  const list = document.querySelector<HTMLOListElement>('[data-search-results]');
  const status = document.querySelector<HTMLElement>('[data-search-status]');
  if (!dialog || !input || !list || !status) return;

  let active = -1;
  let generation = 0;

  const links = () => Array.from(list.querySelectorAll<HTMLAnchorElement>('a'));

  const setActive = (i: number) => {
    const all = links();
    if (all.length === 0) {
      active = -1;
      input.removeAttribute('aria-activedescendant');
      return;
    }
    active = (i + all.length) % all.length;
    all.forEach((a, j) => a.setAttribute('aria-selected', String(j === active)));
    const current = all[active];
    if (current) {
      input.setAttribute('aria-activedescendant', current.id);
      current.scrollIntoView({ block: 'nearest' });
    }
  };

  const open = () => {
    if (dialog.open) return;
    dialog.showModal();
    input.select();
    void loadPagefind();
  };

  const render = async (term: string) => {
    const mine = ++generation;
    if (term.trim() === '') {
      list.replaceChildren();
      input.setAttribute('aria-expanded', 'false');
      status.textContent = 'Type to search.';
      return;
    }
    const pagefind = await loadPagefind();
    if (!pagefind) {
      status.textContent = 'Search is available in the built site (npm start).';
      return;
    }
    const search = await pagefind.debouncedSearch(normalizeQuery(term), {}, 120);
    if (search === null || mine !== generation) return; // superseded by newer input
    const data = await Promise.all(search.results.slice(0, 8).map((r) => r.data()));
    if (mine !== generation) return;
    list.replaceChildren(
      ...data.map((d, i) => {
        const li = document.createElement('li');
        li.setAttribute('role', 'presentation');
        const a = document.createElement('a');
        a.id = `search-result-${i}`;
        a.href = d.url;
        a.setAttribute('role', 'option');
        a.setAttribute('aria-selected', 'false');
        const title = d.meta['title'] ?? d.url;
        const bits = d.meta['bits'] ? ` · ${escapeText(d.meta['bits'])}` : '';
        const family = d.meta['family'] ? ` · ${escapeText(d.meta['family'])}` : '';
        // Pagefind's excerpt is HTML-escaped text with <mark> around hits.
        a.innerHTML = `<strong>${escapeText(title)}</strong><span class="meta">${family}${bits}</span><br><span class="meta">${d.excerpt}</span>`;
        li.append(a);
        return li;
      }),
    );
    input.setAttribute('aria-expanded', data.length > 0 ? 'true' : 'false');
    status.textContent = data.length === 0 ? `No results for “${term}”.` : `${data.length} result${data.length === 1 ? '' : 's'}.`;
    setActive(data.length > 0 ? 0 : -1);
  };

  document.querySelectorAll('[data-search-open]').forEach((b) => b.addEventListener('click', open));

  document.addEventListener('keydown', (e) => {
    const target = e.target as HTMLElement | null;
    const typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if ((e.key === 'k' || e.key === 'K') && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      open();
    } else if (e.key === '/' && !typing && !dialog.open) {
      e.preventDefault();
      open();
    }
  });

  input.addEventListener('input', () => void render(input.value));
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive(active + 1);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive(active - 1);
    } else if (e.key === 'Enter') {
      const target = links()[active];
      if (target) {
        e.preventDefault();
        window.location.href = target.href;
      }
    }
  });
}
