import { InvalidStateError, QueueEmpty, QueueFull } from './errors.js';
import { Future } from './future.js';
import type { Timeout } from './loop.js';
import { checkTimeout, WaiterQueue } from './waiter.js';

/**
 * Where a {@link Queue} keeps its items; the order in which `get()` returns them is the store's. Override
 * `Queue.createStore()` to return another one, as `PriorityQueue` and `LifoQueue` do.
 * @remarks Tornado: the overridable `_init`, `_put` and `_get` of `tornado.queues.Queue`.
 * @example
 * class StackQueue<T> extends Queue<T> {
 *   protected override createStore(): QueueStore<T> {
 *     const items: T[] = [];
 *     return {
 *       get size() { return items.length; },
 *       put: (item) => void items.push(item),
 *       get: () => items.pop() as T,
 *     };
 *   }
 * }
 */
export interface QueueStore<T> {
  /** How many items are stored. */
  readonly size: number;
  /** Stores an item. */
  put(item: T): void;
  /** Removes and returns the next item; only called when `size > 0`. */
  get(): T;
}

/**
 * Coordinates producer and consumer coroutines: `put()` waits while the queue is full, `get()` waits while
 * it is empty, and waiters on either side are served first come, first served. `join()` waits until every
 * item put has been matched by a `taskDone()`. A queue is also async-iterable: `for await (const item of
 * queue)` gets items forever.
 *
 * A waiting `get()` is handed its item inside the `put()`/`putNowait()` that brought it (so `qsize()`
 * stays 0), but its coroutine resumes only on a later microtask, never inside the producer's call.
 * @remarks Tornado: `tornado.queues.Queue` (`put_nowait` → `putNowait`, `get_nowait` → `getNowait`,
 * `task_done` → `taskDone`). Timeouts are milliseconds or `{ deadline }`; a timeout of `0` means "do not
 * wait past this turn", where Tornado treats `0` as no timeout. An extra `taskDone()` throws
 * `InvalidStateError` where Tornado raises `ValueError`.
 * @example
 * const q = new Queue<number>(2);
 * const consumer = coroutine(function* () {
 *   for (;;) {
 *     const item = yield* q.get();
 *     try { console.log(`Doing work on ${item}`); yield sleep(10); } finally { q.taskDone(); }
 *   }
 * });
 * const producer = coroutine(function* () {
 *   for (let item = 0; item < 5; item++) yield q.put(item);
 * });
 * consumer();
 * await producer();
 * await q.join(); // every item was processed
 */
export class Queue<T = unknown> implements AsyncIterable<T> {
  readonly #maxsize: number;
  #store: QueueStore<T> | undefined;
  readonly #getters = new WaiterQueue<T>('Queue.get()');
  readonly #putters = new WaiterQueue<void, T>('Queue.put()');
  readonly #joiners = new WaiterQueue<void>('Queue.join()');
  #unfinished = 0;

  /**
   * @param maxsize how many items the queue holds before `put()` waits; `0` means unbounded. A fraction
   * rounds up in effect (the queue is full once `qsize() >= maxsize`), as in Tornado.
   * @default 0
   * @throws TypeError if `maxsize` is not a number; RangeError if it is negative or NaN.
   */
  constructor(maxsize = 0) {
    if (typeof maxsize !== 'number') {
      throw new TypeError(`Queue maxsize must be a number (0 for unbounded), got ${typeof maxsize}`);
    }
    if (!(maxsize >= 0)) throw new RangeError(`Queue maxsize must be >= 0, got ${maxsize}`);
    this.#maxsize = maxsize;
  }

  /** How many items the queue holds before `put()` waits; `0` means unbounded. */
  get maxsize(): number {
    return this.#maxsize;
  }

  /** How many items are in the queue now (not counting items of waiting `put()`s). */
  qsize(): number {
    return this.#items().size;
  }

  /** True if the queue holds no item. */
  empty(): boolean {
    return this.#items().size === 0;
  }

  /** True if the queue is bounded and holds `maxsize` items or more. */
  full(): boolean {
    return this.#maxsize !== 0 && this.#items().size >= this.#maxsize;
  }

