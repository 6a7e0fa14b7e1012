// @vitest-environment jsdom
import {
  AsyncHTTPClient,
  FetchTransport,
  type HTTPClientError,
  HTTPRequest,
  HTTPTimeoutError,
  isHTTPClientError,
} from '@gust/core';
import type { SetupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rejection } from './contract/transport-contract.js';
import { asyncFetchFuture, asynchronousFetch, fetchCoroutine } from './fixtures/seed-examples.js';

// The browser path of core under jsdom, with msw answering fetch(): FetchTransport with browser rules, as
// it runs on a page or in a worker. (A real browser runs in http-client-chromium.test.ts.)
// msw is imported in beforeAll: a static import's module loading trips the leak check's FILEHANDLE count.

let server: SetupServer;
let msw: typeof import('msw');
const requests: Request[] = [];
const decode = (body: Uint8Array) => new TextDecoder().decode(body);

beforeAll(async () => {
  msw = await import('msw');
  const { http, HttpResponse, delay } = msw;
  const { setupServer } = await import('msw/node');
  server = setupServer(
    http.all('*', ({ request }) => {
      requests.push(request.clone());
    }),
    http.get('/api/hello', () => HttpResponse.text('Hello, browser')),
    http.get('/api/missing', () => HttpResponse.text('nope', { status: 404 })),
    http.get(
      '/api/moved',
      () => new HttpResponse(null, { status: 302, headers: { Location: '/api/hello' } }),
    ),
    http.post('/api/echo', async ({ request }) =>
      HttpResponse.json({ body: await request.text(), type: request.headers.get('content-type') }),
    ),
    http.get('/api/stream', () => {
      const encoder = new TextEncoder();
      const stream = new ReadableStream({
        async start(controller) {
          controller.enqueue(encoder.encode('one;'));
          await delay(20);
          controller.enqueue(encoder.encode('two'));
          controller.close();
        },
      });
      return new HttpResponse(stream, { headers: { 'Content-Type': 'text/plain' } });
    }),
    http.get('/api/hang', () => delay('infinite')),
    http.get('/api/down', () => HttpResponse.error()),
  );
  server.listen({ onUnhandledRequest: 'error' });
  AsyncHTTPClient.configure(new FetchTransport({ browser: true }));
});

afterEach(() => {
  requests.length = 0;
});

afterAll(() => {
  new AsyncHTTPClient().close();
  AsyncHTTPClient.configure(null);
  server.close();
});

describe('AsyncHTTPClient in a browser (jsdom + msw)', () => {
  it('runs the seed examples with relative URLs resolved against the page', async () => {
    expect(location.href).toBe('http://localhost:3000/');
    const viaCallback = await new Promise<Uint8Array>((resolve) => asynchronousFetch('/api/hello', resolve));
    expect(decode(viaCallback)).toBe('Hello, browser');
    const response = await asyncFetchFuture('/api/hello');
    expect(response.effectiveUrl).toBe('http://localhost:3000/api/hello');
    expect(decode(await fetchCoroutine('/api/hello'))).toBe('Hello, browser');
  });

  it('resolves relative URLs in HTTPRequest against the page', () => {
    expect(new HTTPRequest('/api/x?y=1').url).toBe('http://localhost:3000/api/x?y=1');
  });

  it('lets the browser follow redirects and reports where it ended', async () => {
    const response = await new AsyncHTTPClient().fetch('/api/moved');
    expect(response.text).toBe('Hello, browser');
    expect(response.effectiveUrl).toBe('http://localhost:3000/api/hello');
  });

  it('rejects error responses with HTTPClientError and network errors with 599', async () => {
    const client = new AsyncHTTPClient();
    const notFound = (await rejection(client.fetch('/api/missing'))) as HTTPClientError;
    expect(notFound.code).toBe(404);
    expect(notFound.response?.text).toBe('nope');
    const down = (await rejection(client.fetch('/api/down', { raiseError: false }))) as HTTPClientError;
    expect(isHTTPClientError(down)).toBe(true);
    expect(down.code).toBe(599);
    expect(down.message).toMatch(/^HTTP 599: Network error/);
  });

  it('posts a body and streams a response', async () => {
    const client = new AsyncHTTPClient();
    const echoed = await client.fetch('/api/echo', { method: 'POST', body: new URLSearchParams({ a: '1' }) });
    expect(echoed.json()).toEqual({ body: 'a=1', type: 'application/x-www-form-urlencoded' });
    const chunks: string[] = [];
    const streamed = await client.fetch('/api/stream', { streamingCallback: (c) => chunks.push(decode(c)) });
    expect(chunks.join('')).toBe('one;two');
    expect(streamed.body).toHaveLength(0);
  });

  it('times out and cancels through the AbortSignal given to fetch()', async () => {
    const client = new AsyncHTTPClient();
    const error = await rejection(client.fetch('/api/hang', { requestTimeout: 100 }));
    expect(error).toBeInstanceOf(HTTPTimeoutError);
    expect((error as HTTPTimeoutError).message).toBe('Timeout during request');
    const cancelled = client.fetch('/api/hang');
    expect(cancelled.cancel()).toBe(true);
    expect(cancelled.cancelled()).toBe(true);
  });

  it('fails clearly, without a request, on what a browser cannot do', async () => {
    const client = new AsyncHTTPClient();
    for (const [options, message] of [
      [{ headers: { Host: 'other.test' } }, /Host header.*Browsers do not allow it/],
      [{ validateCert: false }, /validateCert: false/],
      [{ decompressResponse: false }, /decompressResponse: false/],
      [{ proxyHost: 'proxy.test' }, /proxyHost/],
    ] as const) {
      const error = (await rejection(client.fetch('/api/hello', options))) as HTTPClientError;
      expect(error.code).toBe(599);
      expect(error.message).toMatch(message);
    }
    expect(requests).toEqual([]);
  });
});
