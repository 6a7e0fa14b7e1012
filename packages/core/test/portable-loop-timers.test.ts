import { currentLoop, Future, MAX_TIMER_DELAY, PortableLoop, setCurrentLoop, sleep } from '@gust/core';
import { afterEach, describe, expect, it, vi } from 'vitest';

describe('PortableLoop timers', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('splits delays above 2^31-1 ms instead of firing them at once', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const loop = new PortableLoop();
    const fired = vi.fn();
    const delay = MAX_TIMER_DELAY * 2 + 1000;
    loop.callLater(delay, fired);
    vi.advanceTimersByTime(MAX_TIMER_DELAY);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(MAX_TIMER_DELAY);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(999);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('cancels a split timer between its segments', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const loop = new PortableLoop();
    const fired = vi.fn();
    const handle = loop.callLater(MAX_TIMER_DELAY + 10, fired);
    vi.advanceTimersByTime(MAX_TIMER_DELAY);
    loop.cancelTimer(handle);
    loop.cancelTimer(handle);
    vi.advanceTimersByTime(100);
    expect(fired).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sleeps on the real loop for at least the delay', async () => {
    const started = performance.now();
    await sleep(20);
    expect(performance.now() - started).toBeGreaterThanOrEqual(19);
  });

  it('routes sleep through the current loop', async () => {
    const calls: number[] = [];
    const base = new PortableLoop();
    const spy = {
      time: () => base.time(),
      callSoon: (fn: () => void) => base.callSoon(fn),
      callLater: (ms: number, fn: () => void) => {
        calls.push(ms);
        return base.callLater(ms, fn);
      },
      cancelTimer: (h: object) => base.cancelTimer(h),
    };
    const previous = setCurrentLoop(spy);
    try {
      expect(currentLoop()).toBe(spy);
      await sleep(3);
      expect(calls).toEqual([3]);
    } finally {
      setCurrentLoop(previous);
    }
  });

  it('sleep rejects a non-number with a TypeError', () => {
    expect(() => sleep('10' as never)).toThrow(/milliseconds/);
  });

  it('resolves sleep futures in deadline order', async () => {
    const order: number[] = [];
    await Future.from(
      Promise.all([
        sleep(15).then(() => order.push(15)),
        sleep(5).then(() => order.push(5)),
        sleep(10).then(() => order.push(10)),
      ]),
    );
    expect(order).toEqual([5, 10, 15]);
  });
});
