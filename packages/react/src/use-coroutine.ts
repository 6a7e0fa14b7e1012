'use client';
import { coroutine, type Future, type FutureSnapshot } from '@gust/core';
import { type DependencyList, useMemo, useRef, useState } from 'react';
import { useIsomorphicLayoutEffect, useObserver } from './use-observer.js';

/**
 * Options of {@link useCoroutine}.
 * @example
 * const save = useCoroutine(function* (draft: Draft) {
 *   return yield* client.fetch('/api/save', { method: 'POST', body: JSON.stringify(draft) });
 * }, [], { manual: true });
 * // later, in an event handler: save.run(draft)
 */
export interface UseCoroutineOptions {
  /**
   * Do not start on mount or on deps change; start only with `run(...args)`.
   * @default false
   */
  manual?: boolean;
}

/**
 * What {@link useCoroutine} returns: the state of the latest run and the controls.
 * @example
 * const result: UseCoroutineResult<[], User> = useCoroutine(loadUser, [id]);
 * const { status, loading, data, error, run, cancel } = result;
 */
export interface UseCoroutineResult<A extends unknown[], R> extends FutureSnapshot<R> {
  /**
   * Starts the coroutine with `args` (cancelling the run in flight) and returns its Future, which is
   * cancelled on unmount like any run. After unmount it starts nothing and returns a cancelled Future.
   */
  run: (...args: A) => Future<R>;
  /** Cancels the run in flight (its `finally` runs) and shows `'cancelled'`; false if none was running. */
  cancel: () => boolean;
}

const PENDING: FutureSnapshot<any> = { status: 'pending', loading: true, data: undefined, error: undefined };
const IDLE: FutureSnapshot<any> = { status: 'idle', loading: false, data: undefined, error: undefined };

/**
 * Runs a coroutine for a component: `{ status, loading, data, error, run, cancel }`.
 *
 * It starts after mount (called with no arguments) and again whenever `deps` change (default `[]`: once),
 * unless `manual` is set. The running coroutine is cancelled on unmount, on deps change and when a new run
 * starts: its `finally` blocks run and the Future it waits on is cancelled (a gust HTTP fetch is aborted).
 * A slow earlier run can never overwrite a newer result, and nothing updates after unmount. Under
 * `<StrictMode>` the run of the simulated first mount is cancelled and exactly one run stays live.
 * Nothing starts during render, so server rendering shows the initial state (`'pending'`, or `'idle'`
 * when manual). In manual mode a deps change cancels the run and goes back to `'idle'`.
 *
 * @remarks Tornado: a `@gen.coroutine` whose lifetime is the component's; cancellation follows
 * `asyncio.Task.cancel()`.
 * @param genFn the coroutine body; the latest one is used by `run`.
 * @param deps restart (or, when manual, reset) when these change, as in `useEffect`.
 * @example
 * const { loading, data, error } = useCoroutine(function* () {
 *   const response = yield* client.fetch(`/users/${id}`);
 *   return response.json() as User;
 * }, [id]);
 */
export function useCoroutine<A extends unknown[], R>(
  genFn: (...args: A) => Generator<unknown, R, any>,
  deps: DependencyList = [],
  options?: UseCoroutineOptions,
): UseCoroutineResult<A, R> {
  const manual = options?.manual === true;
  const latest = useRef(genFn);
  useIsomorphicLayoutEffect(() => {
    latest.current = genFn;
  });
  const { observer, snapshot, guard } = useObserver<R>(
    manual ? 'idle' : 'pending',
    deps,
    (o, changed) => {
      if (!manual) o.run(() => coroutine(genFn)(...([] as unknown as A)));
      // A manual run was cancelled by the cleanup (deps change, or StrictMode's simulated unmount).
      else if (changed || (o.future === undefined && o.getSnapshot().loading)) o.reset();
    },
    () => (manual ? IDLE : PENDING),
  );
  const [controls] = useState(() => ({
    run: (...args: A): Future<R> => guard(() => observer.run(() => coroutine(latest.current)(...args))),
    cancel: (): boolean => observer.cancel(),
  }));
  return useMemo(() => ({ ...snapshot, ...controls }), [snapshot, controls]);
}
