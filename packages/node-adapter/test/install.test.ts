import { coroutine, currentLoop, Future, type Loop, sleep, TimeoutError, withTimeout } from '@gust/core';
import { IOLoop, install } from '@gust/node-adapter';
import { afterEach, describe, expect, it } from 'vitest';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('install', () => {
  it("makes IOLoop.current() core's current loop, and the returned function undoes it", async () => {
    const before: Loop = currentLoop();
    const uninstall = install();
    cleanups.push(() => IOLoop.current().close());
    cleanups.push(uninstall);
    expect(currentLoop()).toBe(IOLoop.current());
    uninstall();
    uninstall();
    expect(currentLoop()).toBe(before);
  });

  it('runs core coroutines, sleep and withTimeout on the IOLoop', async () => {
    const loop = new IOLoop();
    cleanups.push(() => loop.close());
    cleanups.push(install({ loop }));
    const main = coroutine(function* () {
      const started = loop.time();
      yield sleep(20);
      expect(loop.stats().pendingTimers).toBe(0);
      const waited = loop.time() - started;
      try {
        yield withTimeout(10, new Future<void>());
      } catch (error) {
        return { waited, timedOut: error instanceof TimeoutError };
      }
      return { waited, timedOut: false };
    });
    const pending = main();
    expect(loop.stats().pendingTimers).toBe(1); // the sleep's timer lives on the IOLoop
    const result = await pending;
    expect(result.waited).toBeGreaterThanOrEqual(20);
    expect(result.timedOut).toBe(true);
  });
});
