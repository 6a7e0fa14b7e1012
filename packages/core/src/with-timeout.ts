import { TimeoutError } from './errors.js';
import { Future, futureOutcome, futureState, isFuture } from './future.js';
import { logError } from './logger.js';
import { currentLoop, type Timeout, timeoutToDelay } from './loop.js';
import { isQuiet, type QuietExceptions } from './multi.js';

/**
 * Options of {@link withTimeout}.
 * @example
 * yield withTimeout(5000, client.fetch(url), { cancel: true, quietExceptions: HTTPClientError });
 */
export interface WithTimeoutOptions {
  /** A late failure of the wrapped Future of these types is not logged. @default none */
  quietExceptions?: QuietExceptions;
  /** Cancel the wrapped Future when the timeout fires (Tornado does not). @default false */
  cancel?: boolean;
}

/**
 * Wraps `future` in a Future that fails with `TimeoutError` if it is not done within `timeout`
 * (milliseconds, or `{ deadline }` on the loop's `time()` scale). As in Tornado the wrapped Future is left
 * running unless `{ cancel: true }`; if it fails later, that failure is logged (unless quiet). Cancelling
 * the returned Future cancels the wrapped one and clears the timer.
 * @remarks Tornado: `tornado.gen.with_timeout(timeout, future)`; the timeout comes first there too, but is
 * in seconds (or a `timedelta`).
 * @example
 * const response = yield withTimeout(5000, client.fetch(url));
 */
export function withTimeout<T>(
  timeout: Timeout,
  future: Future<T> | PromiseLike<T>,
  options?: WithTimeoutOptions,
): Future<T> {
  const loop = currentLoop();
  const delay = timeoutToDelay(timeout, loop);
  const inner: Future<T> = isFuture<T>(future) ? future : Future.from(future);
  const result = new Future<T>({
    onCancel: () => {
      loop.cancelTimer(timer);
      inner.cancel();
    },
  });
  const timer = loop.callLater(delay, () => {
    if (result.done()) return;
    result.setException(new TimeoutError(`Timeout after ${Math.round(delay)} ms`));
    if (options?.cancel === true) {
      inner.cancel();
    } else {
      inner.addDoneCallback((late) => {
        if (futureState(late) !== 2) return;
        const error = futureOutcome(late);
        if (!isQuiet(error, options?.quietExceptions)) logError('Exception in Future after timeout', error);
      });
    }
  });
  inner.addDoneCallback((done) => {
    if (result.done()) return;
    loop.cancelTimer(timer);
    const state = futureState(done);
    if (state === 1) result.setResult(futureOutcome(done) as T);
    else if (state === 2) result.setException(futureOutcome(done));
    else result.cancel();
  });
  return result;
}
