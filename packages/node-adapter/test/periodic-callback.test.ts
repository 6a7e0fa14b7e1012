import { type Loop, setCurrentLoop, sleep, type TimerHandle } from '@gust/core';
import { IOLoop, PeriodicCallback } from '@gust/node-adapter';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { busyWait, captureLogs, delay, waitFor } from './helpers.ts';

/** A Loop whose clock moves only when the test says so: exact schedules, no real waiting. */
class ManualLoop implements Loop {
  now = 0;
  #timers: Array<{ at: number; fn: () => void; cancelled: boolean }> = [];
  time(): number {
    return this.now;
  }
  callSoon(fn: () => void): void {
    this.callLater(0, fn);
  }
  callLater(delayMs: number, fn: () => void): TimerHandle {
    const timer = { at: this.now + Math.max(0, delayMs), fn, cancelled: false };
    this.#timers.push(timer);
    return timer;
  }
  cancelTimer(handle: TimerHandle): void {
    (handle as { cancelled: boolean }).cancelled = true;
  }
  get pending(): number {
    return this.#timers.filter((t) => !t.cancelled).length;
  }
  /** Moves the clock to `until`, firing due timers in order (a timer's callback may move the clock on). */
  advanceTo(until: number): void {
    for (;;) {
      const due = this.#timers.filter((t) => !t.cancelled && t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      due.cancelled = true;
      this.now = Math.max(this.now, due.at);
      due.fn();
    }
    this.now = Math.max(this.now, until);
  }
}

const loops: IOLoop[] = [];
function newLoop(): IOLoop {
  const loop = new IOLoop();
  loops.push(loop);
  return loop;
}
const callbacks: PeriodicCallback[] = [];
function periodic(...args: ConstructorParameters<typeof PeriodicCallback>): PeriodicCallback {
  const pc = new PeriodicCallback(...args);
  callbacks.push(pc);
  return pc;
}

afterEach(async () => {
  for (const pc of callbacks.splice(0)) pc.stop();
  for (const loop of loops.splice(0)) await loop.close();
  vi.restoreAllMocks();
});

describe('PeriodicCallback', () => {
  it('throws a RangeError for a period <= 0 or not a number, and for jitter outside [0, 1]', () => {
    const fn = (): void => {};
    for (const ms of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new PeriodicCallback(fn, ms)).toThrow(
        new RangeError(`PeriodicCallback needs a positive period in milliseconds, got ${String(ms)}`),
      );
    }
    expect(() => new PeriodicCallback(fn, 10, { jitter: 1.5 })).toThrow(
      new RangeError('PeriodicCallback jitter must be between 0 and 1, got 1.5'),
    );
    expect(() => new PeriodicCallback('nope' as never, 10)).toThrow(TypeError);
  });

  it('runs first one period after start(), then on every slot of the grid', () => {
    const loop = new ManualLoop();
    const runs: number[] = [];
    periodic(() => runs.push(loop.now), 10, { loop }).start();
    loop.advanceTo(9);
    expect(runs).toEqual([]);
    loop.advanceTo(35);
    expect(runs).toEqual([10, 20, 30]);
  });

  it('skips the slots an overrunning call missed instead of bunching them', () => {
    const loop = new ManualLoop();
    const runs: number[] = [];
    periodic(
      () => {
        runs.push(loop.now);
        if (runs.length === 1) loop.now += 35; // the first call takes 35 ms: slots 20, 30 and 40 pass
      },
      10,
      { loop },
    ).start();
    loop.advanceTo(75);
    expect(runs).toEqual([10, 50, 60, 70]);
  });

  it('measures jitter from the period: jitter 0.1 moves a run by up to ±5%', () => {
    vi.spyOn(Math, 'random').mockReturnValue(1); // the largest stretch: 1 + 0.1 × 0.5
    const loop = new ManualLoop();
    const runs: number[] = [];
    periodic(() => runs.push(loop.now), 100, { loop, jitter: 0.1 }).start();
    loop.advanceTo(400);
    expect(runs).toEqual([105, 210, 315]);
  });

  it('stops: no run after stop(), isRunning() reflects it, start() twice schedules once', () => {
    const loop = new ManualLoop();
    const runs: number[] = [];
    const pc = periodic(() => runs.push(loop.now), 10, { loop });
    expect(pc.isRunning()).toBe(false);
    pc.start();
    pc.start();
    expect(loop.pending).toBe(1);
    expect(pc.isRunning()).toBe(true);
    loop.advanceTo(25);
    pc.stop();
    expect(pc.isRunning()).toBe(false);
    expect(loop.pending).toBe(0);
    loop.advanceTo(100);
    expect(runs).toEqual([10, 20]);
  });

  it('runs on the real IOLoop one period after start() and skips missed slots after an overrun', async () => {
    const loop = newLoop();
    const runs: number[] = [];
    const start = loop.time();
    const pc = periodic(
      () => {
        runs.push(loop.time() - start);
        // The first call overruns until 500 ms after start: slot 400 is missed, 600 is the next one.
        if (runs.length === 1) busyWait(start + 500 - loop.time());
      },
      200,
      { loop },
    );
    pc.start();
    await waitFor(() => runs.length === 3);
    pc.stop();
    const [first, second, third] = runs as [number, number, number];
    expect(first).toBeGreaterThanOrEqual(200);
    expect(first).toBeLessThan(500);
    // On the grid the next call is at 600. Bunching would call at ~500 (right after the overrun), a fixed
    // delay after the end at ~700.
    expect(second).toBeGreaterThanOrEqual(600);
    expect(second).toBeLessThan(690);
    expect(third).toBeGreaterThanOrEqual(800);
  });

  it('awaits an async callback, so runs never overlap, and keeps to the grid afterwards', async () => {
    const loop = newLoop();
    const previous = setCurrentLoop(loop);
    try {
      let active = 0;
      let maxActive = 0;
      const starts: number[] = [];
      const start = loop.time();
      const pc = periodic(
        async () => {
          starts.push(loop.time() - start);
          active++;
          maxActive = Math.max(maxActive, active);
          await sleep(45); // longer than two periods
          active--;
        },
        20,
        { loop },
      );
      pc.start();
      await waitFor(() => starts.length === 3);
      pc.stop();
      await waitFor(() => active === 0);
      expect(maxActive).toBe(1);
      for (let i = 1; i < starts.length; i++) {
        expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(45);
      }
    } finally {
      setCurrentLoop(previous);
    }
  });

  it('logs an exception or a failed Future with the callback name and keeps running', async () => {
    const loop = newLoop();
    const logs = captureLogs();
    try {
      let calls = 0;
      const pc = periodic(
        function flaky() {
          calls++;
          if (calls === 1) throw new Error('first call fails');
          if (calls === 2) return Promise.reject(new Error('second call fails'));
          return undefined;
        },
        5,
        { loop },
      );
      pc.start();
      await waitFor(() => calls >= 3);
      pc.stop();
      expect(logs.entries.map((e) => [e.level, e.message, (e.details[0] as Error).message])).toEqual([
        ['error', 'Exception in callback flaky', 'first call fails'],
        ['error', 'Exception in callback flaky', 'second call fails'],
      ]);
    } finally {
      logs.restore();
    }
  });

  it('uses IOLoop.current() when no loop is given', async () => {
    const loop = newLoop();
    loop.makeCurrent();
    let ran = false;
    const pc = periodic(() => {
      ran = true;
    }, 5);
    pc.start();
    expect(loop.stats().pendingTimers).toBe(1);
    await waitFor(() => ran);
    pc.stop();
    expect(loop.stats().pendingTimers).toBe(0);
    await delay(1);
  });
});
