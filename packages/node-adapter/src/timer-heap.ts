/**
 * The timers of an `IOLoop`: a binary min-heap ordered by deadline, then by insertion order, so timers
 * with the same deadline run in the order they were added. Cancelled timers stay in the heap until they
 * reach the top (lazy deletion, as Tornado's `IOLoop` does) and the heap is rebuilt when they pile up.
 *
 * @module
 * @internal
 */

/** Waiting in the heap. */
export const SCHEDULED = 0;
/** Taken out of the heap because it is due; queued to run in the current drain. */
export const DUE = 1;
/** Ran (or is running). */
export const FIRED = 2;
/** Removed with `removeTimeout` before it ran. */
export const CANCELLED = 3;
type TimerState = typeof SCHEDULED | typeof DUE | typeof FIRED | typeof CANCELLED;

/**
 * One timer: also the opaque handle that `callLater`/`callAt` return and `removeTimeout` accepts.
 * Tornado: `tornado.ioloop._Timeout`.
 */
export class TimerEntry {
  state: TimerState = SCHEDULED;
  constructor(
    /** The loop that owns the timer; `removeTimeout` on another loop ignores it. */
    readonly owner: object,
    /** When it is due, on the owner's `time()` scale (milliseconds). */
    readonly deadline: number,
    /** Breaks ties between equal deadlines: earlier insertion runs first. */
    readonly seq: number,
    readonly fn: (...args: any[]) => unknown,
    readonly args: readonly unknown[],
  ) {}
}

// Rebuild the heap when more than this many cancelled timers are in it and they are over half of it
// (Tornado's `_cancellations > 512 and _cancellations > len(_timeouts) >> 1`).
const COMPACT_MIN = 512;

/** @internal */
export class TimerHeap {
  #heap: TimerEntry[] = [];
  #cancelled = 0;

  /** Timers that are still waiting (cancelled ones excluded). */
  get live(): number {
    return this.#heap.length - this.#cancelled;
  }

  push(entry: TimerEntry): void {
    const heap = this.#heap;
    heap.push(entry);
    this.#siftUp(heap.length - 1);
  }

  /** Marks a waiting timer cancelled; it leaves the heap when it reaches the top or on compaction. */
  cancel(entry: TimerEntry): void {
    entry.state = CANCELLED;
    this.#cancelled++;
    if (this.live === 0) {
      this.clear();
    } else if (this.#cancelled > COMPACT_MIN && this.#cancelled > this.#heap.length >> 1) {
      this.#compact();
    }
  }

  /** The earliest waiting timer, dropping cancelled ones from the top. */
  peek(): TimerEntry | undefined {
    const heap = this.#heap;
    while (heap.length > 0) {
      const top = heap[0]!;
      if (top.state !== CANCELLED) return top;
      this.#popTop();
      this.#cancelled--;
    }
    return undefined;
  }

  /** Removes and returns the earliest waiting timer if it is due at `now`. */
  popDue(now: number): TimerEntry | undefined {
    const top = this.peek();
    if (top === undefined || top.deadline > now) return undefined;
    this.#popTop();
    return top;
  }

  /** Drops every timer (they are not marked; the caller decides what they become). */
  clear(): TimerEntry[] {
    const all = this.#heap;
    this.#heap = [];
    this.#cancelled = 0;
    return all;
  }

  #compact(): void {
    const kept = this.#heap.filter((entry) => entry.state !== CANCELLED);
    this.#heap = kept;
    this.#cancelled = 0;
    for (let i = (kept.length >> 1) - 1; i >= 0; i--) this.#siftDown(i);
  }

  #popTop(): void {
    const heap = this.#heap;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      this.#siftDown(0);
    }
  }

  #siftUp(index: number): void {
    const heap = this.#heap;
    const entry = heap[index]!;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex]!;
      if (!before(entry, parent)) break;
      heap[index] = parent;
      index = parentIndex;
    }
    heap[index] = entry;
  }

  #siftDown(index: number): void {
    const heap = this.#heap;
    const length = heap.length;
    const entry = heap[index]!;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      const child = right < length && before(heap[right]!, heap[left]!) ? right : left;
      if (!before(heap[child]!, entry)) break;
      heap[index] = heap[child]!;
      index = child;
    }
    heap[index] = entry;
  }
}

function before(a: TimerEntry, b: TimerEntry): boolean {
  return a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);
}
