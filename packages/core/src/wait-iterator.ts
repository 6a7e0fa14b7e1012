import { InvalidStateError } from './errors.js';
import { Future, futureOutcome, futureState, isFuture } from './future.js';

/**
 * Iterates over Futures in the order they finish. `next()` returns a Future of the next finished one's
 * result (rejected with its error); `currentIndex` and `currentFuture` then say which input it was (its
 * array index or object key). Also `for await (const result of new WaitIterator(...))`.
 * @remarks Tornado: `tornado.gen.WaitIterator` (`current_index`, `current_future`).
 * @example
 * const it = new WaitIterator([fetchA, fetchB]);
 * while (!it.done()) {
 *   try { const r = yield it.next(); console.log(it.currentIndex, r); } catch (e) { console.error(e); }
 * }
 */
export class WaitIterator<T = unknown> implements AsyncIterable<T> {
  /** The index or key of the input that the last `next()` reported; `undefined` before the first. */
  currentIndex: number | string | undefined = undefined;
  /** The input Future that the last `next()` reported. */
  currentFuture: Future<T> | undefined = undefined;
  #keys: Array<number | string>;
  #futures: Array<Future<T>>;
  #finished: number[] = [];
  #waiting: Future<T> | undefined;
  #delivered = 0;

  constructor(
    futures: ReadonlyArray<Future<T> | PromiseLike<T>> | Readonly<Record<string, Future<T> | PromiseLike<T>>>,
  ) {
    const entries: Array<[number | string, Future<T> | PromiseLike<T>]> = Array.isArray(futures)
      ? futures.map((f, i) => [i, f])
      : Object.entries(futures);
    this.#keys = entries.map(([k]) => k);
    this.#futures = entries.map(([, f]) => (isFuture<T>(f) ? f : Future.from(f)));
    this.#futures.forEach((future, i) => {
      future.addDoneCallback(() => this.#onDone(i));
    });
  }

  /** True once every input has been reported by `next()`. */
  done(): boolean {
    return this.#delivered >= this.#futures.length;
  }

  /**
   * A Future of the next input to finish: fulfilled with its result or rejected with its error.
   * @throws InvalidStateError if called again before the previous `next()` Future is done, or when done.
   */
  next(): Future<T> {
    if (this.done()) throw new InvalidStateError('WaitIterator is done: every Future was already returned');
    if (this.#waiting !== undefined && !this.#waiting.done()) {
      throw new InvalidStateError('WaitIterator.next() called before the previous next() Future was done');
    }
    const waiting = new Future<T>();
    this.#waiting = waiting;
    if (this.#finished.length > 0) this.#deliver(this.#finished.shift() as number);
    return waiting;
  }

  #onDone(index: number): void {
    const waiting = this.#waiting;
    if (waiting !== undefined && !waiting.done()) this.#deliver(index);
    else this.#finished.push(index);
  }

  #deliver(index: number): void {
    const waiting = this.#waiting as Future<T>;
    const future = this.#futures[index] as Future<T>;
    this.#delivered++;
    this.currentIndex = this.#keys[index];
    this.currentFuture = future;
    const state = futureState(future);
    const outcome = futureOutcome(future);
    if (state === 1) waiting.setResult(outcome as T);
    else waiting.setException(outcome);
  }

  /** Yields each result in completion order; a rejected input throws out of the loop. */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    while (!this.done()) yield await this.next();
  }
}
