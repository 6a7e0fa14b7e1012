import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { coroutine, Future, withTimeout } from '@gust/core';
import { type InstallOptions, IOLoop, install } from '@gust/node-adapter';
import { ChatRoom } from './chat-room.js';
import { chatRoutes } from './chat-routes.js';
import { LagSampler } from './lag-sampler.js';
import { loopRoutes } from './loop-routes.js';
import { Router } from './router.js';
import { staticFiles } from './static-files.js';
import { stylesRoutes } from './styles-routes.js';
import { startUpstream } from './upstream-server.js';

/** Options of {@link startServer}. */
export interface DemoServerOptions {
  /** TCP port; 0 picks a free one. @default 8888 (Tornado's demos' port) */
  port?: number;
  /** Address to listen on. @default '127.0.0.1' */
  host?: string;
  /** The loop to run on; `close()` closes it. @default `IOLoop.current()` */
  loop?: IOLoop;
  /** Directory of the built client. @default `apps/demo/dist/client` */
  clientDir?: string | URL;
  /** Messages kept for newcomers. @default 200 */
  historySize?: number;
  /** Options of the Node adapter's `install()` (minus `loop`), e.g. for the synchronous HTTPClient. */
  install?: Omit<InstallOptions, 'loop'>;
}

/** A running demo server. */
export interface DemoServer {
  /** The bound port. */
  readonly port: number;
  /** e.g. `http://127.0.0.1:8888` */
  readonly url: string;
  /** The chat room (tests and the benchmark read `room.waiting`). */
  readonly room: ChatRoom;
  /** How many requests are being handled, held long-polls included. */
  readonly active: number;
  /**
   * Shuts down gracefully: stops accepting connections, answers held long-polls with 503 (browsers
   * reconnect with backoff), stops the upstream thread, then closes the IOLoop, which shuts the executor
   * down. Resolves once nothing of the server is left. Safe to call twice.
   */
  close(): Future<void>;
}

const CLIENT_DIR = new URL('../../dist/client/', import.meta.url);

/**
 * Starts the demo: a `node:http` server on gust's IOLoop with the three pages' APIs and the built client.
 * `install()` makes the loop core's current loop (and, with the Node adapter's HTTP pieces, enables the
 * synchronous `HTTPClient` for page 1).
 * @remarks Tornado: `tornado.web.Application(...).listen(port)`.
 * @example
 * const demo = await startServer({ port: 0 });
 * console.log(demo.url);
 * await demo.close();
 */
export const startServer = coroutine(function* startServer(options: DemoServerOptions = {}) {
  const loop = options.loop ?? IOLoop.current();
  const uninstall = install({ ...options.install, loop });
  let upstream: Awaited<ReturnType<typeof startUpstream>> | undefined;
  try {
    upstream = yield* startUpstream();
    const room = new ChatRoom({ historySize: options.historySize });
    const sampler = new LagSampler(loop);
    const router = new Router();
    chatRoutes(router, room);
    stylesRoutes(router, upstream);
    loopRoutes(router, loop, sampler);
    router.fallback(staticFiles(options.clientDir ?? CLIENT_DIR));

    const server = createServer(router.handle);
    yield* listen(server, options.port ?? 8888, options.host ?? '127.0.0.1');
    sampler.start();
    const port = (server.address() as AddressInfo).port;
    const running = upstream;
    let closing: Future<void> | undefined;
    const demo: DemoServer = {
      port,
      url: `http://127.0.0.1:${port}`,
      room,
      get active() {
        return router.active;
      },
      close: () => {
        closing ??= shutdown(server, router, sampler, running, uninstall, loop);
        return closing;
      },
    };
    return demo;
  } catch (error) {
    if (upstream !== undefined) yield upstream.close();
    uninstall();
    throw error;
  }
});

function listen(server: Server, port: number, host: string): Future<void> {
  const future = new Future<void>();
  const onError = (error: Error): void => {
    future.setException(error);
  };
  server.once('error', onError);
  server.listen(port, host, () => {
    server.off('error', onError);
    future.setResult(undefined);
  });
  return future;
}

const shutdown = coroutine(function* shutdown(
  server: Server,
  router: Router,
  sampler: LagSampler,
  upstream: { close(): Future<void> },
  uninstall: () => void,
  loop: IOLoop,
) {
  const closed = new Future<void>();
  server.close(() => closed.setResult(undefined));
  sampler.stop();
  router.cancelAll();
  server.closeIdleConnections();
  try {
    // Held polls were just answered; their keep-alive connections close once idle.
    yield withTimeout(1000, closed);
  } catch {
    server.closeAllConnections();
    yield closed;
  }
  yield upstream.close();
  uninstall();
  yield loop.close();
});
