import {
  CancelledError,
  coroutine,
  currentLoop,
  Future,
  InvalidStateError,
  Lock,
  moment,
  sleep,
  TimeoutError,
} from '@gust/core';
import { afterEach, describe, expect, it, vi } from 'vitest';

// Node starts a timer from libuv's cached loop clock, which lags behind performance.now() while a busy
// turn runs, so a timer may fire a few milliseconds "early" by the loop's clock: lower bounds allow that.
const TIMER_SLACK = 5;

/** Lets every pending microtask (and the loop turn after them) run. */
function turn(): Future<void> {
  return Future.from(new Promise<void>((resolve) => setImmediate(resolve)));
}

afterEach(() => {
  vi.useRealTimers();
});

describe('Lock', () => {
  it('starts unlocked and locks synchronously when free', () => {
    const lock = new Lock();
    expect(lock.locked()).toBe(false);
    const acquired = lock.acquire();
    expect(acquired.done()).toBe(true);
    expect(lock.locked()).toBe(true);
    expect(lock.acquire().done()).toBe(false);
    expect(String(lock)).toBe('Lock [locked, waiters: 1]');
  });

  it('hands the lock to waiters first come, first served', async () => {
    const lock = new Lock();
    const log: string[] = [];
    const worker = coroutine(function* (name: string) {
      const releaser = yield* lock.acquire();
      log.push(`${name} in`);
      yield sleep(1);
      log.push(`${name} out`);
      releaser.release();
    });
    await Promise.all([worker('a'), worker('b'), worker('c')]);
    expect(log).toEqual(['a in', 'a out', 'b in', 'b out', 'c in', 'c out']);
    expect(lock.locked()).toBe(false);
  });

  it('throws InvalidStateError when released while unlocked', () => {
    const lock = new Lock();
    expect(() => lock.release()).toThrow(InvalidStateError);
    expect(() => lock.release()).toThrow(
      'Lock.release() called on an unlocked Lock: release only what you acquired',
    );
  });

  it('fails a timed-out acquire with TimeoutError on the real loop and skips it on release', async () => {
    const lock = new Lock();
    const held = lock.acquire().result();
    const loop = currentLoop();
    const start = loop.time();
    const late = lock.acquire(30);
    const error = await late.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toBe('Lock.acquire() timed out after 30 ms');
    expect(loop.time() - start).toBeGreaterThanOrEqual(30 - TIMER_SLACK);
    // The timed-out waiter is not woken: the release unlocks.
    held.release();
    expect(lock.locked()).toBe(false);
  });

  it('accepts an absolute { deadline } on the loop time scale', async () => {
    const lock = new Lock();
    lock.acquire();
    const deadline = currentLoop().time() + 20;
    await expect(lock.acquire({ deadline })).rejects.toThrow('Lock.acquire() timed out after');
    expect(currentLoop().time()).toBeGreaterThanOrEqual(deadline - TIMER_SLACK);
  });

  it('times out with fake timers and clears the timer of a served waiter', async () => {
    vi.useFakeTimers();
    const lock = new Lock();
    const first = lock.acquire().result();
    const timed = lock.acquire(100);
    const served = lock.acquire(1000);
    const outcome = timed.then(
      () => 'acquired',
      (e: Error) => e.name,
    );
    vi.advanceTimersByTime(99);
    expect(timed.done()).toBe(false);
    vi.advanceTimersByTime(1);
    expect(await outcome).toBe('TimeoutError');
    first.release();
    expect(served.done()).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    served.result().release();
    expect(lock.locked()).toBe(false);
  });

  it('gives up the place in line of a cancelled waiter', () => {
    const lock = new Lock();
    const holder = lock.acquire().result();
    const cancelled = lock.acquire(10_000);
    const next = lock.acquire();
    expect(cancelled.cancel()).toBe(true);
    holder.release();
    expect(cancelled.cancelled()).toBe(true);
    expect(next.done()).toBe(true);
    next.result().release();
    expect(lock.locked()).toBe(false);
  });

  it('throws TypeError for an invalid timeout without locking', () => {
    const lock = new Lock();
    expect(() => lock.acquire(Number.NaN)).toThrow(TypeError);
    expect(() => lock.acquire({ deadline: 'soon' } as never)).toThrow(TypeError);
    expect(lock.locked()).toBe(false);
  });

  it('releases once per releaser, however often it is released or disposed', () => {
    const lock = new Lock();
    const releaser = lock.acquire().result();
    const waiter = lock.acquire();
    releaser.release();
    releaser.release();
    releaser[Symbol.dispose]();
    // The second holder still has the lock: the extra calls did not release it.
    expect(waiter.done()).toBe(true);
    expect(lock.locked()).toBe(true);
  });

  it('releases at the end of an `await using` block, also when it throws', async () => {
    const lock = new Lock();
    const critical = async (fail: boolean): Promise<void> => {
      await using _ = await lock.acquire();
      expect(lock.locked()).toBe(true);
      if (fail) throw new Error('boom');
    };
    await critical(false);
    expect(lock.locked()).toBe(false);
    await expect(critical(true)).rejects.toThrow('boom');
    expect(lock.locked()).toBe(false);
  });

  it('releases at the end of a `using` block', () => {
    const lock = new Lock();
    {
      using _ = lock.acquire().result();
      expect(lock.locked()).toBe(true);
    }
    expect(lock.locked()).toBe(false);
  });
});

