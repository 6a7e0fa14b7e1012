import { createHook } from 'node:async_hooks';
import {
  AsyncHTTPClient,
  coroutine,
  currentLoop,
  Future,
  HTTPClient,
  type HTTPClientError,
  InvalidStateError,
  type Loop,
  sleep,
  TimeoutError,
  withTimeout,
} from '@gust/core';
import { DefaultResolver, IOLoop, install, OverrideResolver, Resolver } from '@gust/node-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer } from '../../core/test/contract/test-server.ts';
import { rejection } from '../../core/test/contract/transport-contract.ts';
import { localLookup } from './fixtures/local-lookup.ts';

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

  it('configures AsyncHTTPClient with NodeTransport, and the returned function restores FetchTransport', async () => {
    const server = await startTestServer({
      '/where': (req, res) => res.end(`${req.headers.host} ${req.headers['user-agent']}`),
    });
    cleanups.push(() => server.close());
    const uninstall = install();
    cleanups.push(uninstall);
    // A Host header is something only the Node transport can send (fetch() replaces it).
    const client = new AsyncHTTPClient();
    const response = await client.fetch(server.url('/where'), { headers: { Host: 'virtual.example' } });
    expect(response.text).toBe('virtual.example gust');
    uninstall();
    const after = new AsyncHTTPClient();
    expect(after).not.toBe(client);
    const error = (await rejection(
      after.fetch(server.url('/where'), { headers: { Host: 'virtual.example' } }),
    )) as HTTPClientError;
    expect(error.message).toMatch(/FetchTransport cannot honour this request/);
    client.close();
    after.close();
  });

  it('configures install({ resolver }) as the resolver the transport uses', async () => {
    const server = await startTestServer({ '/where': (req, res) => res.end(String(req.headers.host)) });
    cleanups.push(() => server.close());
    const resolver = new OverrideResolver(new DefaultResolver({ lookup: localLookup }), {
      'www.example.com': '127.0.0.1',
    });
    const uninstall = install({ resolver });
    cleanups.push(uninstall);
    expect(Resolver.current()).toBe(resolver);
    const client = new AsyncHTTPClient();
    cleanups.push(() => client.close());
    const response = await client.fetch(`http://www.example.com:${server.port}/where`);
    expect(response.text).toBe(`www.example.com:${server.port}`);
    uninstall();
    expect(Resolver.current()).not.toBe(resolver);
    expect(Resolver.current()).toBeInstanceOf(DefaultResolver);
  });

  it('enables the synchronous HTTPClient without starting its worker until a fetch', () => {
    let workers = 0;
    const hook = createHook({
      init(_id, type) {
        if (type === 'WORKER') workers++;
      },
    }).enable();
    try {
      expect(() => new HTTPClient()).toThrow(InvalidStateError);
      const uninstall = install();
      cleanups.push(uninstall);
      const client = new HTTPClient();
      client.close();
      uninstall();
      expect(() => new HTTPClient()).toThrow(/install\(\) from @gust\/node-adapter/);
      expect(workers).toBe(0);
    } finally {
      hook.disable();
    }
  });
});
