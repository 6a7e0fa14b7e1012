import { CancelledError, coroutine, HTTPClientError, HTTPTimeoutError, sleep } from '@gust/core';
import { describe, expect, it } from 'vitest';
import { type ContractContext, eventually, rejection } from './transport-contract-context.js';

/** Part of the transport contract: what spans exchanges (maxClients queueing, cancellation, redirects). */
export function describeFlow(ctx: ContractContext): void {
  describe('maxClients', () => {
    it('runs at most maxClients requests at once', async () => {
      ctx.useClient(2);
      const responses = await Promise.all([0, 1, 2, 3, 4].map((id) => ctx.fetch(`/slow?ms=100&id=${id}`)));
      expect(responses.map((r) => r.text)).toEqual(['0', '1', '2', '3', '4']);
      expect(ctx.server.concurrency.max).toBe(2);
    });

    it('starts queued requests in FIFO order and reports their queue time', async () => {
      ctx.useClient(1);
      const responses = await Promise.all([0, 1, 2, 3].map((id) => ctx.fetch(`/slow?ms=50&id=${id}`)));
      expect(ctx.server.requests.map((r) => r.path)).toEqual(
        [0, 1, 2, 3].map((id) => `/slow?ms=50&id=${id}`),
      );
      expect(responses[0]?.timeInfo.queue).toBe(0);
      expect(responses[3]?.timeInfo.queue).toBeGreaterThanOrEqual(140);
      expect(ctx.server.concurrency.max).toBe(1);
    });

    it('fails a request still queued after min(connectTimeout, requestTimeout) with "Timeout in request queue"', async () => {
      ctx.useClient(1);
      const first = ctx.fetch('/hang');
      const start = performance.now();
      const error = await rejection(ctx.fetch('/hello', { connectTimeout: 200, requestTimeout: 5000 }));
      const elapsed = performance.now() - start;
      expect(error).toBeInstanceOf(HTTPTimeoutError);
      expect((error as HTTPTimeoutError).message).toBe('Timeout in request queue');
      expect((error as HTTPTimeoutError).phase).toBe('queue');
      expect((error as HTTPTimeoutError).code).toBe(599);
      expect(elapsed).toBeGreaterThanOrEqual(190);
      expect(elapsed).toBeLessThan(4900);
      expect(ctx.server.requests.map((r) => r.path)).toEqual(['/hang']);
      expect(first.done()).toBe(false);
      first.cancel();
    });

    it('takes a cancelled request out of the queue', async () => {
      ctx.useClient(1);
      const first = ctx.fetch('/slow?ms=100&id=first');
      const cancelled = ctx.fetch('/slow?ms=10&id=cancelled');
      const last = ctx.fetch('/slow?ms=10&id=last');
      expect(cancelled.cancel()).toBe(true);
      expect((await first).text).toBe('first');
      expect((await last).text).toBe('last');
      expect(cancelled.cancelled()).toBe(true);
      expect(ctx.server.requests.map((r) => r.path)).not.toContain('/slow?ms=10&id=cancelled');
    });
  });

  describe('cancellation', () => {
    it('aborts the request when its Future is cancelled and frees its slot', async () => {
      ctx.useClient(1);
      const hanging = ctx.fetch('/hang');
      const next = ctx.fetch('/hello');
      await ctx.server.waitForRequests(1);
      expect(hanging.cancel()).toBe(true);
      expect(hanging.cancelled()).toBe(true);
      expect((await next).text).toBe('Hello, world');
      await eventually(() => ctx.server.requests[0]?.aborted === true);
      expect(await rejection(hanging)).toBeInstanceOf(CancelledError);
    });

    it('aborts the fetch a cancelled coroutine is waiting on, after its finally block ran', async () => {
      const steps: string[] = [];
      const body = coroutine(function* () {
        try {
          const response = yield* ctx.fetch('/hang');
          steps.push(`got ${response.code}`);
        } finally {
          steps.push('finally');
        }
      });
      const running = body();
      await ctx.server.waitForRequests(1);
      running.cancel();
      await eventually(() => running.done());
      expect(running.cancelled()).toBe(true);
      expect(steps).toEqual(['finally']);
      await eventually(() => ctx.server.requests[0]?.aborted === true);
    });

    it('cancels the fetch when the request signal aborts', async () => {
      const controller = new AbortController();
      const future = ctx.fetch('/hang', { signal: controller.signal });
      await ctx.server.waitForRequests(1);
      controller.abort();
      expect(future.cancelled()).toBe(true);
      await eventually(() => ctx.server.requests[0]?.aborted === true);
    });

    it('does not send a request whose signal is already aborted', async () => {
      const future = ctx.fetch('/hello', { signal: AbortSignal.abort() });
      expect(future.cancelled()).toBe(true);
      await sleep(50);
      expect(ctx.server.requests).toEqual([]);
    });
  });

  describe('redirects', () => {
    it('follows a redirect and reports the final URL', async () => {
      const response = await ctx.fetch('/redirect?code=302&to=/hello');
      expect(response.code).toBe(200);
      expect(response.text).toBe('Hello, world');
      expect(response.effectiveUrl).toBe(ctx.server.url('/hello'));
      expect(response.request.url).toBe(ctx.server.url('/redirect?code=302&to=/hello'));
      expect(ctx.server.requests.map((r) => r.path)).toEqual(['/redirect?code=302&to=/hello', '/hello']);
    });

    for (const code of [301, 302]) {
      it(`turns POST into GET on ${code}, dropping the body and its Content-* headers`, async () => {
        const response = await ctx.fetch(`/redirect?code=${code}&to=/echo`, {
          method: 'POST',
          body: 'secret=1',
          headers: { 'Content-Type': 'text/plain', 'X-Keep': 'kept' },
        });
        const seen = response.json();
        expect(seen.method).toBe('GET');
        expect(seen.body).toBe('');
        expect(seen.headers['content-type']).toBeUndefined();
        expect(seen.headers['x-keep']).toBe('kept');
      });
    }

    it('turns any method but HEAD into GET on 303', async () => {
      const put = await ctx.fetch('/redirect?code=303&to=/echo', { method: 'PUT', body: 'x' });
      expect(put.json()).toMatchObject({ method: 'GET', body: '' });
      const head = await ctx.fetch('/redirect?code=303&to=/echo', { method: 'HEAD' });
      expect(head.code).toBe(200);
      expect(ctx.server.requests.at(-1)?.method).toBe('HEAD');
    });

    for (const code of [307, 308]) {
      it(`keeps the method and body on ${code}`, async () => {
        const response = await ctx.fetch(`/redirect?code=${code}&to=/echo`, {
          method: 'POST',
          body: '{"a":1}',
          headers: { 'Content-Type': 'application/json' },
        });
        expect(response.json()).toMatchObject({
          method: 'POST',
          body: '{"a":1}',
          headers: { 'content-type': 'application/json' },
        });
      });
    }

    it('stops after maxRedirects and fails with the last 3xx response', async () => {
      const error = await rejection(ctx.fetch('/loop', { maxRedirects: 2 }));
      expect((error as HTTPClientError).code).toBe(302);
      expect(ctx.server.requests.map((r) => r.path)).toEqual(['/loop', '/loop?n=1', '/loop?n=2']);
      const response = await ctx.fetch('/loop', { maxRedirects: 1, raiseError: false });
      expect(response.code).toBe(302);
      expect(response.headers.get('Location')).toBe('/loop?n=2');
      expect(response.effectiveUrl).toBe(ctx.server.url('/loop?n=1'));
    });

    it('returns the redirect itself with followRedirects: false', async () => {
      const error = await rejection(ctx.fetch('/redirect?code=301&to=/hello', { followRedirects: false }));
      expect((error as HTTPClientError).code).toBe(301);
      const response = await ctx.fetch('/redirect?code=302&to=/hello', {
        followRedirects: false,
        raiseError: false,
      });
      expect(response.code).toBe(302);
      expect(response.headers.get('Location')).toBe('/hello');
      expect(response.effectiveUrl).toBe(ctx.server.url('/redirect?code=302&to=/hello'));
      expect(ctx.server.requests).toHaveLength(2);
    });

    it('keeps credentials on a same-origin redirect', async () => {
      const response = await ctx.fetch('/redirect?code=302&to=/echo', {
        authUsername: 'Aladdin',
        authPassword: 'open sesame',
        headers: { Cookie: 'session=1' },
      });
      expect(response.json().headers).toMatchObject({
        authorization: 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==',
        cookie: 'session=1',
      });
    });

    it('drops Authorization, Cookie and Proxy-Authorization on a cross-origin redirect', async () => {
      const to = encodeURIComponent(ctx.other.url('/echo'));
      const response = await ctx.fetch(`/redirect?code=307&to=${to}`, {
        authUsername: 'Aladdin',
        authPassword: 'open sesame',
        headers: { Cookie: 'session=1', 'Proxy-Authorization': 'Basic eA==', 'X-Keep': 'kept' },
      });
      expect(response.effectiveUrl).toBe(ctx.other.url('/echo'));
      const headers = response.json().headers;
      expect(headers.authorization).toBeUndefined();
      expect(headers.cookie).toBeUndefined();
      expect(headers['proxy-authorization']).toBeUndefined();
      expect(headers['x-keep']).toBe('kept');
      expect(ctx.server.requests[0]?.headers.authorization).toBe('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
    });

    it('refuses a redirect to a non-http(s) URL, also with raiseError: false', async () => {
      for (const target of ['file:///etc/passwd', 'javascript:alert(1)']) {
        const error = await rejection(
          ctx.fetch(`/redirect?code=302&to=${encodeURIComponent(target)}`, { raiseError: false }),
        );
        expect(error).toBeInstanceOf(HTTPClientError);
        expect((error as HTTPClientError).code).toBe(302);
        expect((error as HTTPClientError).message).toMatch(/Refusing to follow a redirect/);
        expect((error as HTTPClientError).response?.code).toBe(302);
      }
      const response = await ctx.fetch('/redirect?code=302&to=file%3A%2F%2F%2Fetc%2Fpasswd', {
        callback: () => {},
      });
      expect(response.error?.message).toMatch(/Refusing/);
    });

    it('never holds two slots for a redirect', async () => {
      ctx.useClient(1);
      const redirected = ctx.fetch('/redirect?code=302&to=/slow%3Fid%3Dredirected');
      const queued = ctx.fetch('/slow?id=queued');
      expect((await redirected).text).toBe('redirected');
      expect((await queued).text).toBe('queued');
      expect(ctx.server.concurrency.max).toBe(1);
      // Tornado releases the slot, then queues the redirect behind requests already waiting.
      expect(ctx.server.requests.map((r) => r.path)).toEqual([
        '/redirect?code=302&to=/slow%3Fid%3Dredirected',
        '/slow?id=queued',
        '/slow?id=redirected',
      ]);
    });

    it('gives streamingCallback and headerCallback only the final response of a redirect chain', async () => {
      const lines: string[] = [];
      const chunks: string[] = [];
      const decoder = new TextDecoder();
      const response = await ctx.fetch('/redirect?code=302&to=/hello', {
        headerCallback: (line) => lines.push(line),
        streamingCallback: (chunk) => chunks.push(decoder.decode(chunk)),
      });
      expect(lines[0]).toBe('HTTP/1.1 200 OK\r\n');
      expect(lines.filter((l) => l.startsWith('HTTP/'))).toHaveLength(1);
      expect(lines.some((l) => /^Location:/i.test(l))).toBe(false);
      expect(chunks.join('')).toBe('Hello, world');
      expect(response.body).toHaveLength(0);
    });
  });
}
