import { Queue, type QueueStore } from './queue.js';

/**
 * A {@link Queue} that returns the most recently put item first (a stack).
 * @remarks Tornado: `tornado.queues.LifoQueue`.
 * @example
 * const q = new LifoQueue<number>();
 * q.putNowait(3);
 * q.putNowait(2);
 * q.putNowait(1);
 * q.getNowait(); // 1
 */
export class LifoQueue<T = unknown> extends Queue<T> {
  protected override createStore(): QueueStore<T> {
    return new StackStore<T>();
  }
}

class StackStore<T> implements QueueStore<T> {
  readonly #items: T[] = [];

  get size(): number {
    return this.#items.length;
  }

  put(item: T): void {
    this.#items.push(item);
  }

  get(): T {
    return this.#items.pop() as T;
  }
}
