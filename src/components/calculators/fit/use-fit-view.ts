import { useEffect, useMemo, useState } from 'preact/hooks';
import { isDefaultState, type FitState } from '../../../lib/fit-state';

type Engine = typeof import('../../../lib/fit-view');

export type LazyStatus<V> = { state: 'ready'; view: V } | { state: 'computing' } | { state: 'failed'; message: string };

/**
 * A result computed by src/lib/fit-view.ts for the current inputs. The page passes the default inputs' result,
 * computed at build time; the engine (src/sizing with the catalogs) is imported on demand, the first time the
 * inputs differ from the defaults (a change, or a shared link), so it never weighs on the page's first load.
 */
export function useLazyView<V, X = null>(
  state: FitState,
  defaults: FitState,
  initial: V,
  compute: (engine: Engine, s: FitState, extra: X | null) => V,
  /** A further input besides the URL state (a model from ModelPicker); non-null means "not the default". */
  extra: X | null = null,
): LazyStatus<V> {
  const [engine, setEngine] = useState<Engine | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const isDefault = isDefaultState(state, defaults) && extra === null;

  useEffect(() => {
    if (isDefault || engine || failed) return;
    let live = true;
    import('../../../lib/fit-view')
      .then((m) => {
        if (live) setEngine(m);
      })
      .catch(() => {
        if (live) setFailed('The calculator could not load its engine. Check the connection and reload the page.');
      });
    return () => {
      live = false;
    };
  }, [isDefault, engine, failed]);

  // compute is a module-level function of the island: fixed for its life.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const view = useMemo(() => (engine ? compute(engine, state, extra) : null), [engine, state, extra]);
  if (view !== null) return { state: 'ready', view };
  if (isDefault) return { state: 'ready', view: initial };
  if (failed) return { state: 'failed', message: failed };
  return { state: 'computing' };
}
