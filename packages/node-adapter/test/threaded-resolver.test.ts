import { execFileSync } from 'node:child_process';
import { pbkdf2 } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, read, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Future, isInvalidStateError } from '@gust/core';
import {
  DefaultResolver,
  type LookupFunction,
  type ResolvedAddress,
  type Resolver,
  ThreadedResolver,
} from '@gust/node-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { threadpoolSize } from '../src/threaded-resolver.ts';
import { localLookup } from './fixtures/local-lookup.ts';
import { captureLogs, delay, waitFor } from './helpers.ts';
import { describeResolverContract } from './resolver-contract.ts';

describeResolverContract(
  'ThreadedResolver',
  () => new ThreadedResolver({ numThreads: 2, lookup: localLookup }),
);

const LOOPBACK = [{ address: '127.0.0.1', family: 4 }];

/** A lookup that answers after `ms` on a timer, recording when each call starts and ends. */
function timedLookup(ms: number, log: Array<{ host: string; start: number; end?: number }>): LookupFunction {
  return (host, _options, callback) => {
    const entry: { host: string; start: number; end?: number } = { host, start: performance.now() };
    log.push(entry);
    setTimeout(() => {
      entry.end = performance.now();
      callback(null, LOOPBACK);
    }, ms);
  };
}

const resolvers: Resolver[] = [];
afterEach(() => {
  for (const resolver of resolvers.splice(0)) resolver.close();
});
function track<R extends Resolver>(resolver: R): R {
  resolvers.push(resolver);
  return resolver;
}

