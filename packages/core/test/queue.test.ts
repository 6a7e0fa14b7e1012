import {
  CancelledError,
  coroutine,
  currentLoop,
  Future,
  InvalidStateError,
  isQueueEmptyError,
  isQueueFullError,
  LifoQueue,
  moment,
  multi,
  PriorityQueue,
  Queue,
  QueueEmpty,
  QueueFull,
  sleep,
  TimeoutError,
} from '@gust/core';
import { afterEach, describe, expect, it, vi } from 'vitest';

// Node starts a timer from libuv's cached loop clock, which lags behind performance.now() while a busy
// turn runs, so a timer may fire a few milliseconds "early" by the loop's clock: lower bounds allow that.
const TIMER_SLACK = 5;

afterEach(() => {
  vi.useRealTimers();
});

/** Settles to the error's name, or 'ok', so a rejected Future is always observed. */
function outcome(future: Future<unknown>): Future<string> {
  return future.then(
    () => 'ok',
    (e: Error) => e.name,
  );
}

describe('Queue', () => {
  it('returns items first in, first out', () => {
    const q = new Queue<number>();
    for (const i of [1, 3, 2]) q.putNowait(i);
    expect([q.getNowait(), q.getNowait(), q.getNowait()]).toEqual([1, 3, 2]);
  });

  it('waits to put while full and lets a get make room', async () => {
    const q = new Queue<number>(2);
    expect(q.maxsize).toBe(2);
    expect(q.empty()).toBe(true);
    expect(q.full()).toBe(false);
    expect(q.put(0).done()).toBe(true);
    expect(q.put(1).done()).toBe(true);
    expect(q.empty()).toBe(false);
    expect(q.full()).toBe(true);
    const put2 = q.put(2);
    expect(put2.done()).toBe(false);
    expect(String(q)).toBe('Queue [maxsize: 2, size: 2, putters: 1, tasks: 2]');
    expect(await q.get()).toBe(0);
    expect(put2.done()).toBe(true);
    expect(q.full()).toBe(true);
    expect([q.getNowait(), q.getNowait()]).toEqual([1, 2]);
  });

  it('rejects a maxsize that is not a number >= 0', () => {
    expect(() => new Queue(null as never)).toThrow(TypeError);
    expect(() => new Queue(-1)).toThrow(RangeError);
    expect(() => new Queue(-1)).toThrow('Queue maxsize must be >= 0, got -1');
    expect(() => new Queue(Number.NaN)).toThrow(RangeError);
  });

  it('treats a fractional maxsize as full once qsize() reaches it', () => {
    const q = new Queue<number>(1.3);
    q.putNowait(0);
    q.putNowait(1);
    expect(q.full()).toBe(true);
    expect(() => q.putNowait(2)).toThrow(QueueFull);
  });

  it('throws QueueEmpty and QueueFull from the nowait forms', () => {
    const empty = new Queue();
    expect(() => empty.getNowait()).toThrow(QueueEmpty);
    expect(() => empty.getNowait()).toThrow('Queue is empty: use get() to wait for an item');
    const full = new Queue<number>(1);
    full.putNowait(0);
    let error: unknown;
    try {
      full.putNowait(1);
    } catch (e) {
      error = e;
    }
    expect(isQueueFullError(error)).toBe(true);
    expect((error as Error).message).toBe(
      'Queue is full (maxsize 1): use put() to wait for room, or get() items first',
    );
    expect(isQueueEmptyError(new QueueEmpty())).toBe(true);
    expect(full.qsize()).toBe(1);
  });

  it('lets a get take the item of a waiting put', async () => {
    const q = new Queue<number>(1);
    q.putNowait(0);
    const put = q.put(1);
    expect(await q.get()).toBe(0);
    expect(await put).toBeUndefined();
    expect(q.getNowait()).toBe(1);
  });

  it('wakes a get blocked on an empty queue only after putNowait has returned', async () => {
    const q = new Queue<number>();
    const log: string[] = [];
    const consumer = coroutine(function* () {
      const item = yield* q.get();
      log.push(`got ${item}`);
    });
    const consumed = consumer();
    const producer = coroutine(function* () {
      q.putNowait(0);
      log.push('put returned');
      // The item was handed over inside putNowait: it is not in the queue any more.
      log.push(`qsize ${q.qsize()}`);
      yield moment;
      log.push('after a loop turn');
    });
    await producer();
    await consumed;
    expect(log).toEqual(['put returned', 'qsize 0', 'got 0', 'after a loop turn']);
  });

  it('serves blocked getters in FIFO order (Tornado test_nonblocking_put_with_getters)', async () => {
    const q = new Queue<number>();
    const get0 = q.get();
    const get1 = q.get();
    q.putNowait(0);
    await sleep(0);
    expect(await get0).toBe(0);
    expect(get1.done()).toBe(false);
    q.putNowait(1);
    expect(await get1).toBe(1);
  });

  it('waits for items put later from loop callbacks (real loop)', async () => {
    const q = new Queue<number>();
    q.put(0);
    const loop = currentLoop();
    const timers = [loop.callLater(10, () => q.put(1)), loop.callLater(20, () => q.put(2))];
    expect(await q.get(1000)).toBe(0);
    expect(await q.get(1000)).toBe(1);
    expect(await q.get(1000)).toBe(2);
    for (const timer of timers) loop.cancelTimer(timer);
  });

  it('fails a timed-out get with TimeoutError and gives the next item to the next getter', async () => {
    const q = new Queue<number>();
    const loop = currentLoop();
    const start = loop.time();
    const timed = q.get(20);
    const get = q.get();
    await expect(timed).rejects.toThrow(TimeoutError);
    await expect(timed).rejects.toThrow('Queue.get() timed out after 20 ms');
    expect(loop.time() - start).toBeGreaterThanOrEqual(20 - TIMER_SLACK);
    q.putNowait(0);
    expect(await get).toBe(0);
    expect(q.qsize()).toBe(0);
  });

  it('never inserts the item of a timed-out put (Tornado test_put_timeout)', async () => {
    const q = new Queue<number>(1);
    q.putNowait(0);
    const timed = q.put(1, 10);
    const put = q.put(2);
    await expect(timed).rejects.toThrow('Queue.put() timed out after 10 ms');
    expect(q.getNowait()).toBe(0);
    // 1 was never put in the queue.
    expect(await q.get()).toBe(2);
    await put;
    expect(q.empty()).toBe(true);
  });

  it('skips timed-out getters when an item comes (fake timers)', async () => {
    vi.useFakeTimers();
    const q = new Queue<number>();
    const timedOut = Array.from({ length: 5 }, () => q.get(10));
    const outcomes = multi(timedOut.map(outcome));
    const get = q.get();
    vi.advanceTimersByTime(10);
    expect(await outcomes).toEqual(Array(5).fill('TimeoutError'));
    expect(get.done()).toBe(false);
    q.putNowait(0);
    expect(await get).toBe(0);
    expect(String(q)).toBe('Queue [maxsize: 0, size: 0, tasks: 1]');
  });

  it('skips timed-out putters when room is made (fake timers)', async () => {
    vi.useFakeTimers();
    const q = new Queue<number>(1);
    const putters = Array.from({ length: 5 }, (_, i) => q.put(i, 10));
    const outcomes = multi(putters.map(outcome));
    const put = q.put(10);
    vi.advanceTimersByTime(10);
    // The first put went in at once; the next four timed out.
    expect(await outcomes).toEqual(['ok', 'TimeoutError', 'TimeoutError', 'TimeoutError', 'TimeoutError']);
    expect(q.getNowait()).toBe(0);
    expect(put.done()).toBe(true);
    expect(q.getNowait()).toBe(10);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('gives up the place of a cancelled getter and never inserts a cancelled put', async () => {
    const q = new Queue<string>(1);
    const cancelledGet = q.get();
    const get = q.get();
    cancelledGet.cancel();
    await expect(cancelledGet).rejects.toThrow(CancelledError);
    q.putNowait('a');
    expect(await get).toBe('a');
    q.putNowait('b');
    const cancelledPut = q.put('never');
    cancelledPut.cancel();
    expect(q.getNowait()).toBe('b');
    expect(q.empty()).toBe(true);
  });

  it('hands out thenable items as they are, whether stored or awaited', async () => {
    const q = new Queue<Future<number>>();
    const inner = new Future<number>();
    q.putNowait(inner);
    expect(q.get().result()).toBe(inner);
    const waiting = q.get();
    q.putNowait(inner);
    expect(waiting.result()).toBe(inner);
    inner.setResult(1);
  });

  it('throws TypeError for an invalid timeout and changes nothing', () => {
    const q = new Queue<number>();
    expect(() => q.put(1, Number.NaN)).toThrow(TypeError);
    expect(() => q.get({ deadline: 'x' } as never)).toThrow(TypeError);
    expect(q.empty()).toBe(true);
  });
});

describe('Queue.join', () => {
  it('throws InvalidStateError when taskDone() is called too many times', () => {
    const q = new Queue<number>();
    expect(() => q.taskDone()).toThrow(InvalidStateError);
    expect(() => q.taskDone()).toThrow('Queue.taskDone() called more times than items were put in the queue');
    q.putNowait(1);
    q.getNowait();
    q.taskDone();
    expect(() => q.taskDone()).toThrow(InvalidStateError);
  });

  it('resolves at once for a queue with nothing unfinished', () => {
    const q = new Queue();
    expect(q.join().done()).toBe(true);
    expect(q.join(10).done()).toBe(true);
  });

  it('resolves only after every item has been matched by taskDone()', async () => {
    const q = new Queue<number>();
    q.putNowait(1);
    q.putNowait(2);
    const joined = q.join();
    q.getNowait();
    q.getNowait();
    await sleep(0);
    // Both items were taken but not yet processed.
    expect(joined.done()).toBe(false);
    q.taskDone();
    await sleep(0);
    expect(joined.done()).toBe(false);
    q.taskDone();
    expect(joined.done()).toBe(true);
  });

  it('fails with TimeoutError when the work is not done in time', async () => {
    const q = new Queue<number>();
    q.putNowait(0);
    await expect(q.join(10)).rejects.toThrow('Queue.join() timed out after 10 ms');
  });

  it('lets two workers share the work (Tornado test_task_done)', async () => {
    const q = new Queue<number>();
    for (let i = 0; i < 100; i++) q.putNowait(i);
    let accumulator = 0;
    const worker = coroutine(function* () {
      for (;;) {
        const item = yield* q.get();
        accumulator += item;
        q.taskDone();
        yield sleep(Math.random() * 2);
      }
    });
    const workers = [worker(), worker()];
    await q.join();
    expect(accumulator).toBe(4950);
    for (const w of workers) w.cancel();
    await multi(workers.map(outcome));
  });

  it('runs the producer/consumer example of the Tornado docs in the same order', async () => {
    const q = new Queue<number>(2);
    const log: string[] = [];
    const consumer = coroutine(function* () {
      for (;;) {
        const item = yield* q.get();
        try {
          log.push(`Doing work on ${item}`);
          yield sleep(5);
        } finally {
          q.taskDone();
        }
      }
    });
    const producer = coroutine(function* () {
      for (let item = 0; item < 5; item++) {
        yield q.put(item);
        log.push(`Put ${item}`);
      }
    });
    let running: Future<never> | undefined;
    currentLoop().callSoon(() => {
      running = consumer();
    });
    await producer();
    await q.join();
    log.push('Done');
    expect(log).toEqual([
      'Put 0',
      'Put 1',
      'Doing work on 0',
      'Put 2',
      'Doing work on 1',
      'Put 3',
      'Doing work on 2',
      'Put 4',
      'Doing work on 3',
      'Doing work on 4',
      'Done',
    ]);
    running?.cancel();
    if (running !== undefined) await outcome(running);
  });
});

describe('Queue async iteration', () => {
  it('gets items with for await, waiting for later ones', async () => {
    const q = new Queue<number>();
    q.putNowait(1);
    const timer = currentLoop().callLater(5, () => q.putNowait(2));
    const seen: number[] = [];
    for await (const item of q) {
      seen.push(item);
      q.taskDone();
      if (seen.length === 2) break;
    }
    currentLoop().cancelTimer(timer);
    expect(seen).toEqual([1, 2]);
    expect(q.join().done()).toBe(true);
  });
});

describe('PriorityQueue', () => {
  it('returns the lowest [priority, data] tuple first (Tornado docs example)', () => {
    const q = new PriorityQueue<[number, string]>();
    q.putNowait([1, 'medium-priority item']);
    q.putNowait([0, 'high-priority item']);
    q.putNowait([10, 'low-priority item']);
    expect([q.getNowait(), q.getNowait(), q.getNowait()]).toEqual([
      [0, 'high-priority item'],
      [1, 'medium-priority item'],
      [10, 'low-priority item'],
    ]);
  });

  it('sorts many numbers and returns equal items in the order they were put', () => {
    const q = new PriorityQueue<number>();
    const input = Array.from({ length: 200 }, (_, i) => (i * 7919) % 101);
    for (const n of input) q.putNowait(n);
    const out: number[] = [];
    while (!q.empty()) out.push(q.getNowait());
    expect(out).toEqual([...input].sort((a, b) => a - b));
    const ties = new PriorityQueue<{ p: number; name: string }>(0, (a, b) => a.p - b.p);
    for (const name of ['a', 'b', 'c']) ties.putNowait({ p: 1, name });
    ties.putNowait({ p: 0, name: 'first' });
    expect([1, 2, 3, 4].map(() => ties.getNowait().name)).toEqual(['first', 'a', 'b', 'c']);
  });

  it('waits for room and hands items to blocked getters', async () => {
    const q = new PriorityQueue<number>(1);
    const get = q.get();
    q.putNowait(5);
    expect(await get).toBe(5);
    q.putNowait(3);
    const put = q.put(1);
    expect(put.done()).toBe(false);
    // The waiting put's item enters before the get takes the smallest.
    expect(q.getNowait()).toBe(1);
    expect(put.done()).toBe(true);
    expect(q.getNowait()).toBe(3);
  });

  it('rejects a comparator that is not a function', () => {
    expect(() => new PriorityQueue(0, 'desc' as never)).toThrow(TypeError);
  });
});

describe('LifoQueue', () => {
  it('returns the most recently put item first (Tornado docs example)', () => {
    const q = new LifoQueue<number>();
    q.putNowait(3);
    q.putNowait(2);
    q.putNowait(1);
    expect([q.getNowait(), q.getNowait(), q.getNowait()]).toEqual([1, 2, 3]);
    expect(String(q)).toBe('LifoQueue [maxsize: 0, size: 0, tasks: 3]');
  });

  it('is a bounded Queue with join and timeouts', async () => {
    const q = new LifoQueue<number>(1);
    q.putNowait(1);
    await expect(q.put(2, 5)).rejects.toThrow(TimeoutError);
    expect(q.getNowait()).toBe(1);
    q.taskDone();
    await q.join();
  });
});
