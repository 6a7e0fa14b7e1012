import { Future, futureOutcome, futureState } from './future.js';
import { futureAddDoneCallback } from './future-helpers.js';
import { logError } from './logger.js';

/**
 * What a {@link FutureObserver} shows: `'idle'` before anything ran, `'pending'` while the current run is
 * not done, then `'fulfilled'`, `'rejected'` or `'cancelled'`.
 * @example
 * const { status } = observer.getSnapshot(); // 'idle' | 'pending' | 'fulfilled' | 'rejected' | 'cancelled'
 */
export type FutureObserverStatus = 'idle' | 'pending' | 'fulfilled' | 'rejected' | 'cancelled';

/**
 * An immutable view of a {@link FutureObserver}. A new object is created only when one of the fields
 * changes, so it can be compared by identity (`useSyncExternalStore` relies on this).
 * @example
 * const { loading, data, error } = observer.getSnapshot();
 * if (!loading && error === undefined) render(data);
 */
export interface FutureSnapshot<T> {
  /** Where the current run is. */
  readonly status: FutureObserverStatus;
  /** `status === 'pending'`. */
  readonly loading: boolean;
  /** The result of the last fulfilled run; kept while a run started with `keepData` is pending or fails. */
  readonly data: T | undefined;
  /** The error of the current run once it is rejected, else `undefined`. */
  readonly error: unknown;
}

/**
 * Options of {@link FutureObserver.run}.
 * @example
 * observer.run(() => client.fetch(url), { keepData: true }); // a reload: keep showing the old data
 */
export interface FutureObserverRunOptions {
  /**
   * Keep the current `data` while the new run is pending and if it fails (a reload of the same inputs).
   * Without it, `data` is cleared so that a result for other inputs is never shown as the new one.
   * @default false
   */
  keepData?: boolean;
}

/**
 * Anything a run factory may return: a Future, a thenable (adopted) or a plain value.
 * @example
 * const load: FutureFactory<HTTPResponse> = () => client.fetch('/api/items');
 * observer.run(load);
 */
export type FutureFactory<T> = () => PromiseLike<T> | T;

const IDLE: FutureSnapshot<any> = Object.freeze({
  status: 'idle',
  loading: false,
  data: undefined,
  error: undefined,
});
const PENDING: FutureSnapshot<any> = Object.freeze({
  status: 'pending',
  loading: true,
  data: undefined,
  error: undefined,
});

/**
 * The state machine behind `useFuture` and `useCoroutine`: follows one Future at a time and exposes its
 * progress as `subscribe` / `getSnapshot` (the `useSyncExternalStore` contract), so the React hooks stay
 * thin and the logic is testable without React.
 *
 * Each {@link FutureObserver.run | run} replaces the previous one: a Future the observer created (through
 * a factory) is cancelled — a coroutine runs its `finally`, an HTTP fetch is aborted — and a result that
 * arrives from a replaced run is dropped, so a slow earlier run can never overwrite a newer one. Listeners
 * are called synchronously when the snapshot changes; a Future that is already done is applied at once,
 * without waiting for a microtask.
 *
 * @remarks Tornado has no equivalent; this follows TanStack Query's `QueryObserver` (state in core, hooks
 * as thin wrappers).
 * @example
 * const observer = new FutureObserver<string>();
 * const unsubscribe = observer.subscribe(() => console.log(observer.getSnapshot().status));
 * observer.run(() => client.fetch(url).then((r) => r.text));
 */
export class FutureObserver<T = unknown> {
  #snapshot: FutureSnapshot<T>;
  #listeners = new Set<() => void>();
  #current: Future<T> | undefined = undefined;
  #owned = false;
  readonly #onDone = (done: Future<T>): void => {
    if (done === this.#current) this.#apply(done);
  };

  /**
   * Creates an observer that shows `initial`: `'idle'` (the default), `'pending'` (a run is about to
   * start, e.g. on mount), or the state of a Future. Reading a Future here only peeks at it: nothing is
   * subscribed until {@link FutureObserver.observe} is called.
   */
  constructor(initial: 'idle' | 'pending' | Future<T> = 'idle') {
    this.#snapshot =
      initial === 'idle' ? IDLE : initial === 'pending' ? PENDING : FutureObserver.snapshotOf(initial);
  }

