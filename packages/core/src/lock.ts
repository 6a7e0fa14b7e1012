import { InvalidStateError } from './errors.js';
import { Future } from './future.js';
import type { Timeout } from './loop.js';
import { createReleaser, type GuardedBody, type Releaser, withReleaser } from './releaser.js';
import { checkTimeout, WaiterQueue } from './waiter.js';

/**
 * A mutual-exclusion lock for coroutines. It starts unlocked; `acquire()` locks it, or waits in line
 * (FIFO) while another holder has it; `release()` hands it to the first waiter, or unlocks it.
 *
 * Hold it for a block with `await using _ = await lock.acquire()` (where the runtime or the compiler
 * supports `using`), or for a function with `lock.with(fn)`, which works everywhere, also from coroutines:
 * `yield lock.with(function* () { ... })`.
 * @remarks Tornado: `tornado.locks.Lock` (`with (yield lock.acquire()):` / `async with lock:`). Releasing
 * an unlocked lock throws `InvalidStateError` where Tornado raises `RuntimeError`.
 * @example
 * const lock = new Lock();
 * const update = coroutine(function* () {
 *   yield lock.with(function* () {
 *     const current = yield* load();
 *     yield* save(current + 1);
 *   });
 * });
 */
export class Lock {
  #locked = false;
  readonly #waiters = new WaiterQueue<Releaser>('Lock.acquire()');

  /** True while some holder has the lock. */
  locked(): boolean {
    return this.#locked;
  }

  /**
   * Locks. The Future is fulfilled at once (synchronously) if the lock is free, else when the holders
   * before this one have released it. With a `timeout` it fails with `TimeoutError` if the lock did not
   * come in time; cancelling the Future gives up the place in line.
   * @param timeout milliseconds, or `{ deadline }` on the loop's `time()` scale; none by default.
   * @returns a Future of a one-shot {@link Releaser} that unlocks.
   * @throws TypeError (synchronously) for an invalid timeout.
   */
  acquire(timeout?: Timeout): Future<Releaser> {
    checkTimeout(timeout);
    if (!this.#locked) {
      this.#locked = true;
      return Future.resolve(this.#releaser());
    }
    return this.#waiters.add(timeout, undefined);
  }

  /**
   * Unlocks: the first live waiter gets the lock now (its coroutine resumes on a later microtask), or the
   * lock becomes free. Timed-out and cancelled waiters are skipped.
   * @throws InvalidStateError if the lock is not locked.
   */
  release(): void {
    if (!this.#locked) {
      throw new InvalidStateError(
        'Lock.release() called on an unlocked Lock: release only what you acquired',
      );
    }
    const next = this.#waiters.shift();
    if (next === undefined) this.#locked = false;
    else next.waiter.setResult(this.#releaser());
  }

  /**
   * Runs `fn` holding the lock and releases it however `fn` ends. `fn` may be a generator function (run
   * as a coroutine) or return a value, a Future or a promise. Cancelling the returned Future gives up the
   * place in line, or cancels `fn`'s coroutine and releases once its `finally` blocks have run.
   * @param timeout how long to wait for the lock (the body itself is not timed).
   * @returns a Future of what `fn` returns.
   * @remarks Tornado has no such method; it is the portable form of `async with lock:`.
   * @example
   * const total = await lock.with(async () => (await read()) + 1);
   */
  with<R>(fn: () => Generator<unknown, R, any>, timeout?: Timeout): Future<R>;
  with<R>(fn: () => R | PromiseLike<R>, timeout?: Timeout): Future<Awaited<R>>;
  with<R>(fn: GuardedBody<R>, timeout?: Timeout): Future<R> {
    return withReleaser((t) => this.acquire(t), fn, timeout);
  }

  /** E.g. `Lock [locked, waiters: 2]`. */
  toString(): string {
    const waiters = this.#waiters.size > 0 ? `, waiters: ${this.#waiters.size}` : '';
    return `Lock [${this.#locked ? 'locked' : 'unlocked'}${waiters}]`;
  }

  #releaser(): Releaser {
    return createReleaser(() => this.release());
  }
}
