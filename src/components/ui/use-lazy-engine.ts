import { useEffect, useMemo, useRef, useState } from 'preact/hooks';

/**
 * Keeps the sizing engine out of an island's first download: the one hook for "build-time result, engine loaded on
 * demand".
 *
 * The page is built with the result for the island's default inputs (`initial`, computed at build time and passed
 * as a prop), so hydration renders exactly what the server rendered and needs no engine. The engine module is
 * fetched with `load` (a `() => import('...')`) only when the inputs first differ from `initial.input`: on the
 * first edit, or at mount when the URL holds other inputs. While it loads, the previous result stays on screen and
 * `loading` is true, so the island can mark its output aria-busy and show a ComputingNote. If it cannot load,
 * `error` says so. Once loaded, results are computed synchronously during render, once per distinct input.
 */

/** What a lazily loaded engine module exports: a pure, synchronous `compute` that never returns null. */
export interface LazyEngineModule<I, R> {
  compute: (input: I) => R;
}

export interface LazyEngine<R> {
  /** The result for the current input; while loading, the last result shown. Null when `input` is null. */
  result: R | null;
  /** The engine is being fetched; `result` is stale. */
  loading: boolean;
  /** The engine could not be fetched (offline, a deploy replaced its file): a sentence for the person. */
  error: string | null;
}

export interface LazyEngineOptions<I> {
  /**
   * A stable string for an input: equal keys mean the same result. Default: the input's values by key, in any key
   * order (enough for flat or JSON-serialisable inputs).
   */
  key?: (input: I) => string;
  /** The sentence shown when the engine cannot be fetched. Default ENGINE_LOAD_ERROR. */
  loadError?: string;
}

export const ENGINE_LOAD_ERROR = 'The calculator could not load; check your connection and reload the page.';

const valueKey = (input: object): string =>
  JSON.stringify(
    Object.keys(input)
      .sort()
      .map((k) => [k, (input as Record<string, unknown>)[k]]),
  );

/**
 * @param load    loads the engine module, e.g. `() => import('./kv-cache-engine')`. Called at most once.
 * @param input   the engine's input, or null when a field does not validate (the island shows its message instead).
 * @param initial the build-time result and the input it was computed for.
 */
export function useLazyEngine<I extends object, R>(
  load: () => Promise<LazyEngineModule<I, R>>,
  input: I | null,
  initial: { input: I; result: R },
  { key: keyOf = valueKey, loadError = ENGINE_LOAD_ERROR }: LazyEngineOptions<I> = {},
): LazyEngine<R> {
  const [engine, setEngine] = useState<LazyEngineModule<I, R> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const requested = useRef(false);
  const lastShown = useRef<R>(initial.result);

  const key = input === null ? null : keyOf(input);
  const isInitial = key === keyOf(initial.input);
  const needsEngine = key !== null && !isInitial;

  useEffect(() => {
    if (!needsEngine || requested.current) return;
    requested.current = true;
    load().then(
      (mod) => setEngine(mod),
      () => setError(loadError),
    );
    // `load` is fixed for an island's life; only the need to load matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [needsEngine]);

  // The key stands for the input: recompute only when the values change, not on every render.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const computed = useMemo(() => (engine && input !== null && needsEngine ? engine.compute(input) : null), [engine, key]);

  if (input === null) return { result: null, loading: false, error: null };
  if (isInitial) {
    lastShown.current = initial.result;
    return { result: initial.result, loading: false, error: null };
  }
  if (computed !== null) {
    lastShown.current = computed;
    return { result: computed, loading: false, error: null };
  }
  return { result: lastShown.current, loading: error === null, error };
}
