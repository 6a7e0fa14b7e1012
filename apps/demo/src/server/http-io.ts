import type { IncomingMessage, ServerResponse } from 'node:http';
import { Future } from '@gust/core';
import { HTTPError } from './http-error.js';

/** Largest request body the demo's JSON APIs accept. */
export const MAX_BODY_BYTES = 16 * 1024;

/**
 * Reads a request body as JSON: a Future of the parsed value (`{}` for an empty body). Cancelling the
 * Future stops listening.
 * @throws (through the Future) HTTPError 413 past {@link MAX_BODY_BYTES}, 400 for invalid JSON.
 * @remarks Tornado has the body already read (`self.request.body`); Node streams it, so it is a Future here.
 * @example
 * const { cursor } = yield* readJSON(req);
 */
export function readJSON(req: IncomingMessage): Future<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  const detach = (): void => {
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('error', onError);
  };
  const future = new Future<Record<string, unknown>>({ onCancel: detach });
  const fail = (error: unknown): void => {
    detach();
    if (!future.done()) future.setException(error);
  };
  function onData(chunk: Buffer): void {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) fail(new HTTPError(413, `request body over ${MAX_BODY_BYTES} bytes`));
    else chunks.push(chunk);
  }
  function onEnd(): void {
    detach();
    const text = Buffer.concat(chunks).toString('utf8').trim();
    let value: unknown = {};
    try {
      if (text !== '') value = JSON.parse(text);
    } catch (error) {
      future.setException(new HTTPError(400, 'request body is not valid JSON', { cause: error }));
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      future.setException(new HTTPError(400, 'request body must be a JSON object'));
    } else {
      future.setResult(value as Record<string, unknown>);
    }
  }
  function onError(error: Error): void {
    fail(error);
  }
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('error', onError);
  return future;
}

/**
 * Answers with `data` as JSON (no caching: every API answer is live). Does nothing if the client is gone
 * or an answer was already sent.
 */
export function sendJSON(res: ServerResponse, status: number, data: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const body = JSON.stringify(data);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}
