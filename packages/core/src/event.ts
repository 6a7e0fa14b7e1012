import { Future } from './future.js';
import type { Timeout } from './loop.js';
import { checkTimeout, WaiterQueue } from './waiter.js';

/**
 * A flag that coroutines can wait for. `wait()` blocks until `set()` is called; once the flag is set,
 * `wait()` no longer blocks until `clear()` resets it.
 * @remarks Tornado: `tornado.locks.Event` (`is_set` → `isSet`). Each `wait()` gets its own Future, so
 * cancelling one waiter does not disturb the others.
 * @example
 * const event = new Event();
 * const waiter = coroutine(function* () {
 *   console.log('Waiting for event');
 *   yield event.wait();
 *   console.log('Done');
 * });
 * waiter();
 * event.set();
 */
export class Event {
  #value = false;
  readonly #waiters = new WaiterQueue<void>('Event.wait()');

  /** True while the flag is set. Tornado: `is_set()`. */
  isSet(): boolean {
    return this.#value;
  }

  /**
   * Sets the flag and wakes every waiter: their Futures are fulfilled now, their coroutines resume on a
   * later microtask. Does nothing if the flag is already set.
   */
  set(): void {
    if (this.#value) return;
    this.#value = true;
    for (const waiter of this.#waiters.takeAll()) waiter.setResult(undefined);
  }

  /** Resets the flag: later `wait()` calls block until the next `set()`. */
  clear(): void {
    this.#value = false;
  }

  /**
   * Waits until the flag is set. The Future is already fulfilled if it is set now. With a `timeout` it
   * fails with `TimeoutError` if the flag was not set in time; cancelling it stops waiting.
   * @param timeout milliseconds, or `{ deadline }` on the loop's `time()` scale; none by default.
   * @throws TypeError (synchronously) for an invalid timeout.
   */
  wait(timeout?: Timeout): Future<void> {
    checkTimeout(timeout);
    if (this.#value) return Future.resolve();
    return this.#waiters.add(timeout, undefined);
  }

  /** `Event [set]` or `Event [clear]`. */
  toString(): string {
    return `Event [${this.#value ? 'set' : 'clear'}]`;
  }
}
