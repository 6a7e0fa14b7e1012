import { TimeoutError } from './errors.js';
import { Future } from './future.js';
import { currentLoop, type Loop, type Timeout, type TimerHandle, timeoutToDelay } from './loop.js';

interface Entry<D> {
  readonly data: D;
  readonly loop: Loop;
  timer: TimerHandle | undefined;
}

/**
 * A FIFO of pending waiter Futures, each with an optional timeout on the loop that was current when it
 * was added: the building block of every lock and queue.
 *
 * A waiter leaves the line as soon as it is served, times out (it fails with `TimeoutError`) or is
 * cancelled, so `shift()` only ever returns live waiters and nothing is left behind for a sweep.
 * Tornado keeps done waiters in its deque and skips them later (`_TimeoutGarbageCollector`,
 * `Queue._consume_expired`); removing them at once gives the same observable order without the sweep.
 * @internal
 */
export class WaiterQueue<T, D = undefined> {
  readonly #label: string;
  // A Map keeps insertion order and deletes in O(1): a FIFO that also lets any waiter leave early.
  readonly #waiters = new Map<Future<T>, Entry<D>>();
  #front: IterableIterator<[Future<T>, Entry<D>]> | undefined;

  /** @param label names the operation in timeout messages, e.g. `'Queue.get()'`. */
  constructor(label: string) {
    this.#label = label;
  }

  /** How many waiters are in line. */
  get size(): number {
    return this.#waiters.size;
  }

  /**
   * Puts a new pending waiter at the end of the line and returns it. With a `timeout` it fails with
   * `TimeoutError` when the time is up, unless it was served first; cancelling it leaves the line.
   */
  add(timeout: Timeout | undefined, data: D): Future<T> {
    const loop = currentLoop();
    const delay = timeout === undefined ? undefined : timeoutToDelay(timeout, loop);
    const entry: Entry<D> = { data, loop, timer: undefined };
    const waiter: Future<T> = new Future<T>({ onCancel: () => this.#leave(waiter) });
    this.#waiters.set(waiter, entry);
    // An infinite timeout never fires: no timer is armed for it.
    if (delay !== undefined && delay !== Number.POSITIVE_INFINITY) {
      entry.timer = loop.callLater(delay, () => {
        entry.timer = undefined;
        // Only a waiter still in line times out: one that was served or cancelled has already left.
        if (this.#waiters.delete(waiter) && !waiter.done()) {
          waiter.setException(new TimeoutError(`${this.#label} timed out after ${Math.round(delay)} ms`));
        }
      });
    }
    return waiter;
  }

  /**
   * Takes the first waiter out of the line (clearing its timer) so the caller can settle it.
   * @returns the waiter and its data, or `undefined` if nobody waits.
   */
  shift(): { waiter: Future<T>; data: D } | undefined {
    for (;;) {
      // One live iterator serves every shift(): a fresh one per call would walk the holes that deleted
      // entries leave in V8's table until it shrinks, making the wake-up of n waiters O(n²). Entries are
      // only ever appended and everything before the iterator has left, so it always stands at the front.
      this.#front ??= this.#waiters.entries();
      const next = this.#front.next();
      if (next.done === true) {
        this.#front = undefined;
        return undefined;
      }
      const [waiter, entry] = next.value;
      this.#leave(waiter);
      // A waiter settled behind our back (someone called setResult on it) is skipped, as Tornado does.
      if (!waiter.done()) return { waiter, data: entry.data };
    }
  }

  /** Takes every waiter out of the line, in order, clearing their timers. */
  takeAll(): Array<Future<T>> {
    const waiters: Array<Future<T>> = [];
    for (;;) {
      const next = this.shift();
      if (next === undefined) return waiters;
      waiters.push(next.waiter);
    }
  }

  #leave(waiter: Future<T>): void {
    const entry = this.#waiters.get(waiter);
    if (entry === undefined) return;
    this.#waiters.delete(waiter);
    if (entry.timer !== undefined) {
      entry.loop.cancelTimer(entry.timer);
      entry.timer = undefined;
    }
  }
}

/**
 * Validates an optional timeout before a lock or queue changes any state, so that a bad argument throws
 * `TypeError` at the call site whether or not the operation would have had to wait.
 * @internal
 */
export function checkTimeout(timeout: Timeout | undefined): void {
  if (timeout !== undefined) timeoutToDelay(timeout);
}
