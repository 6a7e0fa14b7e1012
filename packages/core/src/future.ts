import { CancelledError, InvalidStateError } from './errors.js';
import { logger } from './logger.js';
import { finalizationRegistry, scheduleMicrotask } from './platform.js';

const PENDING = 0;
const FULFILLED = 1;
const REJECTED = 2;
const CANCELLED = 3;
type State = typeof PENDING | typeof FULFILLED | typeof REJECTED | typeof CANCELLED;

const SCHEDULED = 1;
const OBSERVED = 2;
const TRACKED = 4;

const FUTURE_BRAND = Symbol.for('gust.Future');

/** A callback that receives the Future once it is done. */
export type DoneCallback<T> = (future: Future<T>) => void;

/** Options of the {@link Future} constructor. */
export interface FutureOptions {
  /**
   * Called synchronously when `cancel()` moves this pending Future to cancelled, before any done callback
   * runs: the place to abort the work behind it (a request, a timer, a queued task).
   */
  onCancel?: () => void;
}

/** React 19 `use()` reads these three fields; a cancelled Future reads as `'rejected'`. */
export type FutureStatus = 'pending' | 'fulfilled' | 'rejected';

// Exceptions that were never retrieved are reported when their Future is garbage-collected, as in Tornado
// and asyncio. Only rejected Futures without any observer are registered, so the common path pays nothing.
interface Unretrieved {
  error: unknown;
}
const Registry = finalizationRegistry();
const unretrieved = Registry
  ? new Registry<Unretrieved>((held) => {
      logger.error('Future exception was never retrieved', held.error);
    })
  : undefined;

let getState: (future: Future<any>) => State;
let getOutcome: (future: Future<any>) => unknown;
let resolveFuture: (future: Future<any>, value: unknown) => void;
let runCallbacksOf: (future: Future<any>) => void;

// Done callbacks of all Futures run from one FIFO queue drained in a single microtask, instead of one
// microtask per Future: this halves the cost of settling a Future with observers. Order is the order in
// which Futures became ready (and callbacks were added), as with one microtask each.
let readyQueue: Array<Future<any>> = [];
let drainScheduled = false;

function enqueue(future: Future<any>): void {
  readyQueue.push(future);
  if (!drainScheduled) {
    drainScheduled = true;
    scheduleMicrotask(drain);
  }
}

function drain(): void {
  // Futures made ready while draining join this same drain, like microtasks queued by microtasks. The
  // queue is compacted every 1024 entries so that a long then-chain does not grow it without bound.
  let queue = readyQueue;
  let i = 0;
  while (i < queue.length) {
    const future = queue[i] as Future<any>;
    i++;
    runCallbacksOf(future);
    if (i === 1024) {
      queue = readyQueue = queue.slice(i);
      i = 0;
    }
  }
  readyQueue = [];
  drainScheduled = false;
}

