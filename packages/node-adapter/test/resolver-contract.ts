import { isIP } from 'node:net';
import { isGustError } from '@gust/core';
import { isResolverError, type ResolvedAddress, type Resolver, ResolverError } from '@gust/node-adapter';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refused } from './fixtures/local-lookup.ts';
import { captureLogs, delay } from './helpers.ts';

/** Options of {@link describeResolverContract}. */
export interface ResolverContractOptions {
  /** A name the resolver maps to `::1` when asked for IPv6 (besides the `::1` literal). */
  ipv6Name?: string;
  /** The resolver finishes inside `resolve()` (BlockingResolver): its Future is already done. */
  synchronous?: boolean;
}

const isLoopback = (address: string): boolean => address === '::1' || address.startsWith('127.');

function expectWellFormed(addresses: ResolvedAddress[], port: number): void {
  expect(addresses.length).toBeGreaterThan(0);
  for (const entry of addresses) {
    expect(Object.keys(entry).sort()).toEqual(['address', 'family', 'port']);
    expect(entry.port).toBe(port);
    expect(isIP(entry.address)).toBe(entry.family);
  }
}

/**
 * The behaviour every {@link Resolver} shares (Tornado's `_ResolverTestMixin` and
 * `_ResolverErrorTestMixin`). Only loopback names, IP literals and `.invalid` names are resolved: none of
 * them needs a nameserver, provided the factory's resolver answers them locally (see
 * fixtures/local-lookup.ts and fixtures/dns-server.ts).
 */
export function describeResolverContract(
  name: string,
  factory: () => Resolver,
  options: ResolverContractOptions = {},
): void {
  describe(`${name} (resolver contract)`, () => {
    let resolver: Resolver;
    let refusedBefore: number;

    beforeEach(() => {
      refusedBefore = refused.length;
      resolver = factory();
    });

    afterEach(() => {
      resolver.close();
      expect(refused.slice(refusedBefore), 'names that would have been sent to a nameserver').toEqual([]);
    });

    it('resolves localhost to loopback addresses that carry the port', async () => {
      const addresses = await resolver.resolve('localhost', 8080);
      expectWellFormed(addresses, 8080);
      expect(addresses.every((a) => isLoopback(a.address))).toBe(true);
      expect(addresses.map((a) => a.address)).toContain('127.0.0.1');
    });

    it('returns only IPv4 addresses for family 4', async () => {
      const addresses = await resolver.resolve('localhost', 80, 4);
      expectWellFormed(addresses, 80);
      expect(addresses.every((a) => a.family === 4)).toBe(true);
      expect(addresses.map((a) => a.address)).toContain('127.0.0.1');
    });

    it('returns only IPv6 addresses for family 6', async () => {
      expect(await resolver.resolve('::1', 443, 6)).toEqual([{ family: 6, address: '::1', port: 443 }]);
      if (options.ipv6Name !== undefined) {
        const addresses = await resolver.resolve(options.ipv6Name, 443, 6);
        expectWellFormed(addresses, 443);
        expect(addresses.every((a) => a.family === 6 && isLoopback(a.address))).toBe(true);
      }
    });

    it('answers an IP literal with itself', async () => {
      expect(await resolver.resolve('127.0.0.1', 1)).toEqual([{ family: 4, address: '127.0.0.1', port: 1 }]);
      expect(await resolver.resolve('::1', 65535, 0)).toEqual([{ family: 6, address: '::1', port: 65535 }]);
    });

    it('rejects a literal of the other family with ENODATA', async () => {
      const error = await resolver.resolve('127.0.0.1', 80, 6).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isResolverError(error)).toBe(true);
      expect((error as ResolverError).code).toBe('ENODATA');
      expect((error as ResolverError).host).toBe('127.0.0.1');
    });

    it('rejects an unknown name with a ResolverError that names the host', async () => {
      const host = 'no-such-host.gust.invalid';
      const error = await resolver.resolve(host, 80).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ResolverError);
      expect(isResolverError(error)).toBe(true);
      expect(isGustError(error)).toBe(true);
      const failure = error as ResolverError;
      expect(failure.name).toBe('ResolverError');
      expect(failure.host).toBe(host);
      expect(failure.code).toBe('ENOTFOUND');
      expect(failure.message).toMatch(/^Cannot resolve host "no-such-host\.gust\.invalid" \(ENOTFOUND\): /);
      expect(failure.cause).toBeInstanceOf(Error);
    });

    it('throws at once for an invalid host, port or family', () => {
      expect(() => resolver.resolve('', 80)).toThrow(TypeError);
      expect(() => resolver.resolve('localhost', 65536)).toThrow(
        new RangeError('resolve(): port must be an integer from 0 to 65535, got 65536'),
      );
      expect(() => resolver.resolve('localhost', 1.5)).toThrow(RangeError);
      expect(() => resolver.resolve('localhost', 80, 5 as 4)).toThrow(
        new TypeError('resolve(): family must be 0, 4 or 6, got 5'),
      );
    });

    it('resolves many names concurrently', async () => {
      const results = await Promise.all([
        resolver.resolve('localhost', 1, 4),
        resolver.resolve('127.0.0.1', 2),
        resolver.resolve('::1', 3),
        resolver.resolve('localhost', 4, 4),
        resolver.resolve('LOCALHOST', 5, 4),
      ]);
      results.forEach((addresses, i) => {
        expectWellFormed(addresses, i + 1);
      });
    });

    if (options.synchronous) {
      it('is done when resolve() returns, so there is nothing left to cancel', () => {
        const future = resolver.resolve('localhost', 80, 4);
        expect(future.done()).toBe(true);
        expect(future.cancel()).toBe(false);
        expect(future.result().map((a) => a.address)).toContain('127.0.0.1');
      });
    } else {
      it('settles later, and a cancelled resolve leaves nothing behind', async () => {
        const logs = captureLogs();
        try {
          const future = resolver.resolve('localhost', 80);
          const failing = resolver.resolve('gone.gust.invalid', 80);
          expect(future.done()).toBe(false);
          expect(failing.done()).toBe(false);
          expect(future.cancel()).toBe(true);
          expect(failing.cancel()).toBe(true);
          expect(future.cancelled()).toBe(true);
          expect(failing.cancelled()).toBe(true);
          // Whatever the lookups answer later is dropped silently, and the resolver still works.
          await delay(50);
          const again = await resolver.resolve('localhost', 81, 4);
          expect(again.map((a) => a.address)).toContain('127.0.0.1');
          expect(logs.entries).toEqual([]);
        } finally {
          logs.restore();
        }
      });
    }

    it('can be closed twice', () => {
      resolver.close();
      expect(() => resolver.close()).not.toThrow();
    });
  });
}
