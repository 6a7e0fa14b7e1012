import { AsyncHTTPClient, type HTTPClientError, HTTPTimeoutError } from '@gust/core';
import {
  CaresResolver,
  DefaultResolver,
  NodeTransport,
  OverrideResolver,
  Resolver,
} from '@gust/node-adapter';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../core/test/contract/test-server.ts';
import { rejection } from '../../core/test/contract/transport-contract.ts';
import { type DnsServer, startDnsServer } from './fixtures/dns-server.ts';
import { FakeResolver } from './fixtures/fake-resolver.ts';
import { localLookup, refused } from './fixtures/local-lookup.ts';

// No test here may send a DNS query to this machine's nameserver (which is not on loopback): names are
// resolved by fake resolvers, by mappings to IP literals, or by the DNS server on 127.0.0.1 below.
describe('NodeTransport and resolvers', () => {
  let server: TestServer;
  let dns: DnsServer;
  let transport: NodeTransport | undefined;
  let client: AsyncHTTPClient | undefined;

  beforeAll(async () => {
    server = await startTestServer({
      '/hello': (req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end(`hello ${req.headers.host}`);
      },
    });
    dns = await startDnsServer({ records: { 'api.gust.test': { A: ['127.0.0.1'] } } });
  });

  afterAll(async () => {
    await Promise.all([server.close(), dns.close()]);
    expect(refused).toEqual([]);
  });

  afterEach(async () => {
    client?.close();
    await transport?.close({ force: true });
    Resolver.configure(null);
  });

  function use(options?: ConstructorParameters<typeof NodeTransport>[0]): AsyncHTTPClient {
    transport = new NodeTransport(options);
    client = new AsyncHTTPClient({ forceInstance: true, transport });
    return client;
  }

  it('fails with 599 "Timeout while connecting" after connectTimeout when the resolver never answers', async () => {
    const resolver = new FakeResolver({});
    resolver.manual = true;
    const start = performance.now();
    const error = await rejection(
      use({ resolver }).fetch(`http://never.test:${server.port}/hello`, {
        connectTimeout: 200,
        requestTimeout: 5000,
      }),
    );
    const elapsed = performance.now() - start;
    expect(error).toBeInstanceOf(HTTPTimeoutError);
    expect((error as HTTPTimeoutError).message).toBe('Timeout while connecting');
    expect((error as HTTPTimeoutError).phase).toBe('connect');
    expect((error as HTTPTimeoutError).code).toBe(599);
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(4000);
    // The lookup nobody waits for any more was cancelled.
    expect(resolver.futures[0]?.cancelled()).toBe(true);
    expect(server.requests).toHaveLength(0);
  });

  it('sends www.example.com to the local server through an OverrideResolver', async () => {
    const resolver = new OverrideResolver(new DefaultResolver({ lookup: localLookup }), {
      'www.example.com': '127.0.0.1',
    });
    const response = await use({ resolver }).fetch(`http://www.example.com:${server.port}/hello`);
    expect(response.text).toBe(`hello www.example.com:${server.port}`);
  });

  it('applies hostnameMapping over the configured resolver (Tornado: hostname_mapping)', async () => {
    const fake = new FakeResolver({ '127.0.0.1': ['127.0.0.1'] });
    Resolver.configure(fake);
    const response = await use({ hostnameMapping: { 'api.example.com': '127.0.0.1' } }).fetch(
      `http://API.example.com:${server.port}/hello`,
    );
    expect(response.code).toBe(200);
    expect(fake.calls).toEqual([{ host: '127.0.0.1', port: server.port, family: 0 }]);
  });

  it('uses Resolver.current() for new connections, so Resolver.configure() applies', async () => {
    const fetcher = use();
    const first = new FakeResolver({ 'one.test': ['127.0.0.1'] });
    Resolver.configure(first);
    expect((await fetcher.fetch(`http://one.test:${server.port}/hello`)).code).toBe(200);
    const second = new FakeResolver({ 'two.test': ['127.0.0.1'] });
    Resolver.configure(second);
    expect((await fetcher.fetch(`http://two.test:${server.port}/hello`)).code).toBe(200);
    expect(first.calls.map((c) => c.host)).toEqual(['one.test']);
    expect(second.calls.map((c) => c.host)).toEqual(['two.test']);
  });

  it('resolves through a CaresResolver asking a DNS server on 127.0.0.1', async () => {
    const resolver = new CaresResolver({ servers: [dns.address] });
    try {
      const response = await use({ resolver }).fetch(`http://api.gust.test:${server.port}/hello`, {
        allowIpv6: false,
      });
      expect(response.text).toBe(`hello api.gust.test:${server.port}`);
      expect(dns.queries).toContainEqual({ name: 'api.gust.test', type: 1 });
    } finally {
      resolver.close();
    }
  });

  it('fails with 599 naming the host when the resolver fails', async () => {
    const error = (await rejection(
      use({ resolver: new FakeResolver({}) }).fetch('http://nope.invalid/'),
    )) as HTTPClientError;
    expect(error.code).toBe(599);
    expect(error.message).toBe('HTTP 599: Cannot resolve host "nope.invalid" (ENOTFOUND): not in the table');
    expect(error.cause).toMatchObject({ name: 'ResolverError', host: 'nope.invalid' });
  });

  it('tries the next address when one refuses the connection', async () => {
    // Nothing listens on 127.0.0.2 (also loopback): the connector moves on to 127.0.0.1.
    const resolver = new FakeResolver({ 'two.test': ['127.0.0.2', '127.0.0.1'] });
    const response = await use({ resolver }).fetch(`http://two.test:${server.port}/hello`);
    expect(response.code).toBe(200);
    expect(resolver.calls).toHaveLength(1);
  });

  it('asks for IPv4 addresses only with allowIpv6: false', async () => {
    const resolver = new FakeResolver({ 'dual.test': ['127.0.0.1'] });
    const fetcher = use({ resolver });
    await fetcher.fetch(`http://dual.test:${server.port}/hello`, { allowIpv6: false });
    await fetcher.fetch(`http://dual.test:${server.port}/hello`);
    expect(resolver.calls.map((c) => c.family)).toEqual([4, 0]);
  });
});