  /**
   * Puts an item in the queue, waiting while it is full. The Future is fulfilled at once (synchronously)
   * if there is room, else once a `get()` makes room for it, in order. With a `timeout` it fails with
   * `TimeoutError` if no room came in time, and the item is never put; cancelling it has the same effect.
   * @param timeout milliseconds, or `{ deadline }` on the loop's `time()` scale; none by default.
   * @throws TypeError (synchronously) for an invalid timeout.
   */
  put(item: T, timeout?: Timeout): Future<void> {
    checkTimeout(timeout);
    if (this.#tryPut(item)) return Future.resolve();
    return this.#putters.add(timeout, item);
  }

  /**
   * Puts an item in the queue without waiting: hands it to the first waiting `get()` if there is one
   * (whose coroutine resumes on a later microtask), else stores it.
   * @throws QueueFull if the queue is full.
   */
  putNowait(item: T): void {
    if (!this.#tryPut(item)) {
      throw new QueueFull(
        `Queue is full (maxsize ${this.#maxsize}): use put() to wait for room, or get() items first`,
      );
    }
  }

  /**
   * Removes and returns an item, waiting while the queue is empty. The Future is fulfilled at once
   * (synchronously) if there is an item, else by the `put()` that brings one, in order. With a `timeout`
   * it fails with `TimeoutError` if nothing came in time; cancelling it gives up the place in line.
   * @param timeout milliseconds, or `{ deadline }` on the loop's `time()` scale; none by default.
   * @throws TypeError (synchronously) for an invalid timeout.
   */
  get(timeout?: Timeout): Future<T> {
    checkTimeout(timeout);
    this.#admitPutter();
    if (this.#items().size > 0) {
      // setResult, not Future.resolve: an item that is itself a thenable is handed out as it is, the same
      // as when a waiting get() is served.
      const ready = new Future<T>();
      ready.setResult(this.#items().get());
      return ready;
    }
    return this.#getters.add(timeout, undefined);
  }

  /**
   * Removes and returns an item without waiting. If a `put()` was waiting for room, its item enters the
   * queue and its Future is fulfilled.
   * @throws QueueEmpty if the queue is empty.
   */
  getNowait(): T {
    this.#admitPutter();
    if (this.#items().size === 0) throw new QueueEmpty('Queue is empty: use get() to wait for an item');
    return this.#items().get();
  }

  /**
   * Tells the queue that the processing of an item taken with `get()` is complete. Once every item put
   * has been matched by a `taskDone()`, `join()` waiters are fulfilled.
   * @throws InvalidStateError if called more times than items were put.
   */
  taskDone(): void {
    if (this.#unfinished <= 0) {
      throw new InvalidStateError('Queue.taskDone() called more times than items were put in the queue');
    }
    this.#unfinished--;
    if (this.#unfinished === 0) {
      for (const joiner of this.#joiners.takeAll()) joiner.setResult(undefined);
    }
  }

  /**
   * Waits until every item put in the queue has been processed, i.e. matched by a `taskDone()`. Already
   * fulfilled if nothing is unfinished. With a `timeout` it fails with `TimeoutError`.
   * @param timeout milliseconds, or `{ deadline }` on the loop's `time()` scale; none by default.
   * @throws TypeError (synchronously) for an invalid timeout.
   */
  join(timeout?: Timeout): Future<void> {
    checkTimeout(timeout);
    if (this.#unfinished === 0) return Future.resolve();
    return this.#joiners.add(timeout, undefined);
  }

  /**
   * Gets items forever: `for await (const item of queue)` is a loop of `await queue.get()`; it never ends
   * by itself, so `break` (or `return`) out of it.
   */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: async (): Promise<IteratorResult<T>> => ({ value: await this.get(), done: false }),
    };
  }

  /** E.g. `Queue [maxsize: 1, size: 1, getters: 0, putters: 2, tasks: 3]`. Tornado: `__str__`. */
  toString(): string {
    const parts = [`maxsize: ${this.#maxsize}`, `size: ${this.qsize()}`];
    if (this.#getters.size > 0) parts.push(`getters: ${this.#getters.size}`);
    if (this.#putters.size > 0) parts.push(`putters: ${this.#putters.size}`);
    if (this.#unfinished > 0) parts.push(`tasks: ${this.#unfinished}`);
    return `${this.constructor.name} [${parts.join(', ')}]`;
  }

  /**
   * Creates the store that decides the order of items: first in, first out here. Called once, on first
   * use, after the subclass constructor has run (so it may use the subclass's fields).
   */
  protected createStore(): QueueStore<T> {
    return new FifoStore<T>();
  }

  #items(): QueueStore<T> {
    if (this.#store === undefined) this.#store = this.createStore();
    return this.#store;
  }

  #tryPut(item: T): boolean {
    const getter = this.#getters.shift();
    if (getter !== undefined) {
      // Nobody waits for an item while one is stored, so the store is empty and gives back this item
      // (through the store, so a subclass sees every item go in and out).
      this.#putInternal(item);
      getter.waiter.setResult(this.#items().get());
      return true;
    }
    if (this.full()) return false;
    this.#putInternal(item);
    return true;
  }

  // A put() waits only while the queue is full: before a get takes an item, the first waiting put's item
  // takes the room that get makes (Tornado's get_nowait does the same).
  #admitPutter(): void {
    const putter = this.#putters.shift();
    if (putter === undefined) return;
    this.#putInternal(putter.data);
    putter.waiter.setResult(undefined);
  }

  #putInternal(item: T): void {
    this.#unfinished++;
    this.#items().put(item);
  }
}

/** A FIFO deque on an array: `get()` moves a head index and the array is compacted now and then. */
class FifoStore<T> implements QueueStore<T> {
  #items: Array<T | undefined> = [];
  #head = 0;

  get size(): number {
    return this.#items.length - this.#head;
  }

  put(item: T): void {
    this.#items.push(item);
  }

  get(): T {
    const item = this.#items[this.#head] as T;
    this.#items[this.#head] = undefined;
    this.#head++;
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }
}
