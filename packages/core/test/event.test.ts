import { CancelledError, coroutine, currentLoop, Event, multi, TimeoutError } from '@gust/core';
import { afterEach, describe, expect, it, vi } from 'vitest';

// Node starts a timer from libuv's cached loop clock, which lags behind performance.now() while a busy
// turn runs, so a timer may fire a few milliseconds "early" by the loop's clock: lower bounds allow that.
const TIMER_SLACK = 5;

afterEach(() => {
  vi.useRealTimers();
});

describe('Event', () => {
  it('blocks waiters until set, then no longer blocks (Tornado docs example)', async () => {
    const event = new Event();
    const log: string[] = [];
    const waiter = coroutine(function* () {
      log.push('Waiting for event');
      yield event.wait();
      log.push('Not waiting this time');
      yield event.wait();
      log.push('Done');
    });
    const setter = coroutine(() => {
      log.push('About to set the event');
      event.set();
    });
    await multi([waiter(), setter()]);
    expect(log).toEqual(['Waiting for event', 'About to set the event', 'Not waiting this time', 'Done']);
  });

  it('wakes every waiter in FIFO order, after set() returns', async () => {
    const event = new Event();
    const log: string[] = [];
    const waiter = coroutine(function* (name: string) {
      yield event.wait();
      log.push(name);
    });
    const all = multi([waiter('a'), waiter('b'), waiter('c')]);
    event.set();
    log.push('set returned');
    await all;
    expect(log).toEqual(['set returned', 'a', 'b', 'c']);
  });

  it('reports its flag and blocks again after clear()', () => {
    const event = new Event();
    expect(event.isSet()).toBe(false);
    expect(String(event)).toBe('Event [clear]');
    event.set();
    expect(event.isSet()).toBe(true);
    expect(event.wait().done()).toBe(true);
    event.clear();
    expect(event.isSet()).toBe(false);
    const blocked = event.wait();
    expect(blocked.done()).toBe(false);
    event.set();
    expect(blocked.done()).toBe(true);
  });

  it('fails a timed wait with TimeoutError on the real loop', async () => {
    const event = new Event();
    const loop = currentLoop();
    const start = loop.time();
    await expect(event.wait(25)).rejects.toThrow(TimeoutError);
    expect(loop.time() - start).toBeGreaterThanOrEqual(25 - TIMER_SLACK);
    const late = event.wait({ deadline: loop.time() + 10 });
    await expect(late).rejects.toThrow('Event.wait() timed out after 10 ms');
  });

  it('does not wake a timed-out waiter and still wakes the others', async () => {
    vi.useFakeTimers();
    const event = new Event();
    const timed = event.wait(10);
    const other = event.wait();
    const outcome = timed.then(
      () => 'woken',
      (e: Error) => e.name,
    );
    vi.advanceTimersByTime(10);
    expect(await outcome).toBe('TimeoutError');
    event.set();
    expect(other.done()).toBe(true);
    expect(timed.exception()).toBeInstanceOf(TimeoutError);
  });

  it('clears the timer of a waiter that was woken in time', () => {
    vi.useFakeTimers();
    const event = new Event();
    const waiter = event.wait(1000);
    expect(vi.getTimerCount()).toBe(1);
    event.set();
    expect(waiter.done()).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('lets one waiter be cancelled without disturbing the others', async () => {
    const event = new Event();
    const cancelled = event.wait(5000);
    const other = event.wait();
    expect(cancelled.cancel()).toBe(true);
    await expect(cancelled).rejects.toThrow(CancelledError);
    event.set();
    expect(other.done()).toBe(true);
    expect(other.result()).toBeUndefined();
  });

  it('throws TypeError for an invalid timeout', () => {
    const event = new Event();
    expect(() => event.wait(Number.NaN)).toThrow(TypeError);
    event.set();
    expect(() => event.wait({} as never)).toThrow(TypeError);
  });
});
