import { useEffect, useRef, useState } from 'preact/hooks';

/** Longest value a URL may put into a field; anything longer is garbage anyway. */
const MAX_VALUE_LENGTH = 200;

/**
 * A calculator's inputs mirrored in the query string, so any result can be shared and reloaded.
 * Values are kept as the raw strings the person typed (bad input survives a reload with its message).
 * The URL is read after mount only: the server-rendered HTML shows the defaults, then the island takes over.
 * It is written only when the person changes a value, never while loading, so a reload can not race with
 * a write of the defaults. `prefix` keeps two calculators on one page from overwriting each other's keys.
 * `start`, read with the URL after mount, gives starting values for keys the URL does not hold (the reader's saved
 * hardware, ui/saved-hardware.ts); they stay out of the URL until the person changes a value.
 */
export function useUrlState<K extends string>(
  defaults: Record<K, string>,
  prefix = '',
  start?: (inUrl: ReadonlySet<NoInfer<K>>) => Partial<Record<NoInfer<K>, string>> | null,
): [Record<K, string>, (key: K, value: string) => void] {
  const [state, setState] = useState<Record<K, string>>(defaults);
  const current = useRef(state);

  useEffect(() => {
    const params = new URLSearchParams(window.location.search);
    const next = { ...defaults };
    let changed = false;
    const inUrl = new Set<K>();
    for (const key of Object.keys(defaults) as K[]) {
      const value = params.get(prefix + key);
      if (value !== null) {
        next[key] = value.slice(0, MAX_VALUE_LENGTH);
        inUrl.add(key);
        changed = true;
      }
    }
    const started: Partial<Record<K, string>> = start?.(inUrl) ?? {};
    for (const key of Object.keys(started) as K[]) {
      const value = started[key];
      if (key in defaults && !inUrl.has(key) && value !== undefined && value !== next[key]) {
        next[key] = value;
        changed = true;
      }
    }
    if (changed) {
      current.current = next;
      setState(next);
    }
    // defaults, prefix and start are fixed for an island's life
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const set = (key: K, value: string) => {
    const next = { ...current.current, [key]: value };
    current.current = next;
    setState(next);
    writeUrl(next, defaults, prefix);
  };
  return [state, set];
}

/** Puts every non-default value in the query string (defaults are left out, so links stay short). */
function writeUrl<K extends string>(state: Record<K, string>, defaults: Record<K, string>, prefix: string): void {
  const url = new URL(window.location.href);
  for (const key of Object.keys(state) as K[]) {
    const value = state[key];
    if (value === defaults[key]) url.searchParams.delete(prefix + key);
    else url.searchParams.set(prefix + key, value);
  }
  const next = url.pathname + url.search + url.hash;
  if (next !== window.location.pathname + window.location.search + window.location.hash) {
    window.history.replaceState(window.history.state, '', next);
  }
}
