import {
  CancelledError,
  coroutine,
  currentLoop,
  Future,
  PortableLoop,
  setCurrentLoop,
  TimeoutError,
} from '@gust/core';
import { defineTask, IOLoop } from '@gust/node-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { describeLoopContract } from '../../core/test/contract/loop-contract.ts';
import { activeResources, busyWait, captureLogs, delay, resourcesAddedSince, waitFor } from './helpers.ts';

describeLoopContract(
  'IOLoop',
  () => new IOLoop(),
  (loop) => loop.close(),
);

const loops: IOLoop[] = [];
function newLoop(): IOLoop {
  const loop = new IOLoop();
  loops.push(loop);
  return loop;
}

afterEach(async () => {
  for (const loop of loops.splice(0)) await loop.close();
});

describe('IOLoop', () => {
  it('runs callLater(0, D), addCallback A, addFuture(done, B), addCallback C as A B C D', async () => {
    const loop = newLoop();
    const order: string[] = [];
    loop.callLater(0, () => order.push('D'));
    loop.addCallback(() => order.push('A'));
    loop.addFuture(Future.resolve(1), () => order.push('B'));
    loop.addCallback(() => order.push('C'));
    await waitFor(() => order.length === 4);
    expect(order).toEqual(['A', 'B', 'C', 'D']);
  });

  it('runs callbacks queued before a due timer ahead of it, also when the timer was set long before', async () => {
    const loop = newLoop();
    const order: string[] = [];
    loop.callLater(5, () => order.push('timer'));
    busyWait(10); // the timer is due now, before the callbacks below are queued
    loop.addCallback(() => order.push('a'));
    loop.addCallback(() => order.push('b'));
    await waitFor(() => order.length === 3);
    expect(order).toEqual(['a', 'b', 'timer']);
  });

  it('passes arguments to callbacks and timers', async () => {
    const loop = newLoop();
    const seen: unknown[] = [];
    loop.addCallback((a: number, b: string) => seen.push(['callback', a, b]), 1, 'x');
    loop.callLater(1, (a: number) => seen.push(['later', a]), 2);
    loop.callAt(loop.time() + 2, (a: number) => seen.push(['at', a]), 3);
    loop.addTimeout(loop.time() + 3, (a: number) => seen.push(['timeout', a]), 4);
    await waitFor(() => seen.length === 4);
    expect(seen).toEqual([
      ['callback', 1, 'x'],
      ['later', 2],
      ['at', 3],
      ['timeout', 4],
    ]);
  });

  it('fires callAt and addTimeout at an absolute time() deadline, never before it', async () => {
    const loop = newLoop();
    const deadline = loop.time() + 30;
    let firedAt = 0;
    loop.addTimeout(deadline, () => {
      firedAt = loop.time();
    });
    await waitFor(() => firedAt > 0);
    expect(firedAt).toBeGreaterThanOrEqual(deadline);
  });

  it('calls the addFuture callback with the future once a pending future or promise settles', async () => {
    const loop = newLoop();
    const pending = new Future<number>();
    const seen: Array<[string, unknown]> = [];
    loop.addFuture(pending, (f) => seen.push(['future', f.result()]));
    loop.addFuture(Promise.reject(new Error('nope')), (f) =>
      seen.push(['promise', (f.exception() as Error).message]),
    );
    await delay(10);
    expect(seen).toEqual([['promise', 'nope']]);
    pending.setResult(7);
    await waitFor(() => seen.length === 2);
    expect(seen[1]).toEqual(['future', 7]);
  });

  it('ignores removeTimeout after the timer fired, twice, or with a handle of another loop', async () => {
    const loop = newLoop();
    const other = newLoop();
    let fired = 0;
    const handle = loop.callLater(1, () => fired++);
    const foreign = other.callLater(5, () => fired++);
    loop.removeTimeout(foreign);
    await waitFor(() => fired === 2);
    loop.removeTimeout(handle);
    loop.removeTimeout(handle);
    expect(fired).toBe(2);
  });

  it('throws a TypeError for a delay that is not a number', () => {
    const loop = newLoop();
    expect(() => loop.callLater(Number.NaN, () => {})).toThrow(
      new TypeError('callLater(delayMs, fn) takes milliseconds as a number, got NaN'),
    );
    expect(() => loop.addCallback('nope' as never)).toThrow(TypeError);
  });

  describe('faults', () => {
    it('logs an exception in a callback with its name and keeps running', async () => {
      const loop = newLoop();
      const logs = captureLogs();
      try {
        const error = new Error('boom');
        let after = false;
        loop.addCallback(function exploding() {
          throw error;
        });
        loop.addCallback(() => {
          after = true;
        });
        await waitFor(() => after);
        expect(logs.entries).toEqual([
          { level: 'error', message: 'Exception in callback exploding', details: [error] },
        ]);
        expect((logs.entries[0]!.details[0] as Error).stack).toContain('ioloop.test.ts');
      } finally {
        logs.restore();
      }
    });

    it('logs an exception in a timer and still fires the next timers', async () => {
      const loop = newLoop();
      const logs = captureLogs();
      try {
        let after = false;
        loop.callLater(1, function failingTimer() {
          throw new RangeError('timer failed');
        });
        loop.callLater(2, () => {
          after = true;
        });
        await waitFor(() => after);
        expect(logs.entries.map((e) => e.message)).toEqual(['Exception in callback failingTimer']);
        expect(logs.entries[0]!.details[0]).toBeInstanceOf(RangeError);
      } finally {
        logs.restore();
      }
    });

    it('logs the failure of a spawned coroutine or async callback, but not its cancellation', async () => {
      const loop = newLoop();
      const logs = captureLogs();
      try {
        const failing = coroutine(function* worker() {
          yield delay(1);
          throw new Error('coroutine failed');
        });
        loop.spawnCallback(failing);
        loop.spawnCallback(async function asyncWorker() {
          throw new Error('async failed');
        });
        loop.spawnCallback(function cancelled() {
          const f = new Future<void>();
          f.cancel();
          return f;
        });
        await waitFor(() => logs.entries.length === 2);
        await delay(10);
        expect(logs.entries.map((e) => [e.message, (e.details[0] as Error).message]).sort()).toEqual([
          ['Exception in callback asyncWorker', 'async failed'],
          ['Exception in callback worker', 'coroutine failed'],
        ]);
      } finally {
        logs.restore();
      }
    });
  });

  describe('runSync', () => {
    it('returns the outcome of a value, a Future, a promise or a coroutine run on the loop', async () => {
      const loop = newLoop();
      let onLoop = false;
      loop.addCallback(() => {
        onLoop = true;
      });
      expect(
        await loop.runSync(() => {
          expect(onLoop).toBe(true); // runs on a later turn, after the callbacks queued before it
          return 1;
        }),
      ).toBe(1);
      expect(await loop.runSync(() => Future.resolve(2))).toBe(2);
      expect(await loop.runSync(async () => 3)).toBe(3);
      expect(
        await loop.runSync(function* () {
          const x: number = yield Future.resolve(2);
          return x * 2;
        }),
      ).toBe(4);
      await expect(
        loop.runSync(() => {
          throw new SyntaxError('bad');
        }),
      ).rejects.toThrow(new SyntaxError('bad'));
    });

    it('fails with TimeoutError after the timeout and cancels the coroutine, running its finally', async () => {
      const loop = newLoop();
      const steps: string[] = [];
      const started = loop.time();
      const result = loop.runSync(
        function* () {
          try {
            steps.push('started');
            yield new Future<void>(); // never done
            steps.push('resumed');
          } finally {
            steps.push('finally');
          }
        },
        { timeout: 50 },
      );
      const error = await result.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as Error).message).toBe('Operation timed out after 50 ms');
      expect(loop.time() - started).toBeGreaterThanOrEqual(50);
      await waitFor(() => steps.length === 2);
      expect(steps).toEqual(['started', 'finally']);
      expect(loop.stats().pendingTimers).toBe(0);
    });

    it('clears its timeout timer once the work is done', async () => {
      const loop = newLoop();
      expect(await loop.runSync(() => 'quick', { timeout: 60_000 })).toBe('quick');
      expect(loop.stats().pendingTimers).toBe(0);
    });

    it('rejects on a closed loop', async () => {
      const loop = newLoop();
      await loop.close();
      await expect(loop.runSync(() => 1)).rejects.toThrow('IOLoop is closed: runSync cannot run');
    });
  });

  describe('start and stop', () => {
    it('runs until stop(): the Future of start() resolves then', async () => {
      const loop = newLoop();
      const running = loop.start();
      let stopped = false;
      void running.then(() => {
        stopped = true;
      });
      loop.callLater(20, () => loop.stop());
      await delay(5);
      expect(stopped).toBe(false);
      await running;
      expect(stopped).toBe(true);
    });

    it('throws when started while running, and keeps the process alive while it runs', async () => {
      const loop = newLoop();
      const before = activeResources();
      const running = loop.start();
      expect(() => loop.start()).toThrow(new Error('IOLoop is already running'));
      expect(resourcesAddedSince(before)).toEqual(['1 × Timeout']);
      loop.stop();
      await running;
      expect(resourcesAddedSince(before)).toEqual([]);
      loop.stop(); // not running: no-op
    });
  });

  describe('close', () => {
    it('cancels timers and queued callbacks and drops callbacks added afterwards', async () => {
      const loop = newLoop();
      const ran: string[] = [];
      loop.addCallback(() => ran.push('callback'));
      const handle = loop.callLater(1, () => ran.push('timer'));
      await loop.close();
      loop.addCallback(() => ran.push('late callback'));
      loop.callLater(0, () => ran.push('late timer'));
      loop.removeTimeout(handle);
      await delay(20);
      expect(ran).toEqual([]);
      expect(loop.close()).toBe(loop.close());
    });

    it('stops the loop and a callback closing it stops the drain', async () => {
      const loop = newLoop();
      const running = loop.start();
      const ran: string[] = [];
      loop.addCallback(() => {
        ran.push('closing');
        void loop.close();
      });
      loop.addCallback(() => ran.push('after close'));
      await running;
      await delay(5);
      expect(ran).toEqual(['closing']);
      expect(() => loop.start()).toThrow(new Error('IOLoop is closed: it cannot be started again'));
    });

    it('leaves no handle behind: timers, running state, watchdog, stats and the default executor', async () => {
      const before = activeResources();
      const loop = newLoop();
      void loop.start();
      loop.callLater(60_000, () => {});
      loop.callLater(2 ** 31 + 10, () => {});
      loop.addCallback(() => {});
      loop.setBlockingLogThreshold(100);
      loop.stats();
      const block = defineTask(new URL('./fixtures/tasks.mjs', import.meta.url), 'block');
      const shared = new Int32Array(new SharedArrayBuffer(8));
      const task = loop.runInExecutor(null, block, shared, 0, 1);
      await waitFor(() => Atomics.load(shared, 0) === 1); // the task runs on a worker now
      expect(resourcesAddedSince(before).length).toBeGreaterThan(0);
      await loop.close();
      expect(task.cancelled()).toBe(true);
      expect(resourcesAddedSince(before)).toEqual([]);
    });

    it('clears IOLoop.current() and hands core back to a portable loop when it was current', async () => {
      const loop = IOLoop.current();
      expect(IOLoop.current()).toBe(loop);
      const previous = setCurrentLoop(loop);
      try {
        await loop.close();
        expect(currentLoop()).toBeInstanceOf(PortableLoop);
        const next = IOLoop.current();
        loops.push(next);
        expect(next).not.toBe(loop);
      } finally {
        setCurrentLoop(previous);
      }
    });

    it('makeCurrent() makes a loop current and refuses a closed one', async () => {
      const loop = newLoop();
      loop.makeCurrent();
      expect(IOLoop.current()).toBe(loop);
      await loop.close();
      expect(() => loop.makeCurrent()).toThrow('IOLoop is closed');
      expect(IOLoop.current()).not.toBe(loop);
      loops.push(IOLoop.current());
    });
  });

  describe('stats', () => {
    it('counts pending callbacks and timers', async () => {
      const loop = newLoop();
      loop.addCallback(() => {});
      loop.addCallback(() => {});
      const handle = loop.callLater(1000, () => {});
      loop.callLater(2000, () => {});
      expect(loop.stats()).toMatchObject({ pendingCallbacks: 2, pendingTimers: 2 });
      loop.removeTimeout(handle);
      await delay(5);
      expect(loop.stats()).toMatchObject({ pendingCallbacks: 0, pendingTimers: 1 });
    });

    it('reports loop lag percentiles that show a blocked loop', async () => {
      const loop = newLoop();
      expect(loop.stats({ reset: true }).lag.samples).toBe(0);
      await delay(50);
      const idle = loop.stats({ reset: true }).lag;
      expect(idle.samples).toBeGreaterThan(0);
      await delay(25); // the monitor's first interval after a reset is not measured
      busyWait(120);
      await delay(30);
      const blocked = loop.stats().lag;
      expect(blocked.max).toBeGreaterThanOrEqual(100);
      expect(blocked.p50).toBeLessThanOrEqual(blocked.p99);
      expect(blocked.p99).toBeLessThanOrEqual(blocked.max);
    });
  });

  it('rejects cancelled work with CancelledError through runSync', async () => {
    const loop = newLoop();
    const result = loop.runSync(() => new Future<number>());
    await delay(5);
    result.cancel();
    await expect(result).rejects.toBeInstanceOf(CancelledError);
  });
});
