import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import {
  AsyncHTTPClient,
  type FetchOptions,
  type Future,
  type HTTPResponse,
  type Transport,
} from '@gust/core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { type SeenRequest, startTestServer, type TestServer } from './test-server.js';

/** Awaits `future` and returns what it rejected with; fails the test if it fulfils. */
export async function rejection(future: PromiseLike<unknown>): Promise<unknown> {
  try {
    await future;
  } catch (error) {
    return error;
  }
  throw new Error('expected the fetch to fail, but it succeeded');
}

/** Polls `condition` every 10 ms for up to `ms`. */
export async function eventually(condition: () => boolean, ms = 3000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function query(req: IncomingMessage): URLSearchParams {
  return new URL(req.url ?? '/', 'http://x').searchParams;
}

function echo(req: IncomingMessage, res: ServerResponse, seen: SeenRequest): void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ method: seen.method, headers: req.headers, body: seen.body }));
}

/** Replies after `ms` (query), unless the client went away first. */
function later(res: ServerResponse, ms: number, reply: () => void): void {
  const timer = setTimeout(reply, ms);
  res.on('close', () => clearTimeout(timer));
}

export const GZIPPED_TEXT = 'x'.repeat(10_000);

/** What the contract's tests share; fields are (re)set by the hooks that {@link setUpContract} registers. */
export interface ContractContext {
  /** The main server (routes below). */
  server: TestServer;
  /** A second server: another origin, with `/echo`. */
  other: TestServer;
  /** A private client over a fresh transport, new for each test. */
  client: AsyncHTTPClient;
  /** `/stream` sends its second chunk when `release` is called (or after 5 s). */
  stream: { release: (() => void) | undefined; releasedByClient: boolean };
  /** `client.fetch(server.url(path), options)`. */
  fetch(path: string, options?: FetchOptions): Future<HTTPResponse>;
  /** Replaces `client` with one limited to `maxClients`. */
  useClient(maxClients: number): void;
}

/** Registers the hooks that start the servers and make a client per test, and returns their shared state. */
export function setUpContract(makeTransport: () => Transport): ContractContext {
  const ctx = {
    stream: { release: undefined, releasedByClient: false },
    fetch: (path: string, options?: FetchOptions) => ctx.client.fetch(ctx.server.url(path), options),
    useClient: (maxClients: number) => {
      ctx.client.close();
      ctx.client = new AsyncHTTPClient({ forceInstance: true, maxClients, transport: makeTransport() });
    },
  } as ContractContext;

  beforeAll(async () => {
    ctx.server = await startTestServer({
      '/hello': (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('Hello, world');
      },
      '/json': (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
        res.end('{"ok":true,"name":"gust"}');
      },
      '/cookies': (_req, res) => {
        res.setHeader('Set-Cookie', ['a=1', 'b=2']);
        res.end('ok');
      },
      '/echo': echo,
      '/status': (req, res) => {
        res.writeHead(Number(query(req).get('code')), { 'Content-Type': 'text/plain' });
        res.end('status body');
      },
      '/redirect': (req, res) => {
        const q = query(req);
        res.writeHead(Number(q.get('code') ?? 302), { Location: q.get('to') ?? '/hello' });
        res.end('redirect body');
      },
      '/loop': (req, res) => {
        const n = Number(query(req).get('n') ?? 0);
        res.writeHead(302, { Location: `/loop?n=${n + 1}` });
        res.end();
      },
      '/hang': () => {},
      '/slow': (req, res) => {
        const q = query(req);
        later(res, Number(q.get('ms') ?? 100), () => res.end(q.get('id') ?? 'slow'));
      },
      '/stream': (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.write('first;');
        const timer = setTimeout(() => ctx.stream.release?.(), 5000);
        ctx.stream.release = () => {
          clearTimeout(timer);
          ctx.stream.release = undefined;
          res.end('second');
        };
        res.on('close', () => clearTimeout(timer));
      },
      '/gzip': (_req, res) => {
        const body = gzipSync(GZIPPED_TEXT);
        res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Length': body.length });
        res.end(body);
      },
      '/big': (req, res) => {
        res.end('a'.repeat(Number(query(req).get('n'))));
      },
      '/destroy': (req) => {
        req.socket.destroy();
      },
      '/destroy-mid': (req, res) => {
        res.writeHead(200, { 'Content-Length': '100' });
        res.write('0123456789');
        later(res, 30, () => req.socket.destroy());
      },
    });
    ctx.other = await startTestServer({ '/echo': echo });
  });

  afterAll(async () => {
    await ctx.server.close();
    await ctx.other.close();
  });

  beforeEach(() => {
    ctx.server.requests.length = 0;
    ctx.server.concurrency.max = 0;
    ctx.other.requests.length = 0;
    ctx.stream.releasedByClient = false;
    ctx.client = new AsyncHTTPClient({ forceInstance: true, transport: makeTransport() });
  });

  afterEach(async () => {
    ctx.client.close();
    // Aborted requests reach the server a little later; let them end so the next test starts clean.
    await eventually(() => ctx.server.concurrency.now === 0 && ctx.other.concurrency.now === 0);
  });

  return ctx;
}
