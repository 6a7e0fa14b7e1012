import type { IncomingMessage, ServerResponse } from 'node:http';
import { coroutine, type Future, logger } from '@gust/core';
import { HTTPError } from './http-error.js';
import { sendJSON } from './http-io.js';

/**
 * A request handler: a generator function (run as a gust coroutine) or a plain function. A value it
 * returns is sent as JSON with status 200 unless it already answered; an {@link HTTPError} it throws
 * becomes that status, any other error a logged 500.
 */
export type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
) => Generator<unknown, unknown, any> | unknown;

/**
 * Dispatches requests to handlers by method and exact path, each run as a coroutine. When the client
 * goes away before the answer, the handler's coroutine is cancelled: whatever it waits on (a chat
 * long-poll, an executor task) is cancelled and its `finally` blocks run.
 * @remarks Tornado: `tornado.web.Application` routing plus `RequestHandler.on_connection_close`, which
 * Tornado's chat demo uses to cancel the waiting Future.
 * @example
 * router.route('POST', '/a/message/new', function* (req) { return room.post(yield* readJSON(req)); });
 */
export class Router {
  readonly #routes = new Map<string, Map<string, (...args: Parameters<Handler>) => Future<unknown>>>();
  readonly #active = new Set<Future<unknown>>();
  #fallback: ((...args: Parameters<Handler>) => Future<unknown>) | undefined;

  /** Serves `method path` with `handler`. */
  route(method: string, path: string, handler: Handler): this {
    let byMethod = this.#routes.get(path);
    if (byMethod === undefined) this.#routes.set(path, (byMethod = new Map()));
    byMethod.set(method, coroutine(handler as (...args: Parameters<Handler>) => unknown));
    return this;
  }

  /** Serves every path without a route (the static files). */
  fallback(handler: Handler): this {
    this.#fallback = coroutine(handler as (...args: Parameters<Handler>) => unknown);
    return this;
  }

  /** How many handlers are still running (held long-polls, tasks in flight). */
  get active(): number {
    return this.#active.size;
  }

  /** The `request` listener of a `node:http` server. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    // The path only: a URL object per request would stay alive as long as a held long-poll (see pathOf).
    const path = pathOf(req);
    const byMethod = this.#routes.get(path);
    let run = byMethod?.get(req.method ?? 'GET');
    if (run === undefined) {
      if (byMethod !== undefined) {
        res.setHeader('Allow', [...byMethod.keys()].join(', '));
        sendJSON(res, 405, { error: `${req.method} is not allowed on ${path}` });
        return;
      }
      if (this.#fallback === undefined || path.startsWith('/a/')) {
        sendJSON(res, 404, { error: `no route ${path}` });
        return;
      }
      run = this.#fallback;
    }
    const future = run(req, res);
    if (future.done()) {
      finish(future, res);
      return;
    }
    this.#active.add(future);
    // The client went away before the answer: stop whatever the handler waits on. ('close' comes once;
    // `on` costs a third of `once`'s wrapper, which counts with thousands of held polls.)
    res.on('close', () => {
      if (!res.writableFinished) future.cancel();
    });
    future.addDoneCallback((done) => {
      this.#active.delete(done);
      finish(done, res);
    });
  };

  /**
   * Cancels every running handler (the server is shutting down); clients still connected get a 503.
   * @returns how many were cancelled.
   */
  cancelAll(): number {
    const running = [...this.#active];
    for (const future of running) future.cancel();
    return running.length;
  }
}

/** The path of a request's URL, without the query. */
export function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}

/** The query parameters of a request's URL. */
export function queryOf(req: IncomingMessage): URLSearchParams {
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  return new URLSearchParams(query < 0 ? '' : url.slice(query + 1));
}

function finish(future: Future<unknown>, res: ServerResponse): void {
  if (future.cancelled()) {
    sendJSON(res, 503, { error: 'the server is shutting down' });
    return;
  }
  const error = future.exception();
  if (error === undefined) {
    const value = future.result();
    if (value !== undefined) sendJSON(res, 200, value);
    else if (!res.headersSent && !res.destroyed) sendJSON(res, 500, { error: 'the handler sent no answer' });
    return;
  }
  if (error instanceof HTTPError) {
    sendJSON(res, error.status, { error: error.message });
    return;
  }
  logger.error(`Uncaught exception in ${res.req?.method} ${res.req?.url}`, error);
  sendJSON(res, 500, { error: 'internal server error' });
}
