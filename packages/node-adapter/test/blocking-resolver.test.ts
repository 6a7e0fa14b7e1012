import { isInvalidStateError } from '@gust/core';
import { BlockingResolver, IOLoop, isResolverError, type ResolverError } from '@gust/node-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { localLookupSync } from './fixtures/local-lookup.ts';
import { captureLogs, waitFor } from './helpers.ts';
import { describeResolverContract } from './resolver-contract.ts';

/** A BlockingResolver whose lookups stay on this machine (the real helper thread for local names). */
class LocalBlockingResolver extends BlockingResolver {
  readonly #real: BlockingResolver;
  constructor() {
    const real = new BlockingResolver();
    super({ lookupSync: localLookupSync((host, family) => real.resolve(host, 0, family).result()) });
    this.#real = real;
  }
  override close(): void {
    super.close();
    this.#real.close();
  }
}

describeResolverContract('BlockingResolver', () => new LocalBlockingResolver(), { synchronous: true });

const resolvers: BlockingResolver[] = [];
afterEach(() => {
  for (const resolver of resolvers.splice(0)) resolver.close();
});
function track(resolver: BlockingResolver): BlockingResolver {
  resolvers.push(resolver);
  return resolver;
}

describe('BlockingResolver', () => {
  it('resolves with getaddrinfo on a helper thread before resolve() returns', () => {
    const resolver = track(new BlockingResolver());
    const future = resolver.resolve('localhost', 8080, 4);
    expect(future.done()).toBe(true);
    expect(future.result()).toContainEqual({ family: 4, address: '127.0.0.1', port: 8080 });
    expect(resolver.resolve('::1', 1).result()).toEqual([{ family: 6, address: '::1', port: 1 }]);
  });

  it('really blocks the loop: a timer due meanwhile fires only after resolve() returns', async () => {
    const resolver = track(new BlockingResolver({ delayMs: 200 }));
    resolver.resolve('localhost', 80, 4); // starts the helper thread
    let firedAt: number | undefined;
    const start = performance.now();
    const timer = setTimeout(() => (firedAt = performance.now()), 10);
    const future = resolver.resolve('localhost', 80, 4);
    const returned = performance.now();
    expect(returned - start).toBeGreaterThanOrEqual(195);
    expect(future.result()).toContainEqual({ family: 4, address: '127.0.0.1', port: 80 });
    expect(firedAt).toBeUndefined();
    await waitFor(() => firedAt !== undefined);
    clearTimeout(timer);
    expect(firedAt!).toBeGreaterThanOrEqual(returned);
  });

  it('shows up in the IOLoop blocking watchdog under the name of the callback that resolved', async () => {
    const resolver = track(new BlockingResolver({ delayMs: 120 }));
    const loop = new IOLoop();
    const logs = captureLogs();
    try {
      loop.setBlockingLogThreshold(50, { outsideCallbacks: false });
      let done = false;
      loop.addCallback(function connectToBackend() {
        resolver.resolve('localhost', 80, 4);
        done = true;
      });
      await waitFor(() => done);
      const warnings = logs.entries.filter((e) => e.level === 'warn').map((e) => e.message);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^IOLoop blocked for \d+\.\d ms by callback connectToBackend/);
    } finally {
      logs.restore();
      await loop.close();
    }
  });

  it('fails with ETIMEOUT when the helper thread does not answer in time', () => {
    // 1 ms is less than a worker thread needs to start, so the first answer always comes too late.
    const resolver = track(new BlockingResolver({ timeoutMs: 1 }));
    const error = resolver.resolve('localhost', 80).exception() as ResolverError;
    expect(isResolverError(error)).toBe(true);
    expect(error.code).toBe('ETIMEOUT');
    expect(error.message).toBe('Cannot resolve host "localhost" (ETIMEOUT): no answer within 1 ms');
  });

  it('wraps errors of a custom lookupSync and keeps only the requested family', () => {
    const resolver = track(
      new BlockingResolver({
        lookupSync: (host) => {
          if (host === 'bad.test') throw Object.assign(new Error('nope'), { code: 'EAI_FAIL' });
          return [
            { address: '::1', family: 6 },
            { address: '127.0.0.1', family: 4 },
          ];
        },
      }),
    );
    expect(resolver.resolve('x.test', 5, 4).result()).toEqual([{ family: 4, address: '127.0.0.1', port: 5 }]);
    const error = resolver.resolve('bad.test', 5).exception() as ResolverError;
    expect(error.message).toBe('Cannot resolve host "bad.test" (EAI_FAIL): nope');
  });

  it('close() ends the helper thread; resolve() after it rejects with InvalidStateError', () => {
    const resolver = new BlockingResolver();
    resolver.resolve('localhost', 80, 4);
    resolver.close();
    const error = resolver.resolve('localhost', 80).exception();
    expect(isInvalidStateError(error)).toBe(true);
    expect((error as Error).message).toBe('BlockingResolver is closed: create a new one to resolve again');
  });

  it('refuses invalid options', () => {
    expect(() => new BlockingResolver({ delayMs: -1 })).toThrow(
      new RangeError('BlockingResolver: delayMs must be a number ≥ 0, got -1'),
    );
    expect(() => new BlockingResolver({ timeoutMs: 0 })).toThrow(RangeError);
  });
});
