import { InvalidStateError } from './errors.js';
import { Future } from './future.js';
import type { Timeout } from './loop.js';
import { createReleaser, type GuardedBody, type Releaser, withReleaser } from './releaser.js';
import { checkTimeout, WaiterQueue } from './waiter.js';

let counterOf: (semaphore: Semaphore) => number;

/**
 * A counter of permits for coroutines: `acquire()` takes one, waiting in line (FIFO) while there are none
 * left; `release()` gives one back, straight to the first waiter if there is one. Use it to bound how many
 * coroutines use a resource at once.
 *
 * `acquire()` resolves to a {@link Releaser}, so a permit can be held for a block with
 * `await using _ = await sem.acquire()`, or for a function with `sem.with(fn)`, which also works from
 * coroutines and in runtimes without `using`.
 * @remarks Tornado: `tornado.locks.Semaphore`. Timeouts are milliseconds or `{ deadline }`; a timeout of
 * `0` means "do not wait past this turn", where Tornado treats `0` as no timeout.
 * @example
 * const sem = new Semaphore(2);
 * const worker = coroutine(function* (id: number) {
 *   yield sem.with(function* () {
 *     console.log(`worker ${id} is working`);
 *     yield useSomeResource();
 *   });
 * });
 */
export class Semaphore {
  #value: number;
  readonly #waiters = new WaiterQueue<Releaser>('Semaphore.acquire()');

  static {
    counterOf = (semaphore) => semaphore.#value;
  }

  /**
   * @param value the number of permits at the start.
   * @default 1
   * @throws RangeError if `value` is not an integer ≥ 0.
   */
  constructor(value = 1) {
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(`Semaphore initial value must be an integer >= 0, got ${String(value)}`);
    }
    this.#value = value;
  }

  /**
   * Takes a permit. The Future is fulfilled at once (synchronously) if one is free, else when a
   * `release()` hands one over, first come first served. With a `timeout` it fails with `TimeoutError`
   * if no permit came in time, and the counter is left as it was; cancelling the Future gives up the place
   * in line.
   * @param timeout milliseconds, or `{ deadline }` on the loop's `time()` scale; none by default.
   * @returns a Future of a one-shot {@link Releaser} for the permit.
   * @throws TypeError (synchronously) for an invalid timeout.
   */
  acquire(timeout?: Timeout): Future<Releaser> {
    checkTimeout(timeout);
    if (this.#value > 0) {
      this.#value--;
      return Future.resolve(this.#releaser());
    }
    return this.#waiters.add(timeout, undefined);
  }

  /**
   * Gives a permit back: to the first live waiter if there is one (its Future is fulfilled now, its
   * coroutine resumes on a later microtask), else to the counter. Timed-out and cancelled waiters are
   * skipped.
   */
  release(): void {
    const next = this.#waiters.shift();
    if (next === undefined) this.#value++;
    else next.waiter.setResult(this.#releaser());
  }

  /**
   * Runs `fn` holding a permit and releases it however `fn` ends. `fn` may be a generator function (run
   * as a coroutine) or return a value, a Future or a promise. Cancelling the returned Future gives up the
   * place in line, or cancels `fn`'s coroutine and releases once its `finally` blocks have run.
   * @param timeout how long to wait for the permit (the body itself is not timed).
   * @returns a Future of what `fn` returns.
   * @example
   * const body = yield sem.with(() => client.fetch(url));
   */
  with<R>(fn: () => Generator<unknown, R, any>, timeout?: Timeout): Future<R>;
  with<R>(fn: () => R | PromiseLike<R>, timeout?: Timeout): Future<Awaited<R>>;
  with<R>(fn: GuardedBody<R>, timeout?: Timeout): Future<R> {
    return withReleaser((t) => this.acquire(t), fn, timeout);
  }

  /** E.g. `Semaphore [unlocked, value: 2]` or `Semaphore [locked, waiters: 3]`. */
  toString(): string {
    const state = this.#value === 0 ? 'locked' : `unlocked, value: ${this.#value}`;
    const waiters = this.#waiters.size > 0 ? `, waiters: ${this.#waiters.size}` : '';
    return `${this.constructor.name} [${state}${waiters}]`;
  }

  #releaser(): Releaser {
    return createReleaser(() => this.release());
  }
}

/**
 * A {@link Semaphore} that refuses to be released more often than it was acquired: a `release()` that
 * would raise the counter above its initial value throws. Semaphores guard resources of a fixed size, so
 * an extra release is a bug.
 * @remarks Tornado: `tornado.locks.BoundedSemaphore`, which raises `ValueError`; gust throws
 * `InvalidStateError`.
 * @example
 * const sem = new BoundedSemaphore(1);
 * sem.release(); // throws InvalidStateError
 */
export class BoundedSemaphore extends Semaphore {
  readonly #initialValue: number;

  /** @param value the number of permits at the start, and the most there can ever be. @default 1 */
  constructor(value = 1) {
    super(value);
    this.#initialValue = value;
  }

  /**
   * Gives a permit back, like {@link Semaphore.release}.
   * @throws InvalidStateError if every permit is already free (more releases than acquires).
   */
  override release(): void {
    if (counterOf(this) >= this.#initialValue) {
      throw new InvalidStateError(
        `BoundedSemaphore released too many times: all ${this.#initialValue} permit(s) are already free`,
      );
    }
    super.release();
  }
}