  /**
   * Calls `listener` synchronously after every change of the snapshot.
   * @returns a function that removes the listener.
   */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };

  /** The current snapshot; the same object until something changes. */
  readonly getSnapshot = (): FutureSnapshot<T> => this.#snapshot;

  /** The Future of the current run, or `undefined` when none is being followed. */
  get future(): Future<T> | undefined {
    return this.#current;
  }

  /**
   * Starts a run: replaces (and cancels) the current one, calls `factory` now and follows the Future it
   * returns. The observer owns that Future: {@link FutureObserver.detach}, {@link FutureObserver.cancel}
   * and the next run cancel it. A factory that throws gives a rejected run.
   * @returns the Future of the run (rejected if the factory threw).
   */
  run(factory: FutureFactory<T>, options?: FutureObserverRunOptions): Future<T> {
    let future: Future<T>;
    try {
      future = Future.from<T>(factory());
    } catch (error) {
      future = Future.reject<T>(error);
    }
    this.#follow(future, true, options?.keepData === true);
    return future;
  }

  /**
   * Follows a Future that someone else owns: the previous run is replaced, but this Future is never
   * cancelled by the observer (except by an explicit {@link FutureObserver.cancel}). Observing the Future
   * that is already followed does nothing.
   */
  observe(future: Future<T>, options?: FutureObserverRunOptions): Future<T> {
    if (future !== this.#current) this.#follow(future, false, options?.keepData === true);
    return future;
  }

  /**
   * Cancels the current run if it is pending — also a Future followed with `observe`, since the caller
   * asks for it explicitly — and shows `'cancelled'` at once (keeping `data`); anything the run still
   * delivers is dropped.
   * @returns true if a pending run was cancelled.
   */
  cancel(): boolean {
    const future = this.#current;
    if (future === undefined || future.done()) return false;
    this.#owned = true;
    this.detach();
    const { data } = this.#snapshot;
    this.#set({ status: 'cancelled', loading: false, data, error: undefined });
    return true;
  }

  /**
   * Stops following the current run without changing the snapshot, cancelling the run if the observer
   * owns it. For an owner that goes away (a component that unmounts): no listener is called afterwards
   * for that run.
   */
  detach(): void {
    const future = this.#current;
    if (future === undefined) return;
    this.#current = undefined;
    future.removeDoneCallback(this.#onDone);
    if (this.#owned && !future.done()) {
      future.cancel();
      // A coroutine may still fail in its cleanup (its finally threw): nobody follows it now, so say so.
      futureAddDoneCallback(future, reportCleanupFailure);
    }
    this.#owned = false;
  }

  /** Detaches the current run and shows `status` (`'idle'` by default) with no data and no error. */
  reset(status: 'idle' | 'pending' = 'idle'): void {
    this.detach();
    this.#set(status === 'idle' ? IDLE : PENDING);
  }

  /** The snapshot that shows `future` as it is now (pure: registers nothing). */
  static snapshotOf<T>(future: Future<T>): FutureSnapshot<T> {
    switch (futureState(future)) {
      case 0:
        return PENDING;
      case 1:
        return { status: 'fulfilled', loading: false, data: futureOutcome(future) as T, error: undefined };
      case 2:
        return { status: 'rejected', loading: false, data: undefined, error: futureOutcome(future) };
      default:
        return { status: 'cancelled', loading: false, data: undefined, error: undefined };
    }
  }

  #follow(future: Future<T>, owned: boolean, keepData: boolean): void {
    // A factory that hands back the Future already followed must not get it cancelled by its own rerun.
    if (future === this.#current) return;
    this.detach();
    this.#current = future;
    this.#owned = owned;
    if (future.done()) {
      this.#apply(future, keepData);
      return;
    }
    const data = keepData ? this.#snapshot.data : undefined;
    this.#set({ status: 'pending', loading: true, data, error: undefined });
    future.addDoneCallback(this.#onDone);
  }

  #apply(future: Future<T>, keepData = true): void {
    const state = futureState(future);
    const outcome = futureOutcome(future);
    // The pending snapshot already holds whatever data the run keeps, so it is carried over from there.
    const data = keepData ? this.#snapshot.data : undefined;
    if (state === 1) this.#set({ status: 'fulfilled', loading: false, data: outcome as T, error: undefined });
    else if (state === 2) this.#set({ status: 'rejected', loading: false, data, error: outcome });
    else this.#set({ status: 'cancelled', loading: false, data, error: undefined });
  }

  #set(next: FutureSnapshot<T>): void {
    const current = this.#snapshot;
    if (
      current.status === next.status &&
      Object.is(current.data, next.data) &&
      Object.is(current.error, next.error)
    ) {
      return;
    }
    this.#snapshot = next;
    for (const listener of [...this.#listeners]) {
      try {
        listener();
      } catch (error) {
        logError('Exception in a FutureObserver listener', error);
      }
    }
  }
}

function reportCleanupFailure(future: Future<any>): void {
  if (futureState(future) === 2) {
    logError('A cancelled run failed while cleaning up', futureOutcome(future));
  }
}
