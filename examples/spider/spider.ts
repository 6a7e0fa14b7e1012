/**
 * A web spider: N coroutine workers drain a `Queue` of URLs, fetch each page with `AsyncHTTPClient`, and
 * put the links they find back in the queue. A port of Tornado's `demos/webspider`, crawling a small site
 * that this file serves itself on 127.0.0.1, so it runs anywhere without touching the network.
 *
 * Run it with `npm run example:spider` from the repository root.
 *
 * @module
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AsyncHTTPClient, coroutine, currentLoop, multi, Queue } from '@gust/core';

/** What a crawl found. */
export interface CrawlResult {
  /** Pages fetched successfully, in the order they were fetched. */
  fetched: string[];
  /** URLs that failed (an HTTP error or no response at all). */
  dead: string[];
  /** Milliseconds the crawl took. */
  elapsedMs: number;
}

/** Options of {@link crawl}. */
export interface CrawlOptions {
  /** How many worker coroutines fetch at once. @default 3 */
  concurrency?: number;
  /** Where progress lines go. @default console.log */
  log?: (line: string) => void;
  /** The client to fetch with. @default the shared `new AsyncHTTPClient()` */
  client?: AsyncHTTPClient;
  /** How long to wait for the whole crawl, in milliseconds. @default 300_000 */
  timeoutMs?: number;
}

/** The links of an HTML page: every `href` resolved against the page URL, without its #fragment. */
export function getLinks(html: string, pageUrl: string): string[] {
  const links: string[] = [];
  for (const match of html.matchAll(/href\s*=\s*["']([^"']+)["']/gi)) {
    const href = match[1];
    if (href === undefined) continue;
    try {
      const url = new URL(href, pageUrl);
      url.hash = '';
      links.push(url.href);
    } catch {
      // Not a URL (e.g. `href="javascript:..."` with odd characters): not a page to crawl.
    }
  }
  return links;
}

/**
 * Crawls every page beneath `baseUrl` once, with `concurrency` worker coroutines sharing one queue.
 * Tornado: `main()` of `demos/webspider/webspider.py`.
 */
export const crawl = coroutine(function* (baseUrl: string, options: CrawlOptions = {}) {
  const { concurrency = 3, log = console.log, timeoutMs = 300_000 } = options;
  const client = options.client ?? new AsyncHTTPClient();
  // `null` tells a worker to stop, like Tornado's `None`.
  const queue = new Queue<string | null>();
  const start = currentLoop().time();
  const fetching = new Set<string>();
  const fetched: string[] = [];
  const dead: string[] = [];

  const fetchUrl = coroutine(function* (url: string) {
    // Several pages link to the same page: the first worker to get it fetches it, the others skip it.
    if (fetching.has(url)) return;
    log(`fetching ${url}`);
    fetching.add(url);
    const response = yield* client.fetch(url);
    fetched.push(url);
    for (const link of getLinks(response.text, response.effectiveUrl)) {
      // Only follow links beneath the base URL.
      if (link.startsWith(baseUrl)) yield queue.put(link);
    }
  });

  const worker = coroutine(function* () {
    for (;;) {
      const url = yield* queue.get();
      if (url === null) return;
      try {
        yield fetchUrl(url);
      } catch (error) {
        log(`Exception: ${(error as Error).message} ${url}`);
        dead.push(url);
      } finally {
        // Every get() is matched by a taskDone(), also on failure, or join() would wait forever.
        queue.taskDone();
      }
    }
  });

  yield queue.put(baseUrl);
  // Start the workers, then wait until every URL put in the queue has been processed.
  const workers = Array.from({ length: concurrency }, () => worker());
  try {
    yield queue.join(timeoutMs);
    if (fetching.size !== fetched.length + dead.length) {
      throw new Error(
        `crawl ended with ${fetching.size} URLs started but ${fetched.length + dead.length} done`,
      );
    }
    const elapsedMs = currentLoop().time() - start;
    log(`Done in ${Math.round(elapsedMs)} ms, fetched ${fetched.length} URLs.`);
    log(`Unable to fetch ${dead.length} URLs.`);
    // Signal all the workers to exit, and wait for them.
    for (let i = 0; i < concurrency; i++) yield queue.put(null);
    yield multi(workers);
    return { fetched, dead, elapsedMs } satisfies CrawlResult;
  } finally {
    // After a timeout (or any failure) the workers are still running: cancelling them aborts their
    // fetches and ends their loops, so nothing outlives the crawl. Finished workers ignore it.
    for (const w of workers) w.cancel();
  }
});

/** The demo site: every page beneath `/site/` and the links on it. `/elsewhere` is outside the crawl. */
export const SITE: Readonly<Record<string, readonly string[]>> = {
  '/site/': ['a', 'b', 'c#section', 'missing', '/elsewhere', 'mailto:spider@example.invalid'],
  '/site/a': ['/site/', 'a/1', 'b'],
  '/site/a/1': ['/site/a', '/site/c#top', '../../elsewhere'],
  '/site/b': ['/site/a/1', 'b/2', '/site/b'],
  '/site/b/2': ['/site/', '/site/c'],
  '/site/c': ['/site/a', '/site/b/2'],
  '/elsewhere': ['/site/'],
};

/** A running demo site and how often each path was requested. */
export interface SiteServer {
  /** `http://127.0.0.1:<port>/site/`: where the crawl starts, and what it stays beneath. */
  baseUrl: string;
  /** Requests per path, 404s included. */
  hits: Map<string, number>;
  /** Stops the server and drops its keep-alive connections. */
  close(): Promise<void>;
}

/** Serves {@link SITE} on 127.0.0.1 on an ephemeral port. */
export async function startSiteServer(): Promise<SiteServer> {
  const hits = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const links = SITE[path];
    if (links === undefined) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    const anchors = links.map((href) => `<li><a href="${href}">${href}</a></li>`).join('\n');
    response
      .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
      .end(`<!doctype html><title>${path}</title><ul>\n${anchors}\n</ul>`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/site/`,
    hits,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * Serves the demo site, crawls it with a private client, prints what it fetched, and cleans up: the
 * server is closed and the client too, so the process exits by itself.
 */
export async function main(
  options: Omit<CrawlOptions, 'client'> = {},
): Promise<CrawlResult & { hits: Map<string, number> }> {
  const site = await startSiteServer();
  const client = new AsyncHTTPClient({ forceInstance: true, maxClients: 10 });
  try {
    const result = await crawl(site.baseUrl, { ...options, client });
    return { ...result, hits: site.hits };
  } finally {
    client.close();
    await site.close();
  }
}
