import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request as the server saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** True once the client went away before the response was finished (an abort reached the server). */
  aborted: boolean;
}

export type Route = (req: IncomingMessage, res: ServerResponse, seen: SeenRequest) => void;

/** A real `node:http` server on 127.0.0.1 with an ephemeral port, for HTTP tests. */
export interface TestServer {
  readonly origin: string;
  readonly port: number;
  url(path: string): string;
  /** Every request received, in arrival order. */
  readonly requests: SeenRequest[];
  /** How many requests are being handled right now, and the most at once since the last reset. */
  readonly concurrency: { now: number; max: number };
  /** Resolves when `n` requests have arrived in total. */
  waitForRequests(n: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a server that dispatches on the path (without query) to `routes`; unknown paths get 404.
 * The request body is read fully before the route runs. Timers a route starts must be cleared through
 * `res.on('close')`; `close()` destroys every open connection.
 */
export async function startTestServer(routes: Record<string, Route>): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  const concurrency = { now: 0, max: 0 };
  const sockets = new Set<Socket>();
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0] as string;
      const seen: SeenRequest = {
        method: req.method ?? '',
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        aborted: false,
      };
      requests.push(seen);
      concurrency.now++;
      concurrency.max = Math.max(concurrency.max, concurrency.now);
      // 'finish' fires when the response is handed to the OS, before the client can have it; 'close' alone
      // may come after the client already sent its next request.
      let ended = false;
      const end = (): void => {
        if (ended) return;
        ended = true;
        concurrency.now--;
      };
      res.on('finish', end);
      res.on('close', () => {
        end();
        if (!res.writableFinished) seen.aborted = true;
      });
      for (const waiter of waiters.slice()) {
        if (requests.length >= waiter.n) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
      const route = routes[path];
      if (route === undefined) {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end(`no route ${path}`);
        return;
      }
      route(req, res, seen);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    port,
    url: (path) => origin + path,
    requests,
    concurrency,
    waitForRequests: (n) =>
      requests.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
