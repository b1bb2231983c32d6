import { useEffect, useState } from 'preact/hooks';

/**
 * A result computed by a heavy module (the sizing engine) that the page does not load up front.
 * The server renders the default inputs' result, passed in as `initial`; while the inputs are the defaults the island
 * shows it without loading anything. The first time the inputs differ (a change, or a URL with other values), the
 * island loads the module with a dynamic import and computes; `pending` is true until that result arrives.
 * `key` identifies the inputs (a stable string of them); `query` is null when an input is not usable.
 */
export function useDeferredResult<Q, R>(
  query: Q | null,
  key: string,
  initial: { key: string; result: R },
  load: () => Promise<(q: Q) => R>,
): { result: R | null; pending: boolean } {
  const [computed, setComputed] = useState<{ key: string; result: R } | null>(null);
  const needsEngine = query !== null && key !== initial.key;

  useEffect(() => {
    if (!needsEngine || query === null) return;
    let live = true;
    void load().then((compute) => {
      if (live) setComputed({ key, result: compute(query) });
    });
    return () => {
      live = false;
    };
    // query is derived from key
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, needsEngine]);

  if (query === null) return { result: null, pending: false };
  if (key === initial.key) return { result: initial.result, pending: false };
  if (computed && computed.key === key) return { result: computed.result, pending: false };
  return { result: null, pending: true };
}
