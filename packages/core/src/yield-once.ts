import type { Future } from './future.js';

// The iterator behind `yield* future`: yields the Future once to the coroutine runner, which sends back
// the result (or throws the error in), and returns it as the value of the `yield*` expression.
/** @internal */
export class YieldOnce<T> implements Iterator<Future<T>, T, any> {
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
