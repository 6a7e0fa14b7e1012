'use client';
import { type Future, type FutureFactory, FutureObserver, type FutureSnapshot, isFuture } from '@gust/core';
import { type DependencyList, useMemo, useRef, useState } from 'react';
import { useIsomorphicLayoutEffect, useObserver } from './use-observer.js';

/**
 * What {@link useFuture} returns: the state of the Future and a way to run the factory again.
 * @example
 * const result: UseFutureResult<HTTPResponse> = useFuture(() => client.fetch(url), [url]);
 * const { data, error, loading, reload } = result;
 * return <button onClick={() => reload()} disabled={loading}>Refresh</button>;
 */
export interface UseFutureResult<T> extends FutureSnapshot<T> {
  /**
   * Calls the factory again (cancelling the run in flight) and keeps showing the current `data` until the
   * new result arrives. For a Future passed directly there is nothing to re-create: it returns that Future.
   * After unmount it starts nothing and returns a cancelled Future.
   */
  reload: () => Future<T>;
}

const PENDING: FutureSnapshot<any> = { status: 'pending', loading: true, data: undefined, error: undefined };

/**
 * Follows a Future in a component: `{ status, loading, data, error, reload }`, re-rendering when it settles.
 *
 * - With a **factory** (`() => client.fetch(url)`), the hook owns the Future: it calls the factory after
 *   mount and whenever `deps` change (default `[]`: once), and cancels the previous Future when the deps
 *   change, on `reload()` and on unmount — a gust HTTP fetch is aborted, a coroutine runs its `finally`.
 *   A result for old deps is never shown. The factory must return a new Future on each call.
 * - With a **Future**, the hook only observes it (it is never cancelled, since others may share it); a done
 *   Future renders its result at once, without a loading state.
 *
 * Nothing starts during render, so server rendering shows the loading state. Works under `<StrictMode>`:
 * the run of the simulated first mount is cancelled and exactly one run stays live.
 *
 * @remarks Tornado has no UI layer; the state machine is core's `FutureObserver`.
 * @param source a Future, or a factory returning a Future, a thenable or a value.
 * @param deps re-run the factory when these change (as in `useEffect`); ignored for a Future.
 * @example
 * const { loading, data, error, reload } = useFuture(() => client.fetch(`/users/${id}`), [id]);
 */
export function useFuture<T>(
  source: Future<T> | FutureFactory<T>,
  deps: DependencyList = [],
): UseFutureResult<T> {
  const latest = useRef(source);
  useIsomorphicLayoutEffect(() => {
    latest.current = source;
  });
  const direct = isFuture<T>(source);
  const { observer, snapshot, guard } = useObserver<T>(
    direct ? source : 'pending',
    direct ? [source] : deps,
    (o) => {
      if (direct) o.observe(source);
      else o.run(source as FutureFactory<T>);
    },
    () => (direct ? FutureObserver.snapshotOf(source) : PENDING),
  );
  const [reload] = useState(() => (): Future<T> => {
    const current = latest.current;
    if (isFuture<T>(current)) return current;
    return guard(() => observer.run(current, { keepData: true }));
  });
  return useMemo(() => ({ ...snapshot, reload }), [snapshot, reload]);
}
