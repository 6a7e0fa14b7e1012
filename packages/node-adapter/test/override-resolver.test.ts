import { DefaultResolver, type LookupFunction, OverrideResolver } from '@gust/node-adapter';
import { describe, expect, it } from 'vitest';
import { FakeResolver } from './fixtures/fake-resolver.ts';
import { localLookup } from './fixtures/local-lookup.ts';
import { describeResolverContract } from './resolver-contract.ts';

describeResolverContract(
  'OverrideResolver',
  () =>
    new OverrideResolver(new DefaultResolver({ lookup: localLookup }), { 'www.example.com': '127.0.0.1' }),
);

describe('OverrideResolver', () => {
  it('sends www.example.com to 127.0.0.1 without any DNS query', async () => {
    const asked: string[] = [];
    const lookup: LookupFunction = (host, options, callback) => {
      asked.push(host);
      localLookup(host, options, callback);
    };
    const resolver = new OverrideResolver(new DefaultResolver({ lookup }), {
      'www.example.com': '127.0.0.1',
    });
    expect(await resolver.resolve('www.example.com', 80)).toEqual([
      { family: 4, address: '127.0.0.1', port: 80 },
    ]);
    // The wrapped resolver only ever saw the IP literal, which dns.lookup answers without getaddrinfo.
    expect(asked).toEqual(['127.0.0.1']);
  });

  it('picks the most specific key: host:port:family, then host:port, then host', async () => {
    const fake = new FakeResolver({ 'a.test': ['127.0.0.1'], 'b.test': ['127.0.0.2'], 'c.test': ['::1'] });
    const resolver = new OverrideResolver(fake, {
      'example.com': 'a.test',
      'example.com:443': ['b.test', 8443],
      'example.com:443:6': ['c.test', 9443],
      'example.com:80:4': 'b.test',
    });
    await resolver.resolve('example.com', 80);
    await resolver.resolve('example.com', 443);
    await resolver.resolve('example.com', 443, 4);
    await resolver.resolve('example.com', 443, 6);
    await resolver.resolve('example.com', 80, 4);
    await resolver.resolve('example.com', 80, 6);
    expect(fake.calls).toEqual([
      { host: 'a.test', port: 80, family: 0 },
      { host: 'b.test', port: 8443, family: 0 },
      { host: 'b.test', port: 8443, family: 4 },
      { host: 'c.test', port: 9443, family: 6 },
      { host: 'b.test', port: 80, family: 4 },
      { host: 'a.test', port: 80, family: 6 },
    ]);
  });

  it('matches host names case-insensitively and passes unmapped lookups through unchanged', async () => {
    const fake = new FakeResolver({ 'a.test': ['127.0.0.1'], 'Other.Test': ['127.0.0.5'] });
    const resolver = new OverrideResolver(fake, { 'Example.COM': 'a.test' });
    expect(await resolver.resolve('EXAMPLE.com', 22, 4)).toEqual([
      { family: 4, address: '127.0.0.1', port: 22 },
    ]);
    expect(await resolver.resolve('Other.Test', 23, 0)).toEqual([
      { family: 4, address: '127.0.0.5', port: 23 },
    ]);
    expect(fake.calls).toEqual([
      { host: 'a.test', port: 22, family: 4 },
      { host: 'Other.Test', port: 23, family: 0 },
    ]);
  });

  it('accepts IPv6 literals as keys (bare, or in brackets before a port) and a Map', async () => {
    const fake = new FakeResolver({ 'six.test': ['::1'], 'four.test': ['127.0.0.1'] });
    const resolver = new OverrideResolver(
      fake,
      new Map<string, string | [string, number]>([
        ['::1', 'four.test'],
        ['[::1]:443:6', ['six.test', 8443]],
        ['[::1]:80', 'six.test'],
      ]),
    );
    await resolver.resolve('::1', 22);
    await resolver.resolve('::1', 443, 6);
    await resolver.resolve('::1', 80);
    expect(fake.calls).toEqual([
      { host: 'four.test', port: 22, family: 0 },
      { host: 'six.test', port: 8443, family: 6 },
      { host: 'six.test', port: 80, family: 0 },
    ]);
  });

  it('rejects malformed keys and targets with a TypeError that says why', () => {
    const fake = new FakeResolver();
    const make = (mapping: Record<string, unknown>) => () => new OverrideResolver(fake, mapping as never);
    expect(make({ 'a.test:http': 'b' })).toThrow(
      new TypeError(
        `OverrideResolver: invalid key "a.test:http": port "http" (use 'host', 'host:port' or 'host:port:family')`,
      ),
    );
    expect(make({ 'a.test:80:5': 'b' })).toThrow(/invalid key "a\.test:80:5": family must be 0, 4 or 6/);
    expect(make({ 'a.test:80:4:x': 'b' })).toThrow(/too many parts/);
    expect(make({ '[::1:80': 'b' })).toThrow(/unclosed \[/);
    expect(make({ '[a.test]:80': 'b' })).toThrow(/brackets must hold an IPv6 address/);
    expect(make({ ':80': 'b' })).toThrow(/empty host/);
    expect(make({ 'a.test:70000': 'b' })).toThrow(/port "70000"/);
    expect(make({ 'a.test': '' })).toThrow(
      new TypeError(`OverrideResolver: the target of "a.test" must be 'host' or ['host', port], got ""`),
    );
    expect(make({ 'a.test': ['b.test'] })).toThrow(/must be 'host' or \['host', port\]/);
    expect(make({ 'a.test': ['b.test', 99999] })).toThrow(/must be 'host' or \['host', port\]/);
    expect(() => new OverrideResolver({} as never, {})).toThrow(
      new TypeError('OverrideResolver: resolver must be a Resolver'),
    );
  });

  it('returns the Future of the wrapped resolver, so cancelling it cancels the lookup', () => {
    const fake = new FakeResolver({ 'a.test': ['127.0.0.1'] });
    fake.manual = true;
    const resolver = new OverrideResolver(fake, { 'x.test': 'a.test' });
    const future = resolver.resolve('x.test', 1);
    expect(future).toBe(fake.futures[0]);
    expect(future.cancel()).toBe(true);
    fake.answer();
    expect(future.cancelled()).toBe(true);
  });

  it('close() closes the wrapped resolver', () => {
    const fake = new FakeResolver();
    const resolver = new OverrideResolver(fake, {});
    expect(resolver.resolver).toBe(fake);
    resolver.close();
    expect(fake.closed).toBe(1);
  });
});
