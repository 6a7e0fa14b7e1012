import { Queue, type QueueStore } from './queue.js';

/**
 * Orders two items: negative if `a` comes first, positive if `b` does, `0` if they tie.
 * @example
 * const byDeadline: Comparator<Job> = (a, b) => a.deadline - b.deadline;
 * const jobs = new PriorityQueue<Job>(0, byDeadline);
 */
export type Comparator<T> = (a: T, b: T) => number;

/**
 * A {@link Queue} that returns the smallest item first. Items are typically tuples
 * `[priority, data]`; the default comparator orders numbers, strings and bigints naturally and arrays
 * element by element (like Python's tuples). Items that tie come out in the order they were put.
 * @remarks Tornado: `tornado.queues.PriorityQueue` (a `heapq`). gust takes an optional comparator, since
 * JavaScript values have no natural order, and breaks ties first-in first-out, where a heap alone does not.
 * @example
 * const q = new PriorityQueue<[number, string]>();
 * q.putNowait([1, 'medium-priority item']);
 * q.putNowait([0, 'high-priority item']);
 * q.putNowait([10, 'low-priority item']);
 * q.getNowait(); // [0, 'high-priority item']
 */
export class PriorityQueue<T = unknown> extends Queue<T> {
  readonly #compare: Comparator<T>;

  /**
   * @param maxsize how many items the queue holds before `put()` waits; `0` means unbounded. @default 0
   * @param compare the order of items.
   * @default numbers, strings and bigints by `<`, arrays element by element
   */
  constructor(maxsize = 0, compare: Comparator<T> = defaultCompare) {
    super(maxsize);
    if (typeof compare !== 'function') throw new TypeError('PriorityQueue compare must be a function');
    this.#compare = compare;
  }

  protected override createStore(): QueueStore<T> {
    return new HeapStore<T>(this.#compare);
  }
}

/**
 * The default order of a {@link PriorityQueue}: arrays element by element (a shorter prefix first), other
 * values by `<`, so numbers, strings and bigints sort naturally; values that `<` cannot order tie.
 */
export function defaultCompare(a: unknown, b: unknown): number {
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const order = defaultCompare(a[i], b[i]);
      if (order !== 0) return order;
    }
    return a.length - b.length;
  }
  if ((a as number) < (b as number)) return -1;
  if ((a as number) > (b as number)) return 1;
  return 0;
}

interface Node<T> {
  item: T;
  seq: number;
}

/** A binary min-heap; the insertion number breaks ties so equal items leave in FIFO order. */
class HeapStore<T> implements QueueStore<T> {
  readonly #heap: Array<Node<T>> = [];
  readonly #compare: Comparator<T>;
  #seq = 0;

  constructor(compare: Comparator<T>) {
    this.#compare = compare;
  }

  get size(): number {
    return this.#heap.length;
  }

  put(item: T): void {
    const heap = this.#heap;
    heap.push({ item, seq: this.#seq++ });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(i, parent)) break;
      this.#swap(i, parent);
      i = parent;
    }
  }

  get(): T {
    const heap = this.#heap;
    const top = heap[0] as Node<T>;
    const last = heap.pop() as Node<T>;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && this.#less(left, smallest)) smallest = left;
        if (right < heap.length && this.#less(right, smallest)) smallest = right;
        if (smallest === i) break;
        this.#swap(i, smallest);
        i = smallest;
      }
    }
    return top.item;
  }

  #less(i: number, j: number): boolean {
    const a = this.#heap[i] as Node<T>;
    const b = this.#heap[j] as Node<T>;
    const order = this.#compare(a.item, b.item);
    return order < 0 || (order === 0 && a.seq < b.seq);
  }

  #swap(i: number, j: number): void {
    const heap = this.#heap;
    const a = heap[i] as Node<T>;
    heap[i] = heap[j] as Node<T>;
    heap[j] = a;
  }
}
