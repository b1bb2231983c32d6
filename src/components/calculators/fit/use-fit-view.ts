import { useLazyEngine } from '../../ui/use-lazy-engine';
import type { FitState } from './fit-state';

type Engine = typeof import('./fit.view');

export type LazyStatus<V> = { state: 'ready'; view: V } | { state: 'computing' } | { state: 'failed'; message: string };

const LOAD_ERROR = 'The calculator could not load its engine. Check the connection and reload the page.';

/** A number per object, for keying the picker's model by identity (its config is too big to compare by value). */
const ids = new WeakMap<object, number>();
let lastId = 0;
function idOf(x: object | null): number {
  if (x === null) return 0;
  const id = ids.get(x) ?? ++lastId;
  ids.set(x, id);
  return id;
}

/**
 * A result computed by src/components/calculators/fit/fit.view.ts for the current inputs, through useLazyEngine (src/components/ui): the
 * page passes the default inputs' result, computed at build time; the engine (src/sizing with the catalogs) is
 * imported on demand, the first time the inputs differ from the defaults (a change, or a shared link), so it never
 * weighs on the page's first load. While it loads the fit islands show "Computing…" in place of the result.
 */
export function useLazyView<V, X extends object = never>(
  state: FitState,
  defaults: FitState,
  initial: V,
  compute: (engine: Engine, s: FitState, extra: X | null) => V,
  /** A further input besides the URL state (a model from ModelPicker); non-null means "not the default". */
  extra: X | null = null,
): LazyStatus<V> {
  const keys = Object.keys(defaults) as (keyof FitState)[];
  const engine = useLazyEngine(
    () => import('./fit.view').then((m) => ({ compute: (i: { state: FitState; extra: X | null }) => compute(m, i.state, i.extra) })),
    { state, extra },
    { input: { state: defaults, extra: null }, result: initial },
    { key: (i) => JSON.stringify([keys.map((k) => i.state[k]), idOf(i.extra)]), loadError: LOAD_ERROR },
  );
  if (engine.error !== null) return { state: 'failed', message: engine.error };
  if (engine.loading || engine.result === null) return { state: 'computing' };
  return { state: 'ready', view: engine.result };
}
