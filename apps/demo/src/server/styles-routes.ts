import { HTTPClientError, isInvalidStateError, sleep } from '@gust/core';
import { HTTPError } from './http-error.js';
import { readJSON } from './http-io.js';
import { queryOf, type Router } from './router.js';
import { synchronousFetch } from './synchronous-fetch.js';
import { helloDelay, helloText } from './upstream-hello.js';
import type { UpstreamServer } from './upstream-server.js';

/**
 * Page 1's server side:
 * - `GET /upstream/hello?delay=ms` answers after `delay` ms without blocking: a coroutine that sleeps. The
 *   browser's callback, Future and coroutine styles fetch it.
 * - `POST /a/styles/sync` `{ delay? }` runs the seed's synchronous style here, on the server's loop, against
 *   the upstream worker thread, and answers `{ text, ms }`; for those `ms` the loop served nobody else.
 */
export function stylesRoutes(router: Router, upstream: UpstreamServer): void {
  router.route('GET', '/upstream/hello', function* upstreamHello(req, res) {
    const delay = helloDelay(queryOf(req).get('delay'));
    yield sleep(delay);
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(helloText(delay, 'demo server'));
  });

  router.route('POST', '/a/styles/sync', function* synchronousStyle(req) {
    const { delay } = yield* readJSON(req);
    const url = `${upstream.url}/upstream/hello?delay=${helloDelay(delay)}`;
    const start = performance.now();
    let body: Uint8Array;
    try {
      body = synchronousFetch(url);
    } catch (error) {
      if (isInvalidStateError(error)) {
        throw new HTTPError(501, `the synchronous HTTPClient is not available: ${(error as Error).message}`);
      }
      if (error instanceof HTTPClientError)
        throw new HTTPError(502, `upstream fetch failed: ${error.message}`);
      throw error;
    }
    return { text: new TextDecoder().decode(body), ms: performance.now() - start };
  });
}
