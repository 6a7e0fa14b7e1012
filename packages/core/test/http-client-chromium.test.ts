import { existsSync } from 'node:fs';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium } from '../../../tools/chromium.js';
import { closedPort, startTestServer, type TestServer } from './contract/test-server.js';

// Real Chromium (Debian's, never a downloaded one) loads a page and a Web Worker from a local server:
// both are esbuild bundles of test/fixtures/browser-*.ts, built from core's TypeScript sources.

async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [new URL(`./fixtures/${entry}`, import.meta.url).pathname],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@gust/source'],
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

describe.skipIf(!existsSync(CHROMIUM))('HTTPClient and AsyncHTTPClient in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let results: Record<string, any>;

  beforeAll(async () => {
    const [page, worker] = await Promise.all([bundle('browser-page.ts'), bundle('browser-worker.ts')]);
    const script = (body: string) => (_req: unknown, res: import('node:http').ServerResponse) => {
      res.writeHead(200, { 'Content-Type': 'text/javascript' });
      res.end(body);
    };
    server = await startTestServer({
      '/': (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end('<!doctype html><title>gust</title><script src="/page.js"></script>');
      },
      '/page.js': script(page),
      '/worker.js': script(worker),
      '/hello': (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('Hello, Chromium');
      },
      '/missing': (_req, res) => {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('not here');
      },
      '/redirect': (_req, res) => {
        res.writeHead(302, { Location: '/hello' });
        res.end();
      },
      '/hang': () => {},
      '/echo': (req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ method: req.method, type: req.headers['content-type'] }));
      },
    });
    const closed = `http://127.0.0.1:${await closedPort()}/`;
    browser = await launchChromium();
    const tab = await browser.newPage();
    await tab.goto(server.url(`/?closed=${encodeURIComponent(closed)}`));
    await tab.waitForFunction(() => window.results !== undefined, undefined, { timeout: 30_000 });
    results = (await tab.evaluate(() => window.results)) as Record<string, any>;
    await tab.close();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('runs without a fatal error', () => {
    expect(results.fatal).toBeUndefined();
    expect(results.worker.fatal).toBeUndefined();
  });

  describe('on the main thread', () => {
    it('refuses the synchronous HTTPClient with an error that says what to use instead', () => {
      expect(results.mainThread.name).toBe('InvalidStateError');
      expect(results.mainThread.message).toMatch(/cannot run on a browser's main thread/);
      expect(results.mainThread.message).toMatch(/Use AsyncHTTPClient.*or run this code in a Web Worker/);
      expect(results.constructorThrows).toBe('InvalidStateError');
    });

    it("runs the seed's callback, Future and coroutine examples", () => {
      expect(results.callback).toBe('Hello, Chromium');
      expect(results.future).toBe('Hello, Chromium');
      expect(results.coroutine).toBe('Hello, Chromium');
    });

    it('lets the browser follow redirects, and fails clearly when it may not', () => {
      expect(results.redirect).toEqual({ text: 'Hello, Chromium', effectiveUrl: server.url('/hello') });
      expect(results.noFollow.code).toBe(599);
      expect(results.noFollow.message).toMatch(/does not expose redirect responses: followRedirects: false/);
    });

    it('fails clearly on a Host header and with 599 on a refused connection', () => {
      expect(results.hostHeader).toMatch(/FetchTransport cannot honour this request: .*Host header/);
      expect(results.refused.code).toBe(599);
      expect(results.refused.message).toMatch(/Network error/);
    });
  });

  describe('in a Web Worker', () => {
    it("runs the seed's synchronous example", () => {
      expect(results.worker.seed).toBe('Hello, Chromium');
    });

    it('throws HTTPClientError for error responses unless raiseError is false', () => {
      expect(results.worker.notFound).toMatchObject({ name: 'HTTPClientError', code: 404, body: 'not here' });
      expect(results.worker.raiseErrorFalse).toBe(404);
    });

    it('follows redirects, and fails clearly when followRedirects is false', () => {
      expect(results.worker.redirect).toEqual({
        text: 'Hello, Chromium',
        effectiveUrl: server.url('/hello'),
      });
      expect(results.worker.noFollow.code).toBe(599);
      expect(results.worker.noFollow.message).toMatch(/always follows redirects: followRedirects: false/);
    });

    it('times out with HTTPTimeoutError after requestTimeout', () => {
      expect(results.worker.timeout).toMatchObject({
        name: 'HTTPTimeoutError',
        code: 599,
        message: 'Timeout during request',
        phase: 'request',
      });
      expect(results.worker.timeout.elapsed).toBeGreaterThanOrEqual(290);
      expect(results.worker.timeout.elapsed).toBeLessThan(10_000);
    });

    it('posts a body, fails with 599 on a refused connection and refuses a Host header', () => {
      expect(results.worker.post).toEqual({ method: 'POST', type: 'application/x-www-form-urlencoded' });
      expect(results.worker.refused).toMatchObject({ name: 'HTTPClientError', code: 599 });
      expect(results.worker.hostHeader.message).toMatch(/cannot honour this request: .*Host header/);
    });

    it('runs AsyncHTTPClient with the browser rules detected by itself', () => {
      expect(results.worker.asyncInWorker).toEqual({
        text: 'Hello, Chromium',
        effectiveUrl: server.url('/hello'),
      });
    });
  });
});
