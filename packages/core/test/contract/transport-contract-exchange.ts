import {
  HTTPClientError,
  type HTTPResponse,
  HTTPStreamClosedError,
  HTTPTimeoutError,
  isHTTPClientError,
  sleep,
} from '@gust/core';
import { describe, expect, it } from 'vitest';
import { closedPort } from './test-server.js';
import { type ContractContext, eventually, GZIPPED_TEXT, rejection } from './transport-contract-context.js';

/** Part of the transport contract: one exchange (responses, requests, errors, timeouts, streaming, bodies). */
export function describeExchange(ctx: ContractContext): void {
  describe('responses', () => {
    it('fetches a body with its code, reason, headers and effective URL', async () => {
      const response = await ctx.fetch('/hello');
      expect(response.code).toBe(200);
      expect(response.reason).toBe('OK');
      expect(response.error).toBeUndefined();
      expect(response.headers.get('content-type')).toBe('text/plain');
      expect(response.body).toBeInstanceOf(Uint8Array);
      expect(response.text).toBe('Hello, world');
      expect(response.effectiveUrl).toBe(ctx.server.url('/hello'));
      expect(response.request.url).toBe(ctx.server.url('/hello'));
      expect(response.requestTime).toBeGreaterThanOrEqual(0);
      expect(response.timeInfo.firstByte).toBeGreaterThanOrEqual(0);
      expect(response.timeInfo.total).toBeGreaterThanOrEqual(response.requestTime);
    });

    it('parses JSON bodies', async () => {
      expect((await ctx.fetch('/json')).json()).toEqual({ ok: true, name: 'gust' });
    });

    it('keeps every value of a repeated response header', async () => {
      const response = await ctx.fetch('/cookies');
      expect(response.headers.getList('Set-Cookie')).toEqual(['a=1', 'b=2']);
    });

    it('reports how long the request took', async () => {
      const response = await ctx.fetch('/slow?ms=150');
      expect(response.requestTime).toBeGreaterThanOrEqual(140);
      expect(response.timeInfo.firstByte).toBeGreaterThanOrEqual(140);
      expect(response.timeInfo.queue).toBe(0);
      expect(response.requestTime).toBeLessThan(10_000);
    });
  });

  describe('requests', () => {
    it('sends the method, headers and body, with a form Content-Type for POST by default', async () => {
      const response = await ctx.fetch('/echo', {
        method: 'POST',
        body: 'a=1&b=2',
        headers: { 'X-Custom': 'yes' },
      });
      const seen = response.json();
      expect(seen.method).toBe('POST');
      expect(seen.body).toBe('a=1&b=2');
      expect(seen.headers['x-custom']).toBe('yes');
      expect(seen.headers['content-type']).toBe('application/x-www-form-urlencoded');
    });

    it('sends Uint8Array and URLSearchParams bodies', async () => {
      const bytes = await ctx.fetch('/echo', { method: 'PUT', body: new TextEncoder().encode('bytes!') });
      expect(bytes.json().body).toBe('bytes!');
      const form = await ctx.fetch('/echo', { method: 'PATCH', body: new URLSearchParams({ q: 'a b' }) });
      expect(form.json().body).toBe('q=a+b');
      expect(form.json().headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    });

    it('sends basic authentication from authUsername/authPassword and from the URL', async () => {
      const expected = 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==';
      const fromOptions = await ctx.fetch('/echo', { authUsername: 'Aladdin', authPassword: 'open sesame' });
      expect(fromOptions.json().headers.authorization).toBe(expected);
      const url = `http://Aladdin:open%20sesame@127.0.0.1:${ctx.server.port}/echo`;
      const fromUrl = await ctx.client.fetch(url);
      expect(fromUrl.json().headers.authorization).toBe(expected);
      expect(fromUrl.effectiveUrl).toBe(ctx.server.url('/echo'));
    });

    it('sends If-Modified-Since and User-Agent', async () => {
      const response = await ctx.fetch('/echo', {
        ifModifiedSince: Date.UTC(2020, 0, 2, 3, 4, 5),
        userAgent: 'gust-test',
      });
      expect(response.json().headers['if-modified-since']).toBe('Thu, 02 Jan 2020 03:04:05 GMT');
      expect(response.json().headers['user-agent']).toBe('gust-test');
    });

    it('streams a bodyProducer upload', async () => {
      const response = await ctx.fetch('/echo', {
        method: 'POST',
        bodyProducer: async (write) => {
          await write('a');
          await sleep(20);
          await write(new TextEncoder().encode('b'));
          await write('c');
        },
      });
      expect(response.json().body).toBe('abc');
    });

    it('fails with 599 naming bodyProducer when the producer fails', async () => {
      const error = await rejection(
        ctx.fetch('/echo', {
          method: 'POST',
          bodyProducer: async (write) => {
            await write('a');
            throw new Error('disk gone');
          },
        }),
      );
      expect(error).toBeInstanceOf(HTTPClientError);
      expect((error as HTTPClientError).code).toBe(599);
      expect((error as HTTPClientError).message).toMatch(/bodyProducer failed: disk gone/);
    });
  });

  describe('errors', () => {
    it('rejects a non-2xx response with an HTTPClientError that carries the response', async () => {
      const error = await rejection(ctx.fetch('/status?code=404'));
      expect(error).toBeInstanceOf(HTTPClientError);
      const e = error as HTTPClientError;
      expect(e.code).toBe(404);
      expect(e.message).toBe('HTTP 404: Not Found');
      expect(e.response?.code).toBe(404);
      expect(e.response?.text).toBe('status body');
    });

    it('resolves a non-2xx response with raiseError: false', async () => {
      const response = await ctx.fetch('/status?code=500', { raiseError: false });
      expect(response.code).toBe(500);
      expect(response.error).toBeInstanceOf(HTTPClientError);
      expect(response.text).toBe('status body');
      expect(() => response.rethrow()).toThrow('HTTP 500: Internal Server Error');
    });

    it('rejects with 599 when the connection is refused, also with raiseError: false', async () => {
      const url = `http://127.0.0.1:${await closedPort()}/`;
      const error = await rejection(ctx.client.fetch(url, { raiseError: false }));
      expect(isHTTPClientError(error)).toBe(true);
      expect(error).not.toBeInstanceOf(HTTPTimeoutError);
      expect((error as HTTPClientError).code).toBe(599);
      expect((error as HTTPClientError).message).toMatch(/refused/i);
    });

    it('delivers every outcome to the callback and never rejects', async () => {
      const seen: HTTPResponse[] = [];
      const ok = ctx.fetch('/hello', { callback: (r) => seen.push(r) });
      const notFound = ctx.fetch('/status?code=404', { callback: (r) => seen.push(r) });
      const refused = ctx.client.fetch(`http://127.0.0.1:${await closedPort()}/`, {
        callback: (r) => seen.push(r),
      });
      const results = await Promise.all([ok, notFound, refused]);
      await eventually(() => seen.length === 3);
      expect(results.map((r) => r.code)).toEqual([200, 404, 599]);
      expect(seen.map((r) => r.code).sort()).toEqual([200, 404, 599]);
      expect(results[1]?.error).toBeInstanceOf(HTTPClientError);
      expect((results[2]?.error as HTTPClientError | undefined)?.code).toBe(599);
      expect(results[0]?.error).toBeUndefined();
    });

    it('fails with HTTPStreamClosedError when the connection closes before a response', async () => {
      const error = await rejection(ctx.fetch('/destroy'));
      expect(error).toBeInstanceOf(HTTPStreamClosedError);
      expect((error as HTTPClientError).code).toBe(599);
    });

    it('fails with HTTPStreamClosedError when the connection closes in the middle of the body', async () => {
      const error = await rejection(ctx.fetch('/destroy-mid'));
      expect(error).toBeInstanceOf(HTTPStreamClosedError);
      expect((error as HTTPClientError).code).toBe(599);
    });
  });

  describe('timeouts', () => {
    it('fails with HTTPTimeoutError "Timeout during request" after requestTimeout and aborts the request', async () => {
      const start = performance.now();
      const error = await rejection(ctx.fetch('/hang', { requestTimeout: 300, raiseError: false }));
      const elapsed = performance.now() - start;
      expect(error).toBeInstanceOf(HTTPTimeoutError);
      expect((error as HTTPTimeoutError).message).toBe('Timeout during request');
      expect((error as HTTPTimeoutError).code).toBe(599);
      expect((error as HTTPTimeoutError).phase).toBe('request');
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(elapsed).toBeLessThan(10_000);
      await eventually(() => ctx.server.requests[0]?.aborted === true);
    });

    it('gives the callback a 599 response with the timeout error', async () => {
      const response = await ctx.fetch('/hang', { requestTimeout: 100, callback: () => {} });
      expect(response.code).toBe(599);
      expect(response.error).toBeInstanceOf(HTTPTimeoutError);
    });
  });

  describe('streaming', () => {
    it('calls streamingCallback with chunks as they arrive and leaves the body empty', async () => {
      const chunks: string[] = [];
      const decoder = new TextDecoder();
      const response = await ctx.fetch('/stream', {
        streamingCallback: (chunk) => {
          chunks.push(decoder.decode(chunk));
          // The server sends the rest only once the first chunk reached this callback.
          if (chunks.join('') === 'first;' && ctx.stream.release !== undefined) {
            ctx.stream.releasedByClient = true;
            ctx.stream.release();
          }
        },
      });
      expect(ctx.stream.releasedByClient).toBe(true);
      expect(chunks.join('')).toBe('first;second');
      expect(response.body).toHaveLength(0);
      expect(response.text).toBe('');
    });

    it('calls headerCallback with the status line, each header line and a blank line', async () => {
      const lines: string[] = [];
      await ctx.fetch('/cookies', { headerCallback: (line) => lines.push(line) });
      expect(lines[0]).toBe('HTTP/1.1 200 OK\r\n');
      expect(lines.at(-1)).toBe('\r\n');
      expect(lines).toContain('Set-Cookie: a=1\r\n');
      expect(lines).toContain('Set-Cookie: b=2\r\n');
      expect(lines.slice(1, -1).every((l) => /^[A-Za-z0-9-]+: .*\r\n$/.test(l))).toBe(true);
    });

    it('fails the fetch with the exception a streamingCallback throws', async () => {
      const boom = new Error('consumer failed');
      const error = await rejection(
        ctx.fetch('/hello', {
          streamingCallback: () => {
            throw boom;
          },
        }),
      );
      expect(error).toBe(boom);
    });
  });

  describe('bodies', () => {
    it('decompresses gzip bodies', async () => {
      const response = await ctx.fetch('/gzip');
      expect(response.text).toBe(GZIPPED_TEXT);
    });

    it('fails with 599 when the body exceeds maxBodySize', async () => {
      const error = await rejection(ctx.fetch('/big?n=1000', { maxBodySize: 100 }));
      expect(error).toBeInstanceOf(HTTPClientError);
      expect((error as HTTPClientError).code).toBe(599);
      expect((error as HTTPClientError).message).toMatch(/maxBodySize \(100 bytes\)/);
      expect((await ctx.fetch('/big?n=1000', { maxBodySize: 1000 })).body).toHaveLength(1000);
    });

    it('counts decompressed bytes against maxBodySize', async () => {
      const error = await rejection(ctx.fetch('/gzip', { maxBodySize: 5000 }));
      expect((error as HTTPClientError).message).toMatch(/maxBodySize/);
      expect((await ctx.fetch('/gzip', { maxBodySize: 10_000 })).body).toHaveLength(10_000);
    });
  });
}
