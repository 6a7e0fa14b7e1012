import { type Loop, MAX_TIMER_DELAY } from '@gust/core';
import { afterEach, describe, expect, it, vi } from 'vitest';

/** Options of {@link describeLoopContract}. */
export interface LoopContractOptions {
  /**
   * How much earlier than its delay (on `time()`) a timer may fire. 0 for a loop that checks its deadlines
   * on `time()`; a loop that trusts `setTimeout` alone fires up to 1 ms early, because Node's timers count
   * on libuv's millisecond clock.
   * @default 0
   */
  timerSlackMs?: number;
}

/**
 * The behaviour every {@link Loop} implementation owes core: `callSoon` FIFO on a later turn, `callLater`
 * in deadline order and never early, `cancelTimer` idempotent, `time()` monotonic, delays above 2^31−1 ms
 * split rather than fired at once. Run it against each implementation:
 *
 * ```ts
 * describeLoopContract('PortableLoop', () => new PortableLoop());
 * describeLoopContract('IOLoop', () => new IOLoop(), (loop) => loop.close());
 * ```
 *
 * Tests run on the real clock, except the long-delay one, which fakes `setTimeout`, `setImmediate` and
 * `performance` (the loop must read them at call time, as core's seam requires).
 * Tornado: the loop half of `tornado.test.ioloop_test`.
 */
export function describeLoopContract<L extends Loop>(
  name: string,
  makeLoop: () => L,
  teardown?: (loop: L) => unknown,
  options?: LoopContractOptions,
): void {
  const slack = options?.timerSlackMs ?? 0;
  describe(`${name} (Loop contract)`, () => {
    const made: L[] = [];
    const create = (): L => {
      const loop = makeLoop();
      made.push(loop);
      return loop;
    };

    afterEach(async () => {
      for (const loop of made.splice(0)) await teardown?.(loop);
      vi.useRealTimers();
    });

    const waitFor = (condition: () => boolean, ms = 5000): Promise<void> =>
      new Promise((resolve, reject) => {
        const start = Date.now();
        const poll = (): void => {
          if (condition()) resolve();
          else if (Date.now() - start > ms) reject(new Error('condition not met in time'));
          else setTimeout(poll, 2);
        };
        poll();
      });

    it('runs callSoon callbacks in FIFO order on a later turn, after pending microtasks', async () => {
      const loop = create();
      const order: string[] = [];
      loop.callSoon(() => order.push('a'));
      loop.callSoon(() => order.push('b'));
      queueMicrotask(() => order.push('microtask'));
      loop.callSoon(() => order.push('c'));
      expect(order).toEqual([]);
      await waitFor(() => order.length === 4);
      expect(order).toEqual(['microtask', 'a', 'b', 'c']);
    });

    it('runs a callback added during a callback after the callbacks already queued', async () => {
      const loop = create();
      const order: string[] = [];
      loop.callSoon(() => {
        order.push('a');
        loop.callSoon(() => order.push('c'));
      });
      loop.callSoon(() => order.push('b'));
      await waitFor(() => order.length === 3);
      expect(order).toEqual(['a', 'b', 'c']);
    });

    it('fires timers in deadline order, equal deadlines in the order they were added', async () => {
      const loop = create();
      const order: string[] = [];
      loop.callLater(30, () => order.push('30'));
      loop.callLater(10, () => order.push('10a'));
      loop.callLater(20, () => order.push('20'));
      loop.callLater(10, () => order.push('10b'));
      loop.callLater(0, () => order.push('0'));
      await waitFor(() => order.length === 5);
      expect(order).toEqual(['0', '10a', '10b', '20', '30']);
    });

    it(`never fires a timer before its delay has passed on time()${slack > 0 ? ` (slack ${slack} ms)` : ''}`, async () => {
      const loop = create();
      const delays = [1, 5, 15, 40];
      const early: string[] = [];
      let fired = 0;
      for (const delay of delays) {
        const start = loop.time();
        loop.callLater(delay, () => {
          const elapsed = loop.time() - start;
          if (elapsed < delay - slack) early.push(`${delay} ms timer fired after ${elapsed} ms`);
          fired++;
        });
      }
      await waitFor(() => fired === delays.length);
      expect(early).toEqual([]);
    });

    it('cancelTimer prevents a timer from firing, and is safe twice and after the timer fired', async () => {
      const loop = create();
      const order: string[] = [];
      const cancelled = loop.callLater(5, () => order.push('cancelled'));
      const fired = loop.callLater(10, () => order.push('fired'));
      loop.cancelTimer(cancelled);
      loop.cancelTimer(cancelled);
      await waitFor(() => order.length === 1);
      loop.cancelTimer(fired);
      loop.cancelTimer(fired);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(order).toEqual(['fired']);
    });

    it('lets a timer cancel another timer that is due at the same time', async () => {
      const loop = create();
      const order: string[] = [];
      let second: ReturnType<Loop['callLater']> | undefined;
      loop.callLater(5, () => {
        order.push('first');
        loop.cancelTimer(second!);
      });
      second = loop.callLater(5, () => order.push('second'));
      loop.callLater(15, () => order.push('third'));
      await waitFor(() => order.length >= 2);
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(order).toEqual(['first', 'third']);
    });

    it('keeps time() monotonic and in step with the clock', async () => {
      const loop = create();
      let previous = loop.time();
      for (let i = 0; i < 10_000; i++) {
        const now = loop.time();
        expect(now).toBeGreaterThanOrEqual(previous);
        previous = now;
      }
      const start = loop.time();
      const wallStart = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 30));
      const elapsed = loop.time() - start;
      expect(elapsed).toBeGreaterThanOrEqual(29);
      expect(Math.abs(elapsed - (performance.now() - wallStart))).toBeLessThan(5);
    });

    it('does not fire a timer longer than 2^31−1 ms early (real clock)', async () => {
      const loop = create();
      let fired = false;
      const handle = loop.callLater(MAX_TIMER_DELAY + 1000, () => {
        fired = true;
      });
      // A plain setTimeout with this delay fires after 1 ms.
      await new Promise((resolve) => setTimeout(resolve, 50));
      loop.cancelTimer(handle);
      expect(fired).toBe(false);
    });

    it('splits a delay longer than 2^31−1 ms and fires it when the whole delay has passed', () => {
      vi.useFakeTimers({
        toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance'],
      });
      const loop = create();
      const delay = MAX_TIMER_DELAY * 2 + 5000;
      let firedAt: number | undefined;
      const start = loop.time();
      loop.callLater(delay, () => {
        firedAt = loop.time() - start;
      });
      vi.advanceTimersByTime(MAX_TIMER_DELAY);
      expect(firedAt).toBeUndefined();
      vi.advanceTimersByTime(MAX_TIMER_DELAY);
      expect(firedAt).toBeUndefined();
      vi.advanceTimersByTime(4999);
      expect(firedAt).toBeUndefined();
      vi.advanceTimersByTime(1);
      expect(firedAt).toBe(delay);
    });
  });
}
