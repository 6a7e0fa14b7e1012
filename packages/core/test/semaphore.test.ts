import {
  BoundedSemaphore,
  CancelledError,
  coroutine,
  Future,
  InvalidStateError,
  moment,
  Semaphore,
  sleep,
  TimeoutError,
} from '@gust/core';
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.useRealTimers();
});

/** How many permits are free: acquires them all synchronously, then gives them back. */
function freePermits(sem: Semaphore): number {
  const taken = [];
  for (;;) {
    const attempt = sem.acquire();
    if (!attempt.done()) {
      attempt.cancel();
      break;
    }
    taken.push(attempt.result());
  }
  for (const releaser of taken) releaser.release();
  return taken.length;
}

describe('Semaphore', () => {
  it('lets two workers in at a time (Tornado docs example)', async () => {
    const sem = new Semaphore(2);
    const log: string[] = [];
    // Resolve the resources one at a time, one loop turn apart, as Tornado's doctest does.
    const resources = [new Future<void>(), new Future<void>(), new Future<void>()];
    const queue = [...resources];
    const simulator = coroutine(function* () {
      for (const resource of resources) {
        yield moment;
        resource.setResult(undefined);
      }
    });
    const worker = coroutine(function* (id: number) {
      const releaser = yield* sem.acquire();
      try {
        log.push(`Worker ${id} is working`);
        yield queue.shift();
      } finally {
        log.push(`Worker ${id} is done`);
        releaser.release();
      }
    });
    simulator();
    await Promise.all([worker(0), worker(1), worker(2)]);
    expect(log).toEqual([
      'Worker 0 is working',
      'Worker 1 is working',
      'Worker 0 is done',
      'Worker 2 is working',
      'Worker 1 is done',
      'Worker 2 is done',
    ]);
  });

  it('grants free permits synchronously and queues the rest in FIFO order', () => {
    const sem = new Semaphore(1);
    expect(sem.acquire().done()).toBe(true);
    const waiters = [sem.acquire(), sem.acquire(), sem.acquire()];
    expect(waiters.map((w) => w.done())).toEqual([false, false, false]);
    expect(String(sem)).toBe('Semaphore [locked, waiters: 3]');
    sem.release();
    expect(waiters.map((w) => w.done())).toEqual([true, false, false]);
    sem.release();
    expect(waiters.map((w) => w.done())).toEqual([true, true, false]);
  });

  it('counts releases without waiters', () => {
    const sem = new Semaphore(0);
    expect(freePermits(sem)).toBe(0);
    sem.release();
    sem.release();
    expect(freePermits(sem)).toBe(2);
    expect(String(sem)).toBe('Semaphore [unlocked, value: 2]');
  });

  it('leaves the count unchanged when an acquire times out (real loop)', async () => {
    const sem = new Semaphore(1);
    const held = sem.acquire().result();
    const timed = sem.acquire(20);
    await expect(timed).rejects.toThrow(TimeoutError);
    await expect(timed).rejects.toThrow('Semaphore.acquire() timed out after 20 ms');
    held.release();
    expect(freePermits(sem)).toBe(1);
  });

  it('skips a timed-out waiter and wakes the next live one', async () => {
    vi.useFakeTimers();
    const sem = new Semaphore(0);
    const timed = sem.acquire(50);
    const live = sem.acquire();
    const timedOutcome = timed.then(
      () => 'acquired',
      (e: Error) => e.name,
    );
    vi.advanceTimersByTime(50);
    expect(await timedOutcome).toBe('TimeoutError');
    sem.release();
    expect(live.done()).toBe(true);
    expect(freePermits(sem)).toBe(0);
  });

  it('gives up the place in line of a cancelled waiter and keeps the count', async () => {
    const sem = new Semaphore(0);
    const cancelled = sem.acquire();
    const live = sem.acquire();
    cancelled.cancel();
    await expect(cancelled).rejects.toThrow(CancelledError);
    sem.release();
    expect(live.done()).toBe(true);
    expect(freePermits(sem)).toBe(0);
    live.result().release();
    expect(freePermits(sem)).toBe(1);
  });

  it('releases a permit through `await using`', async () => {
    const sem = new Semaphore(1);
    const use = async (): Promise<number> => {
      await using _ = await sem.acquire();
      return freePermits(sem);
    };
    expect(await use()).toBe(0);
    expect(freePermits(sem)).toBe(1);
  });

  it('bounds concurrency in with() and returns each body result', async () => {
    const sem = new Semaphore(2);
    let running = 0;
    let peak = 0;
    const task = (n: number) =>
      sem.with(function* () {
        running++;
        peak = Math.max(peak, running);
        yield sleep(2);
        running--;
        return n * 10;
      });
    const results = await Promise.all([1, 2, 3, 4, 5].map(task));
    expect(results).toEqual([10, 20, 30, 40, 50]);
    expect(peak).toBe(2);
    expect(freePermits(sem)).toBe(2);
  });

  it('releases the permit when a with() body fails', async () => {
    const sem = new Semaphore(1);
    await expect(
      sem.with(() => {
        throw new TypeError('bad body');
      }),
    ).rejects.toThrow('bad body');
    expect(freePermits(sem)).toBe(1);
  });

  it('times out a with() waiting for a permit and leaves the count alone', async () => {
    const sem = new Semaphore(1);
    const held = sem.acquire().result();
    await expect(sem.with(() => 'never', 15)).rejects.toThrow('Semaphore.acquire() timed out after 15 ms');
    held.release();
    expect(freePermits(sem)).toBe(1);
  });

  it('rejects an initial value that is negative or not an integer', () => {
    expect(() => new Semaphore(-1)).toThrow(RangeError);
    expect(() => new Semaphore(-1)).toThrow('Semaphore initial value must be an integer >= 0, got -1');
    expect(() => new Semaphore(1.5)).toThrow(RangeError);
    expect(freePermits(new Semaphore())).toBe(1);
  });

  it('throws TypeError for an invalid timeout and takes no permit', () => {
    const sem = new Semaphore(1);
    expect(() => sem.acquire(Number.NaN)).toThrow(TypeError);
    expect(freePermits(sem)).toBe(1);
  });
});

describe('BoundedSemaphore', () => {
  it('throws InvalidStateError when released more often than acquired', () => {
    const sem = new BoundedSemaphore(2);
    expect(() => sem.release()).toThrow(InvalidStateError);
    expect(() => sem.release()).toThrow(
      'BoundedSemaphore released too many times: all 2 permit(s) are already free',
    );
    const a = sem.acquire().result();
    const b = sem.acquire().result();
    a.release();
    b.release();
    expect(() => sem.release()).toThrow(InvalidStateError);
    expect(freePermits(sem)).toBe(2);
  });

  it('hands a released permit to a waiter without counting it free', () => {
    const sem = new BoundedSemaphore(1);
    const first = sem.acquire().result();
    const waiter = sem.acquire();
    first.release();
    expect(waiter.done()).toBe(true);
    waiter.result().release();
    expect(() => sem.release()).toThrow(InvalidStateError);
  });

  it('is a Semaphore with a default of one permit', () => {
    const sem = new BoundedSemaphore();
    expect(sem).toBeInstanceOf(Semaphore);
    expect(freePermits(sem)).toBe(1);
    expect(String(sem)).toBe('BoundedSemaphore [unlocked, value: 1]');
  });
});
