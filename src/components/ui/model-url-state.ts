import { useEffect, useRef, useState } from 'preact/hooks';

/**
 * Where a picked model lives in the query string: `model=<catalog id>`, `hf=<owner/name>` or `config=<compact>`
 * (one of them; a local GGUF file cannot be in a link). Read after mount like useUrlState, but kept apart from it
 * because a compact config is longer than the 200 characters useUrlState allows a field.
 */
export interface ModelUrlValue {
  model?: string;
  hf?: string;
  config?: string;
}

const KEYS = ['model', 'hf', 'config'] as const;
/** Longest value read from the URL for each key (a compact config is well under 2 KB). */
const MAX_CHARS: Record<(typeof KEYS)[number], number> = { model: 100, hf: 300, config: 8000 };

export function readModelUrl(search: string, prefix = ''): ModelUrlValue {
  const params = new URLSearchParams(search);
  const value: ModelUrlValue = {};
  for (const key of KEYS) {
    const v = params.get(prefix + key);
    if (v !== null && v !== '') value[key] = v.slice(0, MAX_CHARS[key]);
  }
  return value;
}

const sameValue = (a: ModelUrlValue, b: ModelUrlValue) => KEYS.every((k) => (a[k] ?? '') === (b[k] ?? ''));

/**
 * [value, set, loaded]: `loaded` turns true once the URL has been read (after mount). An island keys its
 * ModelPicker on it, so the picker starts from the URL's model rather than the server-rendered default.
 */
export function useModelUrlState(prefix = ''): [ModelUrlValue, (v: ModelUrlValue) => void, boolean] {
  const [value, setValue] = useState<ModelUrlValue>({});
  const [loaded, setLoaded] = useState(false);
  const current = useRef<ModelUrlValue>({});

  useEffect(() => {
    const v = readModelUrl(window.location.search, prefix);
    current.current = v;
    setValue(v);
    setLoaded(true);
    // prefix is fixed for an island's life
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const set = (v: ModelUrlValue) => {
    if (sameValue(v, current.current)) return;
    current.current = v;
    setValue(v);
    const url = new URL(window.location.href);
    for (const key of KEYS) {
      const x = v[key];
      if (x) url.searchParams.set(prefix + key, x);
      else url.searchParams.delete(prefix + key);
    }
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
  };
  return [value, set, loaded];
}