describe('ThreadedResolver', () => {
  it('defaults its budget to half of libuv thread pool, computed as libuv does', () => {
    expect(threadpoolSize({})).toBe(4);
    expect(threadpoolSize({ UV_THREADPOOL_SIZE: '8' })).toBe(8);
    expect(threadpoolSize({ UV_THREADPOOL_SIZE: '16threads' })).toBe(16);
    expect(threadpoolSize({ UV_THREADPOOL_SIZE: '0' })).toBe(1);
    expect(threadpoolSize({ UV_THREADPOOL_SIZE: 'many' })).toBe(1);
    expect(threadpoolSize({ UV_THREADPOOL_SIZE: '5000' })).toBe(1024);
    expect(threadpoolSize({ UV_THREADPOOL_SIZE: '-1' })).toBe(1024);
    expect(new ThreadedResolver().numThreads).toBe(Math.max(1, Math.floor(threadpoolSize() / 2)));
  });

  it('warns when its budget would take the whole libuv pool, and refuses a budget below 1', () => {
    const logs = captureLogs();
    try {
      new ThreadedResolver({ numThreads: threadpoolSize() - 1 });
      expect(logs.entries).toEqual([]);
      new ThreadedResolver({ numThreads: threadpoolSize() });
      expect(logs.entries.map((e) => e.level)).toEqual(['warn']);
      expect(logs.entries[0]?.message).toMatch(
        /^ThreadedResolver: numThreads \d+ ≥ libuv's thread pool size \d+/,
      );
    } finally {
      logs.restore();
    }
    expect(() => new ThreadedResolver({ numThreads: 0 })).toThrow(
      new RangeError('ThreadedResolver: numThreads must be an integer ≥ 1, got 0'),
    );
    expect(() => new ThreadedResolver({ numThreads: 1.5 })).toThrow(RangeError);
  });

  it('with numThreads: 1 runs two slow lookups one after the other', async () => {
    const log: Array<{ host: string; start: number; end?: number }> = [];
    const resolver = track(new ThreadedResolver({ numThreads: 1, lookup: timedLookup(80, log) }));
    const first = resolver.resolve('one.test', 1);
    const second = resolver.resolve('two.test', 2);
    expect([resolver.running, resolver.queued]).toEqual([1, 1]);
    expect(log.map((e) => e.host)).toEqual(['one.test']);
    await Promise.all([first, second]);
    expect(log.map((e) => e.host)).toEqual(['one.test', 'two.test']);
    expect(log[1]!.start).toBeGreaterThanOrEqual(log[0]!.end!);
    expect(log[1]!.end! - log[0]!.start).toBeGreaterThanOrEqual(155);
    expect([resolver.running, resolver.queued]).toEqual([0, 0]);
  });

  it('with numThreads: 2 runs two lookups at once and queues the third (FIFO)', async () => {
    const log: Array<{ host: string; start: number; end?: number }> = [];
    const resolver = track(new ThreadedResolver({ numThreads: 2, lookup: timedLookup(60, log) }));
    const futures = ['a.test', 'b.test', 'c.test', 'd.test'].map((host, i) => resolver.resolve(host, i));
    expect(log.map((e) => e.host)).toEqual(['a.test', 'b.test']);
    expect(resolver.queued).toBe(2);
    await Promise.all(futures);
    expect(log.map((e) => e.host)).toEqual(['a.test', 'b.test', 'c.test', 'd.test']);
    const firstEnd = Math.min(log[0]!.end!, log[1]!.end!);
    expect(log[2]!.start).toBeGreaterThanOrEqual(firstEnd);
  });

  it('removes a cancelled lookup from the queue before it runs', async () => {
    const log: Array<{ host: string; start: number; end?: number }> = [];
    const resolver = track(new ThreadedResolver({ numThreads: 1, lookup: timedLookup(30, log) }));
    const first = resolver.resolve('first.test', 1);
    const queued = resolver.resolve('queued.test', 2);
    const last = resolver.resolve('last.test', 3);
    expect(queued.cancel()).toBe(true);
    expect(resolver.queued).toBe(1);
    await Promise.all([first, last]);
    expect(log.map((e) => e.host)).toEqual(['first.test', 'last.test']);
  });

  it('keeps the slot of a cancelled running lookup until the lookup returns', async () => {
    const log: Array<{ host: string; start: number; end?: number }> = [];
    const resolver = track(new ThreadedResolver({ numThreads: 1, lookup: timedLookup(60, log) }));
    const running = resolver.resolve('running.test', 1);
    const next = resolver.resolve('next.test', 2);
    running.cancel();
    await delay(10);
    // getaddrinfo cannot be interrupted: its thread is still busy, so the budget still counts it.
    expect([resolver.running, resolver.queued]).toEqual([1, 1]);
    expect(await next).toEqual([{ family: 4, address: '127.0.0.1', port: 2 }]);
    expect(log[1]!.start).toBeGreaterThanOrEqual(log[0]!.end!);
  });

  it('close() cancels queued lookups; resolve() after it rejects with InvalidStateError', async () => {
    const log: Array<{ host: string; start: number; end?: number }> = [];
    const resolver = new ThreadedResolver({ numThreads: 1, lookup: timedLookup(20, log) });
    const running = resolver.resolve('running.test', 1);
    const queued = resolver.resolve('queued.test', 2);
    resolver.close();
    expect(queued.cancelled()).toBe(true);
    expect(running.done()).toBe(false);
    const error = await resolver.resolve('after.test', 3).catch((e: unknown) => e);
    expect(isInvalidStateError(error)).toBe(true);
    expect((error as Error).message).toBe('ThreadedResolver is closed: create a new one to resolve again');
    expect(await running).toEqual([{ family: 4, address: '127.0.0.1', port: 1 }]);
    expect(log.map((e) => e.host)).toEqual(['running.test']);
  });

  // A lookup that holds a libuv thread like a getaddrinfo waiting for a nameserver that does not answer:
  // a blocking read(2) of one byte from a FIFO, which the test feeds to let lookups finish.
  describe.skipIf(threadpoolSize() !== 4 || process.platform === 'win32')(
    'on the real libuv pool (UV_THREADPOOL_SIZE = 4)',
    () => {
      const ITERATIONS = 10_000;
      const PROBES = 16;

      function probe(): Promise<number> {
        return new Promise((resolve, reject) => {
          pbkdf2('secret', 'salt', ITERATIONS, 32, 'sha256', (error) =>
            error ? reject(error) : resolve(performance.now()),
          );
        });
      }

      /** Runs PROBES pbkdf2 calls at once; returns how many finish per second. */
      async function throughput(): Promise<number> {
        const start = performance.now();
        await Promise.all(Array.from({ length: PROBES }, probe));
        return (PROBES * 1000) / (performance.now() - start);
      }

      function withFifo(
        body: (fd: number, hangingLookup: LookupFunction) => Promise<void>,
      ): () => Promise<void> {
        return async () => {
          const dir = mkdtempSync(join(tmpdir(), 'gust-resolver-'));
          const fifo = join(dir, 'nameserver');
          execFileSync('mkfifo', [fifo]);
          // O_RDWR: opening does not wait for a writer, and reads block until bytes arrive.
          const fd = openSync(fifo, 'r+');
          let pendingReads = 0;
          const hangingLookup: LookupFunction = (_host, _options, callback) => {
            pendingReads++;
            read(fd, Buffer.alloc(1), 0, 1, null, () => {
              pendingReads--;
              callback(null, LOOPBACK);
            });
          };
          try {
            await body(fd, hangingLookup);
          } finally {
            // Never leave a libuv thread blocked: feed every read, then wait for them before closing.
            writeSync(fd, Buffer.alloc(64));
            await waitFor(() => pendingReads === 0);
            closeSync(fd);
            rmSync(dir, { recursive: true });
          }
        };
      }

      it(
        'keeps crypto work running at full speed while numThreads lookups hang',
        withFifo(async (fd, hangingLookup) => {
          await throughput(); // warm up the pool
          const baseline = await throughput();
          const resolver = track(new ThreadedResolver({ numThreads: 2, lookup: hangingLookup }));
          const lookups: Array<Future<ResolvedAddress[]>> = [];
          for (let i = 0; i < 6; i++) lookups.push(resolver.resolve(`hang${i}.test`, 80));
          expect([resolver.running, resolver.queued]).toEqual([2, 4]);
          await delay(20);
          const during = await throughput();
          expect(lookups.every((f) => !f.done())).toBe(true);
          if (process.env.GUST_MEASURE) {
            console.info(
              `pbkdf2/s: baseline ${baseline.toFixed(0)}, 2 of 4 threads hanging ${during.toFixed(0)}`,
            );
          }
          // Two free threads still keep both cores of this machine busy: about the same rate when measured
          // alone (docs/guide/resolvers.md). 0.3 is a loose floor for a machine loaded by other processes;
          // without the budget the rate is zero until the lookups finish (next test).
          expect(during).toBeGreaterThan(baseline * 0.3);
          writeSync(fd, Buffer.alloc(6));
          await Promise.all(lookups);
        }),
      );

      it(
        'DefaultResolver, without a budget, lets hanging lookups stall crypto work (contrast)',
        withFifo(async (fd, hangingLookup) => {
          const resolver = new DefaultResolver({ lookup: hangingLookup });
          const lookups: Array<Future<ResolvedAddress[]>> = [];
          for (let i = 0; i < 6; i++) lookups.push(resolver.resolve(`hang${i}.test`, 80));
          await delay(20);
          let probeDone: number | undefined;
          const pending = probe().then((at) => (probeDone = at));
          await delay(300); // a probe alone takes a few tens of ms
          expect(probeDone).toBeUndefined();
          const released = performance.now();
          writeSync(fd, Buffer.alloc(6));
          await Promise.all([...lookups, pending]);
          expect(probeDone).toBeGreaterThanOrEqual(released);
        }),
      );
    },
  );
});
