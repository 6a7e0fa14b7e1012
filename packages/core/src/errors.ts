/**
 * The error tree of gust. Every class sets a stable `name`, passes `cause` through, and carries a brand
 * (`Symbol.for('gust.<Name>')`) so that the `isXError()` guards agree across duplicate installs of the
 * package, where `instanceof` would not.
 *
 * @module
 */

// Module-level code here is side-effect free (no calls at the top level, guards built by pure calls), so
// that bundlers drop the error classes an application does not use: every Future imports this module.
function makeGuard<T>(name: string): (value: unknown) => value is T {
  const brand = Symbol.for(`gust.${name}`);
  return (value: unknown): value is T =>
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

// The classes of this module brand each instance from their constructor rather than their prototype
// once at load time, which would be a top-level call that keeps every class in every bundle. Each
// constructor calls it right after its own `name` field is set, so `error.name` is that class's name.
function brandInstance(error: GustError): void {
  Object.defineProperty(error, Symbol.for(`gust.${error.name}`), { value: true });
}

function brand(ctor: Function, name: string): void {
  Object.defineProperty(ctor.prototype, Symbol.for(`gust.${name}`), { value: true });
}

/**
 * Options accepted by every gust error.
 * @example
 * throw new TimeoutError('no answer within 5000 ms', { cause: lastError });
 */
export interface GustErrorOptions {
  /** The underlying error, kept as `error.cause` (as in `Error`). */
  cause?: unknown;
}

/**
 * Base class of every error that gust throws. Catch it to tell gust's errors from your own.
 * @example
 * try { future.result(); } catch (e) { if (isGustError(e)) console.log(e.name); }
 */
export class GustError extends Error {
  /** The class name, stable across minification: `'GustError'`. */
  override name = 'GustError';
  constructor(message?: string, options?: GustErrorOptions) {
    super(message, options);
    brandInstance(this);
  }
}

/**
 * The operation was cancelled: raised by `Future.result()` on a cancelled Future, and thrown by `await`
 * on one. Tornado: `asyncio.CancelledError`.
 * @example
 * const future = new Future<number>();
 * future.cancel();
 * future.result(); // throws CancelledError: The operation was cancelled
 */
export class CancelledError extends GustError {
  /** `'CancelledError'`. */
  override name = 'CancelledError';
  constructor(message = 'The operation was cancelled', options?: GustErrorOptions) {
    super(message, options);
    brandInstance(this);
  }
}

/**
 * An operation is not allowed in the Future's current state: reading the result of a pending Future, or
 * settling a Future twice. Tornado: `asyncio.InvalidStateError`.
 * @example
 * new Future<number>().result(); // InvalidStateError: Result is not ready: the Future is still pending
 */
export class InvalidStateError extends GustError {
  /** `'InvalidStateError'`. */
  override name = 'InvalidStateError';
  constructor(message?: string, options?: GustErrorOptions) {
    super(message, options);
    brandInstance(this);
  }
}

/**
 * A deadline passed: raised by `withTimeout`, lock and queue waits with a timeout, and `runSync`.
 * Tornado: `tornado.util.TimeoutError` (= `asyncio.TimeoutError`).
 * @example
 * try {
 *   yield* withTimeout(1000, queue.get());
 * } catch (e) {
 *   if (!isTimeoutError(e)) throw e;
 * }
 */
export class TimeoutError extends GustError {
  /** `'TimeoutError'`. */
  override name = 'TimeoutError';
  constructor(message = 'Timeout', options?: GustErrorOptions) {
    super(message, options);
    brandInstance(this);
  }
}

/**
 * A coroutine yielded something the runner cannot wait on. It is thrown into the generator at the
 * `yield`. Tornado: `tornado.gen.BadYieldError`.
 * @example
 * coroutine(function* () {
 *   yield 42; // BadYieldError: yielded unknown object 42: yield a Future, a promise, ...
 * })();
 */
export class BadYieldError extends GustError {
  /** `'BadYieldError'`. */
  override name = 'BadYieldError';
  constructor(message?: string, options?: GustErrorOptions) {
    super(message, options);
    brandInstance(this);
  }
}

/**
 * `Queue.getNowait()` found the queue empty. Tornado: `tornado.queues.QueueEmpty`.
 * @example
 * try { item = queue.getNowait(); } catch (e) { if (!isQueueEmptyError(e)) throw e; }
 */
export class QueueEmpty extends GustError {
  /** `'QueueEmpty'`. */
  override name = 'QueueEmpty';
  constructor(message = 'The queue is empty', options?: GustErrorOptions) {
    super(message, options);
    brandInstance(this);
  }
}

/**
 * `Queue.putNowait()` found the queue full. Tornado: `tornado.queues.QueueFull`.
 * @example
 * try { queue.putNowait(item); } catch (e) { if (isQueueFullError(e)) dropped++; else throw e; }
 */
export class QueueFull extends GustError {
  /** `'QueueFull'`. */
  override name = 'QueueFull';
  constructor(message = 'The queue is full', options?: GustErrorOptions) {
    super(message, options);
    brandInstance(this);
  }
}

/**
 * True for any error thrown by gust, from any copy of the package.
 * @example
 * if (isGustError(error)) logger.warn(error.name, error.message);
 */
export const isGustError = /* @__PURE__ */ makeGuard<GustError>('GustError');
/**
 * True for a {@link CancelledError} from any copy of the package.
 * @example
 * future.catch((e) => { if (!isCancelledError(e)) throw e; });
 */
export const isCancelledError = /* @__PURE__ */ makeGuard<CancelledError>('CancelledError');
/**
 * True for an {@link InvalidStateError} from any copy of the package.
 * @example
 * try { future.setResult(1); } catch (e) { if (!isInvalidStateError(e)) throw e; }
 */
export const isInvalidStateError = /* @__PURE__ */ makeGuard<InvalidStateError>('InvalidStateError');
/**
 * True for a {@link TimeoutError} from any copy of the package.
 * @example
 * try { yield* withTimeout(500, event.wait()); } catch (e) { if (!isTimeoutError(e)) throw e; }
 */
export const isTimeoutError = /* @__PURE__ */ makeGuard<TimeoutError>('TimeoutError');
/**
 * True for a {@link BadYieldError} from any copy of the package.
 * @example
 * future.catch((e) => { if (isBadYieldError(e)) console.error('a coroutine yielded a non-yieldable'); });
 */
export const isBadYieldError = /* @__PURE__ */ makeGuard<BadYieldError>('BadYieldError');
/**
 * True for a {@link QueueEmpty} error from any copy of the package.
 * @example
 * try { queue.getNowait(); } catch (e) { if (!isQueueEmptyError(e)) throw e; }
 */
export const isQueueEmptyError = /* @__PURE__ */ makeGuard<QueueEmpty>('QueueEmpty');
/**
 * True for a {@link QueueFull} error from any copy of the package.
 * @example
 * try { queue.putNowait(item); } catch (e) { if (!isQueueFullError(e)) throw e; }
 */
export const isQueueFullError = /* @__PURE__ */ makeGuard<QueueFull>('QueueFull');

/** @internal Brands a subclass defined elsewhere in gust (HTTP errors) and returns its guard. */
export function defineErrorBrand<T>(ctor: Function, name: string): (value: unknown) => value is T {
  brand(ctor, name);
  return makeGuard<T>(name);
}
