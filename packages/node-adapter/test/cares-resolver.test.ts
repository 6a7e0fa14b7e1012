import dns from 'node:dns';
import { isInvalidStateError } from '@gust/core';
import { CaresResolver, isResolverError, type ResolverError } from '@gust/node-adapter';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addressBytes, type DnsServer, startDnsServer, TYPE_A, TYPE_AAAA } from './fixtures/dns-server.ts';
import { delay } from './helpers.ts';
import { describeResolverContract } from './resolver-contract.ts';

// Every CaresResolver here asks only this server on 127.0.0.1: the system nameserver is never used.
let server: DnsServer;

beforeAll(async () => {
  server = await startDnsServer({
    records: {
      'gust.test': { A: ['127.0.0.1', '127.0.0.2'], AAAA: ['::1'] },
      'v4only.gust.test': { A: ['127.0.0.3'] },
      'v6only.gust.test': { AAAA: ['::1'] },
      'slow.gust.test': { A: ['127.0.0.4'] },
    },
    silent: ['hang.gust.test'],
    delays: { 'slow.gust.test': 150 },
  });
});

afterAll(async () => {
  await server.close();
});

const resolvers: CaresResolver[] = [];
afterEach(() => {
  for (const resolver of resolvers.splice(0)) resolver.close();
});

function local(options: { timeoutMs?: number; tries?: number } = {}): CaresResolver {
  const resolver = new CaresResolver({ servers: [server.address], timeoutMs: 2000, tries: 1, ...options });
  resolvers.push(resolver);
  return resolver;
}

const queriesFor = (name: string) => server.queries.filter((q) => q.name === name);

describeResolverContract('CaresResolver', () => new CaresResolver({ servers: [server.address], tries: 1 }), {
  ipv6Name: 'v6only.gust.test',
});

describe('tiny DNS server fixture', () => {
  it('encodes IPv4 and IPv6 addresses', () => {
    expect([...addressBytes('127.0.0.1')]).toEqual([127, 0, 0, 1]);
    expect(addressBytes('::1').toString('hex')).toBe('00000000000000000000000000000001');
    expect(addressBytes('fe80::1:2').toString('hex')).toBe('fe800000000000000000000000010002');
  });
});