describe('Lock.with', () => {
  it('serialises generator bodies that yield in their critical section', async () => {
    const lock = new Lock();
    let counter = 0;
    const increment = coroutine(function* () {
      yield lock.with(function* () {
        const read = counter;
        yield sleep(1);
        counter = read + 1;
      });
    });
    await Promise.all(Array.from({ length: 5 }, () => increment()));
    expect(counter).toBe(5);
    expect(lock.locked()).toBe(false);
  });

  it('returns what the body returns: a value, a Future, a promise or a generator result', async () => {
    const lock = new Lock();
    expect(await lock.with(() => 1)).toBe(1);
    expect(await lock.with(() => Future.resolve(2))).toBe(2);
    expect(await lock.with(async () => 3)).toBe(3);
    expect(
      await lock.with(function* () {
        yield moment;
        return 4;
      }),
    ).toBe(4);
    // An array is a value here, not a multi() of yieldables.
    expect(await lock.with(() => [5, 6])).toEqual([5, 6]);
    expect(lock.locked()).toBe(false);
  });

  it('runs a body synchronously when the lock is free', () => {
    const lock = new Lock();
    let ran = false;
    const result = lock.with(() => {
      ran = true;
      expect(lock.locked()).toBe(true);
      return 'now';
    });
    expect(ran).toBe(true);
    expect(result.result()).toBe('now');
    expect(lock.locked()).toBe(false);
  });

  it('releases when the body throws, rejects or fails in a coroutine', async () => {
    const lock = new Lock();
    const sync = lock.with(() => {
      throw new RangeError('sync');
    });
    await expect(sync).rejects.toThrow(RangeError);
    await expect(
      lock.with(async () => {
        throw new Error('async');
      }),
    ).rejects.toThrow('async');
    await expect(
      lock.with(function* () {
        yield moment;
        throw new Error('generator');
      }),
    ).rejects.toThrow('generator');
    expect(lock.locked()).toBe(false);
  });

  it('works from a coroutine and times out waiting for the lock', async () => {
    const lock = new Lock();
    const holder = lock.acquire().result();
    const run = coroutine(function* () {
      try {
        yield lock.with(() => 'never', 20);
        return 'acquired';
      } catch (error) {
        return error;
      }
    });
    const error = await run();
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toBe('Lock.acquire() timed out after 20 ms');
    holder.release();
    expect(lock.locked()).toBe(false);
  });

  it('gives up the place in line when cancelled while waiting', async () => {
    const lock = new Lock();
    const holder = lock.acquire().result();
    let ran = false;
    const waiting = lock.with(() => {
      ran = true;
    });
    const next = lock.acquire();
    expect(waiting.cancel()).toBe(true);
    await expect(waiting).rejects.toThrow(CancelledError);
    holder.release();
    expect(next.done()).toBe(true);
    await turn();
    expect(ran).toBe(false);
  });

  it('cancels a running generator body, runs its finally, then releases', async () => {
    const lock = new Lock();
    const log: string[] = [];
    const running = lock.with(function* () {
      try {
        log.push('start');
        yield sleep(10_000);
      } finally {
        log.push('cleanup');
        yield sleep(5);
        log.push('cleaned');
      }
    });
    const next = lock.with(() => log.push('next'));
    await turn();
    running.cancel();
    await expect(running).rejects.toThrow(CancelledError);
    await next;
    expect(log).toEqual(['start', 'cleanup', 'cleaned', 'next']);
    expect(lock.locked()).toBe(false);
  });

  it('keeps the lock until a cancelled promise body has settled', async () => {
    const lock = new Lock();
    let finish!: () => void;
    const running = lock.with(() => new Promise<void>((resolve) => (finish = resolve)));
    const next = lock.acquire();
    expect(running.cancel()).toBe(true);
    await turn();
    // The promise cannot be stopped, so the body still runs and still holds the lock; the with() Future
    // ends cancelled only once that cleanup is over, like any cancelled coroutine.
    expect(next.done()).toBe(false);
    expect(running.done()).toBe(false);
    finish();
    await expect(running).rejects.toThrow(CancelledError);
    expect(next.done()).toBe(true);
    next.result().release();
    expect(lock.locked()).toBe(false);
  });

  it('releases a lock granted just before the with() Future was cancelled', async () => {
    const lock = new Lock();
    const holder = lock.acquire().result();
    let ran = false;
    const waiting = lock.with(() => {
      ran = true;
    });
    // The release fulfils the waiter synchronously; the cancel comes before the coroutine resumes.
    holder.release();
    expect(lock.locked()).toBe(true);
    waiting.cancel();
    await expect(waiting).rejects.toThrow(CancelledError);
    expect(ran).toBe(false);
    expect(lock.locked()).toBe(false);
  });

  it('rejects a non-function body with TypeError', () => {
    expect(() => new Lock().with(42 as never)).toThrow(TypeError);
  });
});
