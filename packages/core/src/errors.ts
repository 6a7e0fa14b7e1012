/**
 * The error tree of gust. Every class sets a stable `name`, passes `cause` through, and carries a brand
 * (`Symbol.for('gust.<Name>')`) so that the `isXError()` guards agree across duplicate installs of the
 * package, where `instanceof` would not.
 *
 * @module
 */

const brands = new WeakMap<Function, symbol>();

function brandOf(ctor: Function): symbol | undefined {
  return brands.get(ctor);
}

function makeGuard<T>(name: string): (value: unknown) => value is T {
  const brand = Symbol.for(`gust.${name}`);
  return (value: unknown): value is T =>
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

function brand(ctor: Function, name: string): void {
  const symbol = Symbol.for(`gust.${name}`);
  brands.set(ctor, symbol);
  Object.defineProperty(ctor.prototype, symbol, { value: true });
}

/** Options accepted by every gust error: the underlying `cause`, kept as in `Error`. */
export interface GustErrorOptions {
  cause?: unknown;
}

/**
 * Base class of every error that gust throws. Catch it to tell gust's errors from your own.
 * @example
 * try { future.result(); } catch (e) { if (isGustError(e)) console.log(e.name); }
 */
export class GustError extends Error {
  override name = 'GustError';
  constructor(message?: string, options?: GustErrorOptions) {
    super(message, options);
  }
}
brand(GustError, 'GustError');

/**
 * The operation was cancelled: raised by `Future.result()` on a cancelled Future, and thrown by `await`
 * on one. Tornado: `asyncio.CancelledError`.
 */
export class CancelledError extends GustError {
  override name = 'CancelledError';
  constructor(message = 'The operation was cancelled', options?: GustErrorOptions) {
    super(message, options);
  }
}
brand(CancelledError, 'CancelledError');

/**
 * An operation is not allowed in the Future's current state: reading the result of a pending Future, or
 * settling a Future twice. Tornado: `asyncio.InvalidStateError`.
 */
export class InvalidStateError extends GustError {
  override name = 'InvalidStateError';
}
brand(InvalidStateError, 'InvalidStateError');

/**
 * A deadline passed: raised by `withTimeout`, lock and queue waits with a timeout, and `runSync`.
 * Tornado: `tornado.util.TimeoutError` (= `asyncio.TimeoutError`).
 */
export class TimeoutError extends GustError {
  override name = 'TimeoutError';
  constructor(message = 'Timeout', options?: GustErrorOptions) {
    super(message, options);
  }
}
brand(TimeoutError, 'TimeoutError');

/**
 * A coroutine yielded something the runner cannot wait on. It is thrown into the generator at the
 * `yield`. Tornado: `tornado.gen.BadYieldError`.
 */
export class BadYieldError extends GustError {
  override name = 'BadYieldError';
}
brand(BadYieldError, 'BadYieldError');

/** `Queue.getNowait()` found the queue empty. Tornado: `tornado.queues.QueueEmpty`. */
export class QueueEmpty extends GustError {
  override name = 'QueueEmpty';
  constructor(message = 'The queue is empty', options?: GustErrorOptions) {
    super(message, options);
  }
}
brand(QueueEmpty, 'QueueEmpty');

/** `Queue.putNowait()` found the queue full. Tornado: `tornado.queues.QueueFull`. */
export class QueueFull extends GustError {
  override name = 'QueueFull';
  constructor(message = 'The queue is full', options?: GustErrorOptions) {
    super(message, options);
  }
}
brand(QueueFull, 'QueueFull');

/** True for any error thrown by gust, from any copy of the package. */
export const isGustError = makeGuard<GustError>('GustError');
/** True for a {@link CancelledError} from any copy of the package. */
export const isCancelledError = makeGuard<CancelledError>('CancelledError');
/** True for an {@link InvalidStateError} from any copy of the package. */
export const isInvalidStateError = makeGuard<InvalidStateError>('InvalidStateError');
/** True for a {@link TimeoutError} from any copy of the package. */
export const isTimeoutError = makeGuard<TimeoutError>('TimeoutError');
/** True for a {@link BadYieldError} from any copy of the package. */
export const isBadYieldError = makeGuard<BadYieldError>('BadYieldError');
/** True for a {@link QueueEmpty} error from any copy of the package. */
export const isQueueEmptyError = makeGuard<QueueEmpty>('QueueEmpty');
/** True for a {@link QueueFull} error from any copy of the package. */
export const isQueueFullError = makeGuard<QueueFull>('QueueFull');

/** @internal Brands a subclass defined elsewhere in gust (HTTP errors) and returns its guard. */
export function defineErrorBrand<T>(ctor: Function, name: string): (value: unknown) => value is T {
  brand(ctor, name);
  return makeGuard<T>(name);
}

/** @internal */
export { brandOf };