describe('CaresResolver', () => {
  it('resolves A and AAAA records from the configured server, IPv4 first', async () => {
    const resolver = local();
    expect(resolver.getServers()).toEqual([server.address]);
    expect(await resolver.resolve('gust.test', 443)).toEqual([
      { family: 4, address: '127.0.0.1', port: 443 },
      { family: 4, address: '127.0.0.2', port: 443 },
      { family: 6, address: '::1', port: 443 },
    ]);
    expect(
      queriesFor('gust.test')
        .map((q) => q.type)
        .sort(),
    ).toEqual([TYPE_A, TYPE_AAAA]);
  });

  it('asks only for the requested family', async () => {
    const resolver = local();
    const before = queriesFor('gust.test').length;
    expect(await resolver.resolve('gust.test', 80, 4)).toEqual([
      { family: 4, address: '127.0.0.1', port: 80 },
      { family: 4, address: '127.0.0.2', port: 80 },
    ]);
    expect(await resolver.resolve('gust.test', 80, 6)).toEqual([{ family: 6, address: '::1', port: 80 }]);
    expect(
      queriesFor('gust.test')
        .slice(before)
        .map((q) => q.type),
    ).toEqual([TYPE_A, TYPE_AAAA]);
  });

  it('answers with the family that exists, and ENODATA when the asked one does not', async () => {
    const resolver = local();
    expect(await resolver.resolve('v4only.gust.test', 1)).toEqual([
      { family: 4, address: '127.0.0.3', port: 1 },
    ]);
    const error = (await resolver
      .resolve('v4only.gust.test', 1, 6)
      .catch((e: unknown) => e)) as ResolverError;
    expect(isResolverError(error)).toBe(true);
    expect(error.code).toBe('ENODATA');
    expect(error.host).toBe('v4only.gust.test');
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ENODATA');
  });

  it('answers IP literals and localhost names without a query, and never reads /etc/hosts', async () => {
    const resolver = local();
    const before = server.queries.length;
    expect(await resolver.resolve('LocalHost.', 80, 6)).toEqual([{ family: 6, address: '::1', port: 80 }]);
    expect(await resolver.resolve('api.localhost', 80, 4)).toEqual([
      { family: 4, address: '127.0.0.1', port: 80 },
    ]);
    expect(await resolver.resolve('10.1.2.3', 80)).toEqual([{ family: 4, address: '10.1.2.3', port: 80 }]);
    expect(server.queries.length).toBe(before);
    // Whether or not /etc/hosts lists "vm" (this machine's does), c-ares asks the server, which does not know it.
    const error = (await resolver.resolve('vm', 80, 4).catch((e: unknown) => e)) as ResolverError;
    expect(error.code).toBe('ENOTFOUND');
    expect(server.queries.slice(before).map((q) => q.name)).toContain('vm');
  });

  it('fails with ETIMEOUT when the server does not answer', async () => {
    const resolver = local({ timeoutMs: 100, tries: 1 });
    const start = performance.now();
    const error = (await resolver.resolve('hang.gust.test', 80, 4).catch((e: unknown) => e)) as ResolverError;
    expect(performance.now() - start).toBeGreaterThanOrEqual(90);
    expect(isResolverError(error)).toBe(true);
    expect(error.code).toBe('ETIMEOUT');
    expect(error.message).toMatch(/^Cannot resolve host "hang\.gust\.test" \(ETIMEOUT\): /);
  });

  it('cancels the channel once no resolve waits: a cancelled query is not retried', async () => {
    const resolver = local({ timeoutMs: 150, tries: 3 });
    const before = queriesFor('hang.gust.test').length;
    const future = resolver.resolve('hang.gust.test', 80, 4);
    await delay(50);
    expect(queriesFor('hang.gust.test').length).toBe(before + 1);
    expect(future.cancel()).toBe(true);
    // Without the cancellation c-ares would ask again after 150 ms and again after 300 more.
    await delay(600);
    expect(queriesFor('hang.gust.test').length).toBe(before + 1);
  });

  it('does not cut short the queries of other callers when one resolve is cancelled', async () => {
    const resolver = local({ timeoutMs: 1000, tries: 2 });
    const hanging = resolver.resolve('hang.gust.test', 80, 4);
    const slow = resolver.resolve('slow.gust.test', 80, 4);
    await delay(20);
    hanging.cancel();
    expect(await slow).toEqual([{ family: 4, address: '127.0.0.4', port: 80 }]);
  });

  it('close() cancels pending resolves; resolve() after it rejects with InvalidStateError', async () => {
    const resolver = local({ timeoutMs: 1000 });
    const pending = resolver.resolve('hang.gust.test', 80);
    await delay(20);
    resolver.close();
    expect(pending.cancelled()).toBe(true);
    const error = await resolver.resolve('gust.test', 80).catch((e: unknown) => e);
    expect(isInvalidStateError(error)).toBe(true);
    expect((error as Error).message).toBe('CaresResolver is closed: create a new one to resolve again');
  });

  it('rejects invalid servers at construction', () => {
    expect(() => new CaresResolver({ servers: ['not an address'] })).toThrow(/Invalid IP address/);
  });

  it('uses dns.Resolver, not dns.lookup', async () => {
    const lookup = dns.lookup;
    let called = 0;
    dns.lookup = ((...args: Parameters<typeof lookup>) => {
      called++;
      return (lookup as (...a: unknown[]) => unknown)(...args);
    }) as typeof lookup;
    try {
      await local().resolve('gust.test', 80);
    } finally {
      dns.lookup = lookup;
    }
    expect(called).toBe(0);
  });
});
