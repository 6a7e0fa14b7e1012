'use client';
import { Future, FutureObserver, type FutureSnapshot } from '@gust/core';
import {
  type DependencyList,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';

/** @internal What {@link useObserver} hands back to the hooks built on it. */
export interface ObserverHandle<T> {
  observer: FutureObserver<T>;
  /** The snapshot to render: the observer's, or `staleView()` while new deps wait for their run. */
  snapshot: FutureSnapshot<T>;
  /** Runs `start` unless the component has unmounted; then it returns a cancelled Future instead. */
  guard: (start: () => Future<T>) => Future<T>;
}

// Layout effects warn during server rendering in React 18; on the server nothing runs anyway.
export const useIsomorphicLayoutEffect = typeof document !== 'undefined' ? useLayoutEffect : useEffect;

/**
 * @internal The shared core of `useFuture` and `useCoroutine`: one {@link FutureObserver} per component,
 * read with `useSyncExternalStore`, started by an effect keyed on `deps` and detached (its run cancelled)
 * when the deps change or the component unmounts. Nothing starts during render, so server rendering shows
 * the initial state and leaves nothing running. `start(observer, changed)` receives whether the deps
 * differ from the previous start (false on mount and on StrictMode's remount).
 */
export function useObserver<T>(
  initial: 'idle' | 'pending' | Future<T>,
  deps: DependencyList,
  start: (observer: FutureObserver<T>, changed: boolean) => void,
  staleView: () => FutureSnapshot<T>,
): ObserverHandle<T> {
  const [observer] = useState(() => new FutureObserver<T>(initial));
  // Subscribed before the effect below starts a run, so a run that finishes at once is not missed.
  const current = useSyncExternalStore(observer.subscribe, observer.getSnapshot, observer.getSnapshot);
  const started = useRef<DependencyList | undefined>(undefined);
  const alive = useRef(true);
  useEffect(() => {
    const previous = started.current;
    started.current = deps;
    alive.current = true;
    start(observer, previous !== undefined && !sameDeps(previous, deps));
    return () => {
      alive.current = false;
      observer.detach();
    };
    // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps key the run, as in useEffect.
  }, deps);
  // Between the render with new deps and the effect that starts their run, the observer still holds the
  // old run's result: render the state of the new inputs instead, so a stale result never shows.
  const stale = started.current !== undefined && !sameDeps(started.current, deps);
  const [guard] = useState(() => (run: () => Future<T>): Future<T> => {
    if (alive.current) return run();
    const cancelled = new Future<T>();
    cancelled.cancel();
    return cancelled;
  });
  return { observer, snapshot: stale ? staleView() : current, guard };
}

function sameDeps(a: DependencyList, b: DependencyList): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}
