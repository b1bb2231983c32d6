import { useEffect, useMemo, useRef, useState } from 'preact/hooks';

/**
 * Keeps the sizing engine out of an island's first download.
 *
 * The page is built with the result for the island's default inputs (`initial`, computed at build time and passed
 * as a prop), so hydration renders exactly what the server rendered and needs no engine. The engine module is
 * fetched with `load` (a `() => import('...')`) only when the inputs first differ from `initial.input`: on the
 * first edit, or at mount when the URL holds other inputs. While it loads, the previous result stays on screen and
 * `loading` is true, so the island can mark its output aria-busy and say it is computing. Once loaded, results are
 * computed synchronously during render, as before.
 */

/** Flat, serialisable engine inputs (an interface of strings, numbers and booleans): compared by value, in any key order. */
export type EngineInput<I> = { readonly [K in keyof I]: string | number | boolean };

/** What a lazily loaded engine module exports: a pure, synchronous `compute` that never returns null. */
export interface LazyEngineModule<I extends EngineInput<I>, R> {
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

export const ENGINE_LOAD_ERROR = 'The calculator could not load; check your connection and reload the page.';

const inputKey = <I extends EngineInput<I>>(input: I): string =>
  JSON.stringify((Object.keys(input).sort() as (keyof I)[]).map((k) => [k, input[k]]));

/**
 * @param load    loads the engine module, e.g. `() => import('./kv-cache-engine')`. Called at most once.
 * @param input   the engine's input, or null when a field does not validate (the island shows its message instead).
 * @param initial the build-time result and the input it was computed for.
 */
export function useLazyEngine<I extends EngineInput<I>, R>(
  load: () => Promise<LazyEngineModule<I, R>>,
  input: I | null,
  initial: { input: I; result: R },
): LazyEngine<R> {
  const [engine, setEngine] = useState<LazyEngineModule<I, R> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const requested = useRef(false);
  const lastShown = useRef<R>(initial.result);

  const key = input === null ? null : inputKey(input);
  const isInitial = key === inputKey(initial.input);
  const needsEngine = key !== null && !isInitial;

  useEffect(() => {
    if (!needsEngine || requested.current) return;
    requested.current = true;
    load().then(
      (mod) => setEngine(mod),
      () => setError(ENGINE_LOAD_ERROR),
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