function invoke<T>(callback: DoneCallback<T>, future: Future<T>): void {
  try {
    callback(future);
  } catch (error) {
    logger.error('Exception in callback of a Future', error);
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
  #outcome: unknown = undefined;
  // One callback is stored as it is, more in an array: most Futures have exactly one observer.
  #callbacks: Entry | Entry[] | null = null;
  // Bit set: SCHEDULED (callbacks queued to run), OBSERVED (someone looked at the outcome), TRACKED
  // (registered for the never-retrieved report).
  #flags = 0;
  #onCancel: (() => void) | undefined;

  static {
    runCallbacksOf = (future) => future.#runCallbacks();
    getState = (future) => future.#state;
    getOutcome = (future) => {
      future.#markObserved();
      return future.#outcome;
    };
  }

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
        throw new InvalidStateError('Result is not ready: the Future is still pending');
      default:
        throw this.#outcome;
    }
  }

  /**
   * The error of a rejected Future, or `undefined` if it was fulfilled. Throws `CancelledError` if it was
   * cancelled and `InvalidStateError` if it is still pending.
   */
  exception(): unknown {
    this.#markObserved();
    switch (this.#state) {
      case FULFILLED:
        return undefined;
      case REJECTED:
        return this.#outcome;
      case CANCELLED:
        throw this.#outcome;
      default:
        throw new InvalidStateError('Exception is not set: the Future is still pending');
    }
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
        logger.error('Exception in onCancel hook of a Future', error);
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
    const derived = entry.derived;
    const fulfilled = this.#state === FULFILLED;
    const handler = fulfilled ? entry.onFulfilled : entry.onRejected;
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
    this.#addEntry(new Reaction(derived, onFulfilled, onRejected));
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
  [Symbol.iterator](): Iterator<Future<T>, T, any> {
    return new YieldOnce(this);
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

  static {
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

// A pending then(): the Future it returns and its two handlers.
class Reaction {
  constructor(
    readonly derived: Future<any>,
    readonly onFulfilled: ((value: any) => unknown) | null | undefined,
    readonly onRejected: ((reason: any) => unknown) | null | undefined,
  ) {}
}

type Entry = DoneCallback<any> | Reaction;

// The iterator behind `yield* future`: yields the Future once to the coroutine runner, which sends back
// the result (or throws the error in), and returns it as the value of the `yield*` expression.
class YieldOnce<T> implements Iterator<Future<T>, T, any> {
  #future: Future<T> | undefined;
  constructor(future: Future<T>) {
    this.#future = future;
  }
  next(value?: any): IteratorResult<Future<T>, T> {
    const future = this.#future;
    if (future !== undefined) {
      this.#future = undefined;
      return { done: false, value: future };
    }
    return { done: true, value: value as T };
  }
  throw(error?: unknown): IteratorResult<Future<T>, T> {
    throw error;
  }
  return(value?: any): IteratorResult<Future<T>, T> {
    return { done: true, value: value as T };
  }
}

function invalidSettle(future: Future<any>, method: string): InvalidStateError {
  const state = future.cancelled() ? 'cancelled' : 'already done';
  return new InvalidStateError(
    `${method}() called on a Future that is ${state}; use futureSetResultUnlessCancelled / ` +
      'futureSetExceptionUnlessCancelled when cancellation may race with completion',
  );
}

/**
 * True for a gust {@link Future}, also one created by another copy of the package.
 * Tornado: `tornado.concurrent.is_future`.
 */
export function isFuture<T = unknown>(value: unknown): value is Future<T> {
  return (
    value instanceof Future ||
    (typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[FUTURE_BRAND] === true)
  );
}

/** @internal The Future's state without marking it observed: 0 pending, 1 fulfilled, 2 rejected, 3 cancelled. */
export function futureState(future: Future<any>): State {
  return getState(future);
}

/** @internal The value or error of a done Future, marking it observed; never throws. */
export function futureOutcome(future: Future<any>): unknown {
  return getOutcome(future);
}

/** @internal Runs the Promises/A+ resolution procedure of `value` into `future`. */
export function resolveInto(future: Future<any>, value: unknown): void {
  resolveFuture(future, value);
}

/**
 * Sets the result unless the Future was cancelled in the meantime; never throws for a cancelled Future.
 * Tornado: `tornado.concurrent.future_set_result_unless_cancelled`.
 */
export function futureSetResultUnlessCancelled<T>(future: Future<T>, value: T): void {
  if (!future.cancelled()) future.setResult(value);
}

/**
 * Sets the exception unless the Future was cancelled; an exception that arrives after cancellation is
 * logged instead of lost. Tornado: `tornado.concurrent.future_set_exception_unless_cancelled`.
 */
export function futureSetExceptionUnlessCancelled(future: Future<any>, error: unknown): void {
  if (!future.cancelled()) future.setException(error);
  else logger.error('Exception after Future was cancelled', error);
}

/**
 * Runs `callback(future)` now if the Future is done, else when it is done (asynchronously).
 * Tornado: `tornado.concurrent.future_add_done_callback`.
 */
export function futureAddDoneCallback<T>(future: Future<T>, callback: DoneCallback<T>): void {
  if (future.done()) callback(future);
  else future.addDoneCallback(callback);
}

/**
 * Copies the outcome of `a` to `b` once `a` is done, unless `b` is already done (e.g. cancelled).
 * Tornado: `tornado.concurrent.chain_future`.
 */
export function chainFuture<T>(a: Future<T>, b: Future<T>): void {
  futureAddDoneCallback(a, (done) => {
    if (b.done()) return;
    const state = getState(done);
    const outcome = getOutcome(done);
    if (state === FULFILLED) b.setResult(outcome as T);
    else if (state === REJECTED) b.setException(outcome);
    else b.cancel();
  });
}
