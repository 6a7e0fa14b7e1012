import { enqueue, setDrainRunner } from './done-queue.js';
import { CancelledError, InvalidStateError } from './errors.js';
import { logError } from './logger.js';
import { finalizationRegistry } from './platform.js';

const PENDING = 0;
const FULFILLED = 1;
const REJECTED = 2;
const CANCELLED = 3;
type State = typeof PENDING | typeof FULFILLED | typeof REJECTED | typeof CANCELLED;

const SCHEDULED = 1;
const OBSERVED = 2;
const TRACKED = 4;

const FUTURE_BRAND = Symbol.for('gust.Future');

/**
 * A callback that receives the Future once it is done.
 * @example
 * const log: DoneCallback<string> = (f) => console.log(f.result());
 * future.addDoneCallback(log);
 */
export type DoneCallback<T> = (future: Future<T>) => void;

/**
 * Options of the {@link Future} constructor.
 * @example
 * const timer = setTimeout(() => future.setResult('late'), 1000);
 * const future = new Future<string>({ onCancel: () => clearTimeout(timer) });
 */
export interface FutureOptions {
  /**
   * Called synchronously when `cancel()` moves this pending Future to cancelled, before any done callback
   * runs: the place to abort the work behind it (a request, a timer, a queued task).
   */
  onCancel?: () => void;
}

/**
 * React 19 `use()` reads these three fields; a cancelled Future reads as `'rejected'`.
 * @example
 * if (future.status === 'fulfilled') render(future.value);
 */
export type FutureStatus = 'pending' | 'fulfilled' | 'rejected';

// Exceptions that were never retrieved are reported when their Future is garbage-collected, as in Tornado
// and asyncio. Only rejected Futures without any observer are registered, so the common path pays nothing.
interface Unretrieved {
  error: unknown;
}
const Registry = finalizationRegistry();
const unretrieved = Registry
  ? new Registry<Unretrieved>((held) => {
      logError('Future exception was never retrieved', held.error);
    })
  : undefined;

/** @internal The Future's state without marking it observed: 0 pending, 1 fulfilled, 2 rejected, 3 cancelled. */
export let futureState: (future: Future<any>) => State;
/** @internal The value or error of a done Future, marking it observed; never throws. */
export let futureOutcome: (future: Future<any>) => unknown;
let resolveFuture: (future: Future<any>, value: unknown) => void;

function invoke<T>(callback: DoneCallback<T>, future: Future<T>): void {
  try {
    callback(future);
  } catch (error) {
    logError('Exception in callback of a Future', error);
  }
}

/**
 * A placeholder for a result that is not there yet: pending, then fulfilled, rejected or cancelled.
 * It is also a Promises/A+ thenable (`await future` works, `then` returns a Future), a React 19 `use()`able
 * (`status`, `value`, `reason`) and iterable, so that `const x = yield* future` types `x` in a coroutine.
 *
 * Done callbacks always run asynchronously, on a microtask, in registration order; use
 * {@link futureAddDoneCallback} for Tornado's run-now-if-done behaviour.
 *
 * @remarks Tornado: `tornado.concurrent.Future` (= `asyncio.Future`); gust adds Promise interop and
 * cancellation hooks (`onCancel`).
 * @example
 * const future = new Future<string>();
 * future.addDoneCallback((f) => console.log(f.result()));
 * future.setResult('hello');
 */
export class Future<T = unknown> implements PromiseLike<T>, Iterable<Future<T>> {
  #state: State = PENDING;
  #outcome: unknown;
  // One callback is stored as it is, more in an array: most Futures have exactly one observer.
  #callbacks: Entry | Entry[] | null = null;
  // Bit set: SCHEDULED (callbacks queued to run), OBSERVED (someone looked at the outcome), TRACKED
  // (registered for the never-retrieved report).
  #flags = 0;
  #onCancel: (() => void) | undefined;

  /** Creates a pending Future. */
  constructor(options?: FutureOptions) {
    this.#onCancel = options?.onCancel;
  }

  /** Brand for {@link isFuture}, shared by every copy of the package. */
  get [FUTURE_BRAND](): true {
    return true;
  }

