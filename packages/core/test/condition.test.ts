import { CancelledError, Condition, coroutine, currentLoop, multi, sleep, TimeoutError } from '@gust/core';
import { afterEach, describe, expect, it, vi } from 'vitest';

// Node starts a timer from libuv's cached loop clock, which lags behind performance.now() while a busy
// turn runs, so a timer may fire a few milliseconds "early" by the loop's clock: lower bounds allow that.
const TIMER_SLACK = 5;

afterEach(() => {
  vi.useRealTimers();
});

describe('Condition', () => {
  it('resumes a waiter after the notifier finishes (Tornado docs example)', async () => {
    const condition = new Condition();
    const log: string[] = [];
    const waiter = coroutine(function* () {
      log.push("I'll wait right here");
      yield condition.wait();
      log.push("I'm done waiting");
    });
    const notifier = coroutine(() => {
      log.push('About to notify');
      condition.notify();
      log.push('Done notifying');
    });
    await multi([waiter(), notifier()]);
    expect(log).toEqual(["I'll wait right here", 'About to notify', 'Done notifying', "I'm done waiting"]);
  });

  it('wakes waiters one at a time in FIFO order with true', async () => {
    const condition = new Condition();
    const waiters = [condition.wait(), condition.wait(), condition.wait()];
    expect(String(condition)).toBe('Condition [waiters: 3]');
    condition.notify();
    expect(waiters.map((w) => w.done())).toEqual([true, false, false]);
    condition.notify();
    expect(waiters.map((w) => w.done())).toEqual([true, true, false]);
    expect(await waiters[0]).toBe(true);
    condition.notifyAll();
    expect(await multi(waiters)).toEqual([true, true, true]);
    expect(String(condition)).toBe('Condition []');
  });

  it('does not remember a notify that nobody was waiting for', () => {
    const condition = new Condition();
    condition.notify();
    condition.notifyAll();
    expect(condition.wait().done()).toBe(false);
  });

  it('notify(2) with one timed-out waiter wakes the next two live ones (real loop)', async () => {
    const condition = new Condition();
    const timed = condition.wait(10);
    const live = [condition.wait(), condition.wait(), condition.wait()];
    await expect(timed).rejects.toThrow(TimeoutError);
    await expect(timed).rejects.toThrow('Condition.wait() timed out after 10 ms');
    condition.notify(2);
    expect(live.map((w) => w.done())).toEqual([true, true, false]);
    condition.notifyAll();
    expect(live[2]?.done()).toBe(true);
  });

  it('times out by { deadline } and later waiters are unaffected', async () => {
    const condition = new Condition();
    const loop = currentLoop();
    const start = loop.time();
    const timed = condition.wait({ deadline: start + 20 });
    const live = condition.wait();
    await expect(timed).rejects.toThrow(TimeoutError);
    expect(loop.time() - start).toBeGreaterThanOrEqual(20 - TIMER_SLACK);
    expect(live.done()).toBe(false);
    condition.notify();
    expect(await live).toBe(true);
  });

  it('skips cancelled waiters', async () => {
    const condition = new Condition();
    const first = condition.wait();
    const second = condition.wait();
    first.cancel();
    await expect(first).rejects.toThrow(CancelledError);
    condition.notify(1);
    expect(second.done()).toBe(true);
  });

  it('times out with fake timers and clears the timers of notified waiters', async () => {
    vi.useFakeTimers();
    const condition = new Condition();
    const short = condition.wait(50);
    const long = condition.wait(5000);
    const outcome = short.then(
      () => 'notified',
      (e: Error) => e.name,
    );
    vi.advanceTimersByTime(49);
    expect(short.done()).toBe(false);
    vi.advanceTimersByTime(1);
    expect(await outcome).toBe('TimeoutError');
    condition.notify();
    expect(long.done()).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('wakes waiters that keep waiting in a loop, each on its own notify', async () => {
    const condition = new Condition();
    let wakeups = 0;
    const loopWaiter = coroutine(function* () {
      for (let i = 0; i < 3; i++) {
        yield condition.wait(1000);
        wakeups++;
      }
    });
    const done = loopWaiter();
    for (let i = 0; i < 3; i++) {
      await sleep(1);
      condition.notify();
    }
    await done;
    expect(wakeups).toBe(3);
  });

  it('keeps FIFO order across notifies, cancellations and waiters added after the line emptied', async () => {
    const condition = new Condition();
    const woken: string[] = [];
    const wait = (name: string) => {
      const waiter = condition.wait();
      waiter.then(
        () => woken.push(name),
        () => {},
      );
      return waiter;
    };
    wait('a');
    const b = wait('b');
    condition.notify();
    b.cancel();
    wait('c');
    condition.notify();
    condition.notify(); // nobody left
    wait('d');
    wait('e');
    condition.notifyAll();
    await sleep(1);
    expect(woken).toEqual(['a', 'c', 'd', 'e']);
  });

  it('wakes 20,000 waiters at once, in order', async () => {
    const condition = new Condition();
    const order: number[] = [];
    const waiters = Array.from({ length: 20_000 }, (_, i) => condition.wait().then(() => order.push(i)));
    condition.notifyAll();
    await Promise.all(waiters);
    expect(order).toEqual(Array.from({ length: 20_000 }, (_, i) => i));
    expect(String(condition)).toBe('Condition []');
  });

  it('rejects a negative or fractional n', () => {
    const condition = new Condition();
    expect(() => condition.notify(-1)).toThrow(RangeError);
    expect(() => condition.notify(1.5)).toThrow('Condition.notify(n) takes an integer >= 0, got 1.5');
  });
});
