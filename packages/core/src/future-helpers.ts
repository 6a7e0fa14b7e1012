import { type DoneCallback, type Future, futureOutcome, futureState } from './future.js';
import { logError } from './logger.js';

/**
 * Sets the result unless the Future was cancelled in the meantime; never throws for a cancelled Future.
 * Tornado: `tornado.concurrent.future_set_result_unless_cancelled`.
 * @example
 * setTimeout(() => futureSetResultUnlessCancelled(future, 42), 100); // harmless if future was cancelled
 */
export function futureSetResultUnlessCancelled<T>(future: Future<T>, value: T): void {
  if (!future.cancelled()) future.setResult(value);
}

/**
 * Sets the exception unless the Future was cancelled; an exception that arrives after cancellation is
 * logged instead of lost. Tornado: `tornado.concurrent.future_set_exception_unless_cancelled`.
 * @example
 * socket.on('error', (error) => futureSetExceptionUnlessCancelled(future, error));
 */
export function futureSetExceptionUnlessCancelled(future: Future<any>, error: unknown): void {
  if (!future.cancelled()) future.setException(error);
  else logError('Exception after Future was cancelled', error);
}

/**
 * Runs `callback(future)` now if the Future is done, else when it is done (asynchronously).
 * Tornado: `tornado.concurrent.future_add_done_callback`.
 * @example
 * futureAddDoneCallback(future, (f) => console.log('done', f.cancelled())); // now if already done
 */
export function futureAddDoneCallback<T>(future: Future<T>, callback: DoneCallback<T>): void {
  if (future.done()) callback(future);
  else future.addDoneCallback(callback);
}

/**
 * Copies the outcome of `a` to `b` once `a` is done, unless `b` is already done (e.g. cancelled).
 * Tornado: `tornado.concurrent.chain_future`.
 * @example
 * const outer = new Future<HTTPResponse>();
 * chainFuture(client.fetch(url), outer); // outer gets the fetch's result, error or cancellation
 */
export function chainFuture<T>(a: Future<T>, b: Future<T>): void {
  futureAddDoneCallback(a, (done) => {
    if (b.done()) return;
    const state = futureState(done);
    const outcome = futureOutcome(done);
    if (state === 1) b.setResult(outcome as T);
    else if (state === 2) b.setException(outcome);
    else b.cancel();
  });
}
