import { useEffect, useRef, useState } from 'preact/hooks';

/**
 * A calculator's inputs mirrored in the query string, so any result can be shared and reloaded.
 * Values are kept as the raw strings the person typed (bad input survives a reload with its message).
 * The URL is read after mount only: the server-rendered HTML shows the defaults, then the island takes over.
 * `prefix` keeps two calculators on one page from overwriting each other's keys.
 */
export function useUrlState<K extends string>(
  defaults: Record<K, string>,
  prefix = '',
): [Record<K, string>, (key: K, value: string) => void] {
  const [state, setState] = useState<Record<K, string>>(defaults);
  const loaded = useRef(false);

  useEffect(() => {
    const params = new URLSearchParams(window.location.search);
    const next = { ...defaults };
    for (const key of Object.keys(defaults) as K[]) {
      const value = params.get(prefix + key);
      // Cap what a URL can inject into a field; anything longer is garbage anyway.
      if (value !== null) next[key] = value.slice(0, 200);
    }
    loaded.current = true;
    setState(next);
    // defaults and prefix are fixed for an island's life
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (!loaded.current) return;
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
  }, [state]);

  const set = (key: K, value: string) => setState((s) => ({ ...s, [key]: value }));
  return [state, set];
}