  /** `'Future'`, for `Object.prototype.toString`. */
  get [Symbol.toStringTag](): string {
    return 'Future';
  }

  // ---- state -----------------------------------------------------------------------------------

  /** True once the Future is fulfilled, rejected or cancelled. */
  done(): boolean {
    return this.#state !== PENDING;
  }

  /** True if the Future was cancelled. */
  cancelled(): boolean {
    return this.#state === CANCELLED;
  }

  /**
   * The result. Throws the stored error if the Future was rejected, `CancelledError` if cancelled and
   * `InvalidStateError` if it is still pending.
   */
  result(): T {
    this.#markObserved();
    switch (this.#state) {
      case FULFILLED:
        return this.#outcome as T;
      case PENDING:
        throw pending();
      default:
        throw this.#outcome;
    }
  }

  /**
   * The error of a rejected Future, or `undefined` if it was fulfilled. Throws `CancelledError` if it was
   * cancelled and `InvalidStateError` if it is still pending.
   */
  exception(): unknown {
    if (this.#state !== REJECTED) {
      // result() throws for the pending and cancelled states, as this method must.
      this.result();
      return undefined;
    }
    this.#markObserved();
    return this.#outcome;
  }

  /** React 19 `use()` protocol: `'pending'`, `'fulfilled'` or `'rejected'` (also when cancelled). */
  get status(): FutureStatus {
    return this.#state === PENDING ? 'pending' : this.#state === FULFILLED ? 'fulfilled' : 'rejected';
  }

  /** The result once fulfilled, else `undefined`. For React 19 `use()`. */
  get value(): T | undefined {
    return this.#state === FULFILLED ? (this.#outcome as T) : undefined;
  }

  /** The error once rejected (a `CancelledError` once cancelled), else `undefined`. For React 19 `use()`. */
  get reason(): unknown {
    if (this.#state === REJECTED || this.#state === CANCELLED) {
      this.#markObserved();
      return this.#outcome;
    }
    return undefined;
  }

  // ---- settling --------------------------------------------------------------------------------

