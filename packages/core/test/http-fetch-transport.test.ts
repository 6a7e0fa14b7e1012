import {
  AsyncHTTPClient,
  FetchTransport,
  type FetchTransportOptions,
  HTTPClientError,
  type HTTPRequestOptions,
  HTTPTimeoutError,
  type Loop,
  PortableLoop,
  setCurrentLoop,
  type TimerHandle,
} from '@gust/core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from './contract/test-server.js';
import { describeTransportContract, eventually, rejection } from './contract/transport-contract.js';

describe('FetchTransport', () => {
  describeTransportContract('FetchTransport', () => new FetchTransport());

  describe('specifics', () => {
    let server: TestServer;
    const clients: AsyncHTTPClient[] = [];
    const clientWith = (options?: FetchTransportOptions): AsyncHTTPClient => {
      const client = new AsyncHTTPClient({ forceInstance: true, transport: new FetchTransport(options) });
      clients.push(client);
      return client;
    };

    beforeAll(async () => {
      server = await startTestServer({
        '/hang': () => {},
        '/echo': (req, res) => {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ headers: req.headers }));
        },
        '/redirect': (_req, res) => {
          res.writeHead(302, { Location: '/echo' });
          res.end();
        },
      });
    });

    afterEach(async () => {
      for (const client of clients.splice(0)) client.close();
      await eventually(() => server.concurrency.now === 0);
      server.requests.length = 0;
    });

    afterAll(() => server.close());

    it('bounds the wait for response headers with a shorter connectTimeout: "Timeout while connecting"', async () => {
      const start = performance.now();
      const error = await rejection(
        clientWith().fetch(server.url('/hang'), { connectTimeout: 200, requestTimeout: 10_000 }),
      );
      const elapsed = performance.now() - start;
      expect(error).toBeInstanceOf(HTTPTimeoutError);
      expect((error as HTTPTimeoutError).message).toBe('Timeout while connecting');
      expect((error as HTTPTimeoutError).phase).toBe('connect');
      expect(elapsed).toBeGreaterThanOrEqual(190);
      expect(elapsed).toBeLessThan(5000);
      await eventually(() => server.requests[0]?.aborted === true);
    });

    it('clears its connect timer when the fetch is cancelled', async () => {
      const inner = new PortableLoop();
      const pending = new Set<TimerHandle>();
      const counting: Loop = {
        time: () => inner.time(),
        callSoon: (fn) => inner.callSoon(fn),
        callLater: (ms, fn) => {
          const handle = inner.callLater(ms, () => {
            pending.delete(handle);
            fn();
          });
          pending.add(handle);
          return handle;
        },
        cancelTimer: (handle) => {
          pending.delete(handle);
          inner.cancelTimer(handle);
        },
      };
      const previous = setCurrentLoop(counting);
      try {
        const future = clientWith().fetch(server.url('/hang'), {
          connectTimeout: 10_000,
          requestTimeout: 20_000,
        });
        await server.waitForRequests(1);
        expect(pending.size).toBe(2);
        future.cancel();
        expect(pending.size).toBe(0);
        await eventually(() => server.requests[0]?.aborted === true);
      } finally {
        setCurrentLoop(previous);
      }
    });

    const unsupported: Array<[string, HTTPRequestOptions, RegExp]> = [
      ['a proxy', { proxyHost: 'proxy.test', proxyPort: 3128 }, /no per-request proxy \(proxyHost\)/],
      ['skipping TLS validation', { validateCert: false }, /validateCert: false/],
      ['custom certificates', { caCerts: 'PEM' }, /caCerts, clientCert, clientKey/],
      ['IPv4 only', { allowIpv6: false }, /allowIpv6: false/],
      ['Expect: 100-continue', { method: 'POST', body: 'x', expect100Continue: true }, /100-continue/],
      ['a Host header', { headers: { Host: 'example.test' } }, /Host header/],
      ['a body on GET', { body: 'x', allowNonstandardMethods: true }, /cannot send a body with GET/],
    ];
    for (const [what, options, message] of unsupported) {
      it(`fails clearly, without sending, on a request for ${what}`, async () => {
        const error = (await rejection(clientWith().fetch(server.url('/echo'), options))) as HTTPClientError;
        expect(error).toBeInstanceOf(HTTPClientError);
        expect(error.code).toBe(599);
        expect(error.message).toMatch(/^HTTP 599: FetchTransport cannot honour this request: /);
        expect(error.message).toMatch(message);
        expect(error.message).toMatch(/@gust\/node-adapter/);
        expect(server.requests).toEqual([]);
      });
    }

    it('asks for an uncompressed response with decompressResponse: false', async () => {
      const plain = await clientWith().fetch(server.url('/echo'), { decompressResponse: false });
      expect(plain.json().headers['accept-encoding']).toBe('identity');
      const compressed = await clientWith().fetch(server.url('/echo'));
      expect(compressed.json().headers['accept-encoding']).toMatch(/gzip/);
    });

    it('calls the fetch it was given, on globalThis', async () => {
      const calls: Array<{ url: string; init: RequestInit; self: unknown }> = [];
      const response = await clientWith({
        fetch: function (this: unknown, url, init) {
          calls.push({ url, init, self: this });
          return Promise.resolve(new Response('mocked', { status: 201 }));
        },
      }).fetch('http://127.0.0.1:1/x', { method: 'PUT', body: 'b', headers: { 'X-A': '1' } });
      expect(response.code).toBe(201);
      expect(response.text).toBe('mocked');
      expect(calls).toHaveLength(1);
      expect(calls[0]?.url).toBe('http://127.0.0.1:1/x');
      expect(calls[0]?.init).toMatchObject({ method: 'PUT', body: 'b', redirect: 'manual' });
      expect(calls[0]?.init.headers).toEqual([['X-A', '1']]);
      expect(calls[0]?.init.signal).toBeInstanceOf(AbortSignal);
      expect(calls[0]?.self).toBe(globalThis);
    });

    it('reads globalThis.fetch at each request, so that stubs apply', async () => {
      vi.stubGlobal('fetch', () => Promise.resolve(new Response('stubbed')));
      try {
        expect((await clientWith().fetch('http://127.0.0.1:1/')).text).toBe('stubbed');
      } finally {
        vi.unstubAllGlobals();
      }
    });

    describe('with browser rules', () => {
      it('lets the platform follow redirects and reports the URL it ended at', async () => {
        const response = await clientWith({ browser: true }).fetch(server.url('/redirect'));
        expect(response.code).toBe(200);
        expect(response.effectiveUrl).toBe(server.url('/echo'));
        expect(server.requests.map((r) => r.path)).toEqual(['/redirect', '/echo']);
      });

      it('fails clearly when a redirect it may not follow happens (opaque redirect)', async () => {
        const error = (await rejection(
          clientWith({
            browser: true,
            fetch: () => Promise.resolve({ type: 'opaqueredirect', status: 0, body: null } as Response),
          }).fetch('http://127.0.0.1:1/', { followRedirects: false }),
        )) as HTTPClientError;
        expect(error.code).toBe(599);
        expect(error.message).toMatch(/does not expose redirect responses: followRedirects: false/);
      });

      it('refuses decompressResponse: false, which a browser cannot honour', async () => {
        const error = (await rejection(
          clientWith({ browser: true }).fetch(server.url('/echo'), { decompressResponse: false }),
        )) as HTTPClientError;
        expect(error.message).toMatch(/always asks for compressed responses.*Browsers do not allow it/);
        expect(server.requests).toEqual([]);
      });

      it('buffers a bodyProducer upload instead of streaming it', async () => {
        let init: (RequestInit & { duplex?: string }) | undefined;
        await clientWith({
          browser: true,
          fetch: (_url, i) => {
            init = i;
            return Promise.resolve(new Response('ok'));
          },
        }).fetch('http://127.0.0.1:1/', {
          method: 'POST',
          bodyProducer: async (write) => {
            await write('ab');
            await write(new Uint8Array([99]));
          },
        });
        expect(init?.body).toEqual(new TextEncoder().encode('abc'));
        expect(init?.duplex).toBeUndefined();
      });
    });
  });
});
