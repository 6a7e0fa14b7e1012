import { isInvalidStateError, type Loop, setCurrentLoop } from '@gust/core';
import { CachingResolver, DefaultResolver, isResolverError, type ResolverError } from '@gust/node-adapter';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeResolver } from './fixtures/fake-resolver.ts';
import { localLookup } from './fixtures/local-lookup.ts';
import { delay } from './helpers.ts';
import { describeResolverContract } from './resolver-contract.ts';

describeResolverContract(
  'CachingResolver',
  () => new CachingResolver(new DefaultResolver({ lookup: localLookup })),
);

const TABLE = {
  'a.test': ['127.0.0.1'],
  'b.test': ['127.0.0.2'],
  'c.test': ['127.0.0.3'],
  'both.test': ['127.0.0.1', '::1'],
};

describe('CachingResolver', () => {
  // A loop whose clock the test moves: CachingResolver reads the time from currentLoop().time().
  let now = 1000;
  let previous: Loop;
  beforeEach(() => {
    now = 1000;
    previous = setCurrentLoop({
      time: () => now,
      callSoon: (fn) => setImmediate(fn),
      callLater: (ms, fn) => setTimeout(fn, ms),
      cancelTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
    });
  });
  afterEach(() => {
    setCurrentLoop(previous);
  });

  it('reuses an answer for ttlMs, with the port of each request', async () => {
    const fake = new FakeResolver(TABLE);
    const resolver = new CachingResolver(fake, { ttlMs: 500 });
    expect(await resolver.resolve('a.test', 80)).toEqual([{ family: 4, address: '127.0.0.1', port: 80 }]);
    now += 499;
    const hit = resolver.resolve('A.TEST', 443);
    expect(hit.done()).toBe(false); // a cached answer still settles asynchronously
    expect(await hit).toEqual([{ family: 4, address: '127.0.0.1', port: 443 }]);
    expect(fake.calls).toHaveLength(1);
    now += 1; // exactly ttlMs after the answer: expired
    await resolver.resolve('a.test', 80);
    expect(fake.calls).toHaveLength(2);
  });

  it('keys the cache by family', async () => {
    const fake = new FakeResolver(TABLE);
    const resolver = new CachingResolver(fake);
    await resolver.resolve('both.test', 1, 4);
    await resolver.resolve('both.test', 1, 6);
    await resolver.resolve('both.test', 1, 0);
    await resolver.resolve('both.test', 2, 4);
    expect(fake.calls.map((c) => c.family)).toEqual([4, 6, 0]);
  });

  it('keeps at most maxEntries answers and evicts the least recently used', async () => {
    const fake = new FakeResolver(TABLE);
    const resolver = new CachingResolver(fake, { maxEntries: 2 });
    await resolver.resolve('a.test', 1);
    await resolver.resolve('b.test', 1);
    await resolver.resolve('a.test', 1); // hit: a is now the most recently used
    await resolver.resolve('c.test', 1); // evicts b
    expect(resolver.size).toBe(2);
    await resolver.resolve('a.test', 1);
    await resolver.resolve('c.test', 1);
    expect(fake.calls.map((c) => c.host)).toEqual(['a.test', 'b.test', 'c.test']);
    await resolver.resolve('b.test', 1);
    expect(fake.calls.map((c) => c.host)).toEqual(['a.test', 'b.test', 'c.test', 'b.test']);
  });

  it('never caches a failure', async () => {
    const fake = new FakeResolver(TABLE);
    const resolver = new CachingResolver(fake);
    for (let i = 0; i < 2; i++) {
      const error = (await resolver.resolve('missing.test', 1).catch((e: unknown) => e)) as ResolverError;
      expect(isResolverError(error)).toBe(true);
      expect(error.host).toBe('missing.test');
    }
    expect(fake.calls).toHaveLength(2);
    expect(resolver.size).toBe(0);
  });

  it('shares one lookup between concurrent requests for the same key', async () => {
    const fake = new FakeResolver(TABLE);
    fake.manual = true;
    const resolver = new CachingResolver(fake);
    const first = resolver.resolve('a.test', 80);
    const second = resolver.resolve('a.test', 443);
    expect(fake.calls).toHaveLength(1);
    fake.answer();
    expect(await first).toEqual([{ family: 4, address: '127.0.0.1', port: 80 }]);
    expect(await second).toEqual([{ family: 4, address: '127.0.0.1', port: 443 }]);
  });

  it('cancels the shared lookup only when every waiting request is cancelled', async () => {
    const fake = new FakeResolver(TABLE);
    fake.manual = true;
    const resolver = new CachingResolver(fake);
    const first = resolver.resolve('a.test', 80);
    const second = resolver.resolve('a.test', 81);
    first.cancel();
    expect(fake.futures[0]!.cancelled()).toBe(false);
    second.cancel();
    expect(fake.futures[0]!.cancelled()).toBe(true);
    // The next request starts a new lookup.
    const third = resolver.resolve('a.test', 82);
    expect(fake.calls).toHaveLength(2);
    fake.answer();
    expect(await third).toEqual([{ family: 4, address: '127.0.0.1', port: 82 }]);
  });

  it('with ttlMs: 0 caches nothing but still shares concurrent lookups', async () => {
    const fake = new FakeResolver(TABLE);
    const resolver = new CachingResolver(fake, { ttlMs: 0 });
    await Promise.all([resolver.resolve('a.test', 1), resolver.resolve('a.test', 2)]);
    await resolver.resolve('a.test', 3);
    expect(fake.calls).toHaveLength(2);
  });

  it('clear() forgets every answer', async () => {
    const fake = new FakeResolver(TABLE);
    const resolver = new CachingResolver(fake);
    await resolver.resolve('a.test', 1);
    resolver.clear();
    expect(resolver.size).toBe(0);
    await resolver.resolve('a.test', 1);
    expect(fake.calls).toHaveLength(2);
  });

  it('close() cancels pending requests and closes the wrapped resolver; resolve() after it rejects', async () => {
    const fake = new FakeResolver(TABLE);
    fake.manual = true;
    const resolver = new CachingResolver(fake);
    const pending = resolver.resolve('a.test', 1);
    resolver.close();
    expect(pending.cancelled()).toBe(true);
    expect(fake.futures[0]!.cancelled()).toBe(true);
    expect(fake.closed).toBe(1);
    const error = await resolver.resolve('a.test', 1).catch((e: unknown) => e);
    expect(isInvalidStateError(error)).toBe(true);
    expect((error as Error).message).toBe('CachingResolver is closed: create a new one to resolve again');
  });

  it('cancels its waiters when the wrapped resolver cancels the shared lookup', async () => {
    const fake = new FakeResolver(TABLE);
    fake.manual = true;
    const resolver = new CachingResolver(fake);
    const waiter = resolver.resolve('a.test', 1);
    fake.futures[0]!.cancel();
    await delay(0);
    expect(waiter.cancelled()).toBe(true);
  });

  it('refuses invalid options', () => {
    const fake = new FakeResolver();
    expect(() => new CachingResolver(fake, { ttlMs: -1 })).toThrow(
      new RangeError('CachingResolver: ttlMs must be a number ≥ 0, got -1'),
    );
    expect(() => new CachingResolver(fake, { maxEntries: 0 })).toThrow(
      new RangeError('CachingResolver: maxEntries must be an integer ≥ 1, got 0'),
    );
    expect(() => new CachingResolver(fake, { maxEntries: Number.POSITIVE_INFINITY })).not.toThrow();
  });
});

describe('CachingResolver on the real loop clock', () => {
  it('expires an answer after ttlMs of real time', async () => {
    const fake = new FakeResolver(TABLE);
    const resolver = new CachingResolver(fake, { ttlMs: 150 });
    await resolver.resolve('a.test', 1);
    await resolver.resolve('a.test', 2);
    expect(fake.calls).toHaveLength(1);
    await delay(200);
    await resolver.resolve('a.test', 3);
    expect(fake.calls).toHaveLength(2);
  });
});
