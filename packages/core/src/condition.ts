import type { Future } from './future.js';
import type { Timeout } from './loop.js';
import { checkTimeout, WaiterQueue } from './waiter.js';

/**
 * Lets coroutines wait until another one notifies them. Unlike a thread condition variable it needs no
 * lock: coroutines only switch at `yield`, so check-then-wait is already atomic.
 * @remarks Tornado: `tornado.locks.Condition` (`notify_all` → `notifyAll`). A timed-out `wait()` fails
 * with `TimeoutError` like every other timed wait in gust, where Tornado resolves it to `false`; a
 * notified `wait()` resolves to `true` in both.
 * @example
 * const condition = new Condition();
 * const waiter = coroutine(function* () {
 *   console.log("I'll wait right here");
 *   yield condition.wait();
 *   console.log("I'm done waiting");
 * });
 * waiter();
 * condition.notify();
 */
export class Condition {
  readonly #waiters = new WaiterQueue<true>('Condition.wait()');

  /**
   * Waits for `notify()`. Waiters are woken first come, first served. With a `timeout` the Future fails
   * with `TimeoutError` if no notification came in time, and the waiter is skipped by later notifies;
   * cancelling it has the same effect.
   * @param timeout milliseconds, or `{ deadline }` on the loop's `time()` scale; none by default.
   * @returns a Future fulfilled with `true` when notified.
   * @throws TypeError (synchronously) for an invalid timeout.
   */
  wait(timeout?: Timeout): Future<true> {
    checkTimeout(timeout);
    return this.#waiters.add(timeout, undefined);
  }

  /**
   * Wakes the first `n` live waiters (timed-out and cancelled ones are skipped, not counted): their
   * Futures are fulfilled now, their coroutines resume on a later microtask.
   * @param n how many waiters to wake. @default 1
   * @throws RangeError if `n` is negative or not an integer.
   */
  notify(n = 1): void {
    if (!Number.isInteger(n) || n < 0) {
      throw new RangeError(`Condition.notify(n) takes an integer >= 0, got ${String(n)}`);
    }
    // Take the waiters out first, then wake them, as Tornado does, so waking cannot change who is woken.
    const woken: Array<Future<true>> = [];
    while (woken.length < n) {
      const next = this.#waiters.shift();
      if (next === undefined) break;
      woken.push(next.waiter);
    }
    for (const waiter of woken) waiter.setResult(true);
  }

  /** Wakes every waiter. Tornado: `notify_all()`. */
  notifyAll(): void {
    this.notify(this.#waiters.size);
  }

  /** E.g. `Condition [waiters: 2]`. */
  toString(): string {
    return this.#waiters.size > 0 ? `Condition [waiters: ${this.#waiters.size}]` : 'Condition []';
  }
}