  /**
   * Fulfils the Future with `value` (a thenable is stored as it is, as in Tornado; use `Future.from` to
   * adopt one). Throws `InvalidStateError` if the Future is already done.
   */
  setResult(value: T): void {
    if (this.#state !== PENDING) throw invalidSettle(this, 'setResult');
    this.#settle(FULFILLED, value);
  }

  /** Rejects the Future with `error`. Throws `InvalidStateError` if the Future is already done. */
  setException(error: unknown): void {
    if (this.#state !== PENDING) throw invalidSettle(this, 'setException');
    this.#settle(REJECTED, error);
  }

  /**
   * Cancels a pending Future: it becomes cancelled, its `onCancel` hook runs, then its done callbacks.
   * @returns true if this call moved the Future to cancelled; false if it was already done.
   */
  cancel(): boolean {
    if (this.#state !== PENDING) return false;
    const onCancel = this.#onCancel;
    this.#settle(CANCELLED, new CancelledError());
    if (onCancel !== undefined) {
      try {
        onCancel();
      } catch (error) {
        logError('Exception in onCancel hook of a Future', error);
      }
    }
    return true;
  }

  #settle(state: State, outcome: unknown): void {
    this.#state = state;
    this.#outcome = outcome;
    this.#onCancel = undefined;
    if (this.#callbacks !== null) {
      this.#flags |= OBSERVED;
      this.#schedule();
    } else if (state === REJECTED && (this.#flags & OBSERVED) === 0 && unretrieved !== undefined) {
      this.#flags |= TRACKED;
      unretrieved.register(this, { error: outcome }, this);
    }
  }

  #markObserved(): void {
    const flags = this.#flags;
    if ((flags & OBSERVED) !== 0) return;
    this.#flags = flags | OBSERVED;
    if ((flags & TRACKED) !== 0) {
      this.#flags &= ~TRACKED;
      unretrieved?.unregister(this);
    }
  }

  // ---- callbacks -------------------------------------------------------------------------------

  /**
   * Calls `callback(future)` once the Future is done: always on a later microtask, also when the Future is
   * already done, in registration order. A throwing callback is logged and the others still run.
   */
  addDoneCallback(callback: DoneCallback<T>): void {
    this.#addEntry(callback);
  }

  #addEntry(entry: Entry): void {
    this.#markObserved();
    const callbacks = this.#callbacks;
    if (callbacks === null) this.#callbacks = entry;
    else if (Array.isArray(callbacks)) callbacks.push(entry);
    else this.#callbacks = [callbacks, entry];
    if (this.#state !== PENDING) this.#schedule();
  }

  /**
   * Removes every registration of `callback` that has not run yet.
   * @returns how many registrations were removed.
   */
  removeDoneCallback(callback: DoneCallback<T>): number {
    const callbacks = this.#callbacks;
    if (callbacks === null) return 0;
    if (!Array.isArray(callbacks)) {
      if (callbacks !== callback) return 0;
      this.#callbacks = null;
      return 1;
    }
    let removed = 0;
    for (let i = callbacks.length - 1; i >= 0; i--) {
      if (callbacks[i] === callback) {
        callbacks.splice(i, 1);
        removed++;
      }
    }
    return removed;
  }

  #schedule(): void {
    if ((this.#flags & SCHEDULED) !== 0) return;
    this.#flags |= SCHEDULED;
    enqueue(this);
  }

  #runCallbacks(): void {
    this.#flags &= ~SCHEDULED;
    const callbacks = this.#callbacks;
    this.#callbacks = null;
    if (callbacks === null) return;
    if (!Array.isArray(callbacks)) {
      this.#runEntry(callbacks);
      return;
    }
    for (let i = 0; i < callbacks.length; i++) this.#runEntry(callbacks[i] as Entry);
  }

  #runEntry(entry: Entry): void {
    if (typeof entry === 'function') {
      invoke(entry, this);
      return;
    }
    // A then() reaction (Promises/A+ 2.2.7).
    const derived = entry.d;
    const fulfilled = this.#state === FULFILLED;
    const handler = fulfilled ? entry.f : entry.r;
    if (typeof handler !== 'function') {
      derived.#settleIfPending(fulfilled ? FULFILLED : REJECTED, this.#outcome);
      return;
    }
    let next: unknown;
    try {
      next = handler(this.#outcome);
    } catch (error) {
      derived.#settleIfPending(REJECTED, error);
      return;
    }
    resolveFuture(derived, next);
  }

  // ---- Promise interop -------------------------------------------------------------------------

  /**
   * Promises/A+ `then`: handlers run on a later microtask; returns a new Future that adopts what the
   * handler returns. A cancelled Future calls `onRejected` with a `CancelledError`.
   */
  // biome-ignore lint/suspicious/noThenProperty: a Future is a thenable on purpose.
  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: any) => R2 | PromiseLike<R2>) | null,
  ): Future<R1 | R2> {
    const derived = new Future<R1 | R2>();
    this.#addEntry({ d: derived, f: onFulfilled, r: onRejected });
    return derived;
  }

  /** Promise `catch`: `then(undefined, onRejected)`. */
  catch<R = never>(onRejected?: ((reason: any) => R | PromiseLike<R>) | null): Future<T | R> {
    return this.then(undefined, onRejected);
  }

  /** Promise `finally`: runs `onFinally` and passes the outcome through (unless `onFinally` throws). */
  finally(onFinally?: (() => unknown) | null): Future<T> {
    if (typeof onFinally !== 'function') return this.then();
    return this.then(
      (value) => Future.from(onFinally()).then(() => value),
      (reason) =>
        Future.from(onFinally()).then(() => {
          throw reason;
        }),
    );
  }

  #settleIfPending(state: State, outcome: unknown): void {
    if (this.#state === PENDING) this.#settle(state, outcome);
  }

  /**
   * Makes `yield* future` in a coroutine evaluate to the Future's result, typed `T`.
   * @example
   * const response = yield* client.fetch(url); // response: HTTPResponse
   */
  *[Symbol.iterator](): Generator<Future<T>, T, any> {
    // Yields this Future once to the coroutine runner, which sends back its result (or throws its error
    // in); the result becomes the value of the `yield*` expression.
    return yield this;
  }

  // ---- constructors ----------------------------------------------------------------------------

  /**
   * A Future for any value or thenable: a gust Future is returned as it is, a thenable is adopted, any
   * other value gives a fulfilled Future.
   * @example
   * const response = yield* Future.from(fetch(url));
   */
  static from<V>(value: V | PromiseLike<V>): Future<V> {
    if (isFuture<V>(value)) return value;
    const future = new Future<V>();
    resolveFuture(future, value);
    return future;
  }

  /** A Future fulfilled with `value`, or adopting it if it is a thenable. Like `Promise.resolve`. */
  static resolve(): Future<void>;
  static resolve<V>(value: V | PromiseLike<V>): Future<Awaited<V>>;
  static resolve<V>(value?: V | PromiseLike<V>): Future<any> {
    return Future.from(value);
  }

  /** A Future rejected with `error`. Like `Promise.reject`. */
  static reject<V = never>(error: unknown): Future<V> {
    const future = new Future<V>();
    future.#settle(REJECTED, error);
    return future;
  }

  // The module's internal access to private state: the done queue's runner, futureState, futureOutcome and
  // the resolution procedure.
  static {
    setDrainRunner((future) => future.#runCallbacks());
    futureState = (future) => future.#state;
    futureOutcome = (future) => {
      future.#markObserved();
      return future.#outcome;
    };
    resolveFuture = (future, value) => {
      // Promises/A+ 2.3: the resolution procedure. Plain values first: they are the common case.
      if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
        future.#settleIfPending(FULFILLED, value);
        return;
      }
      if (value === future) {
        future.#settleIfPending(REJECTED, new TypeError('A Future cannot be resolved with itself'));
        return;
      }
      if (value instanceof Future) {
        const source = value;
        if (source.#state !== PENDING) {
          source.#markObserved();
          future.#settleIfPending(source.#state === FULFILLED ? FULFILLED : REJECTED, source.#outcome);
        } else {
          source.addDoneCallback((done) =>
            future.#settleIfPending(done.#state === FULFILLED ? FULFILLED : REJECTED, done.#outcome),
          );
        }
        return;
      }
      let then: unknown;
      try {
        then = (value as { then?: unknown }).then;
      } catch (error) {
        future.#settleIfPending(REJECTED, error);
        return;
      }
      if (typeof then !== 'function') {
        future.#settleIfPending(FULFILLED, value);
        return;
      }
      let called = false;
      try {
        then.call(
          value,
          (inner: unknown) => {
            if (called) return;
            called = true;
            resolveFuture(future, inner);
          },
          (error: unknown) => {
            if (called) return;
            called = true;
            future.#settleIfPending(REJECTED, error);
          },
        );
      } catch (error) {
        if (!called) {
          called = true;
          future.#settleIfPending(REJECTED, error);
        }
      }
    };
  }
}

// A pending then(): the Future it returns and its two handlers (a plain record: one shape for all).
interface Reaction {
  d: Future<any>;
  f: ((value: any) => unknown) | null | undefined;
  r: ((reason: any) => unknown) | null | undefined;
}

type Entry = DoneCallback<any> | Reaction;

function invalidSettle(future: Future<any>, method: string): InvalidStateError {
  return new InvalidStateError(
    `${method}() on a ${future.cancelled() ? 'cancelled' : 'done'} Future (see futureSetResultUnlessCancelled)`,
  );
}

function pending(): InvalidStateError {
  return new InvalidStateError('The Future is still pending: its result is not ready');
}

/**
 * True for a gust {@link Future}, also one created by another copy of the package.
 * Tornado: `tornado.concurrent.is_future`.
 * @example
 * const future = isFuture(value) ? value : Future.from(value);
 */
export function isFuture<T = unknown>(value: unknown): value is Future<T> {
  return (
    value instanceof Future ||
    (typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[FUTURE_BRAND] === true)
  );
}

/** @internal Runs the Promises/A+ resolution procedure of `value` into `future`. */
export function resolveInto(future: Future<any>, value: unknown): void {
  resolveFuture(future, value);
}
