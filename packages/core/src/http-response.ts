import { HTTPClientError, reasonPhrase } from './http-errors.js';
import { HTTPHeaders } from './http-headers.js';
import type { HTTPRequest } from './http-request.js';
import { currentLoop } from './loop.js';

/**
 * Diagnostic timings of a fetch, in milliseconds.
 * @example
 * const { queue, connect, firstByte, total } = response.timeInfo;
 * console.log(`waited ${queue} ms, first byte after ${firstByte} ms, ${total} ms in all`);
 */
export interface HTTPTimeInfo {
  /** Time the final request waited for a `maxClients` slot. */
  queue: number;
  /** From the start of the final request until the connection was up; `undefined` if the transport cannot tell. */
  connect: number | undefined;
  /** From the start of the final request until its response headers; `undefined` if none arrived. */
  firstByte: number | undefined;
  /** From the `fetch()` call to the end, queueing and redirects included. */
  total: number;
}

/**
 * The fields of an {@link HTTPResponse} besides its request and code.
 * @example
 * // a transport or a test double building a response by hand:
 * const headers = new HTTPHeaders({ 'Content-Type': 'text/plain' });
 * const response = new HTTPResponse(request, 200, { body: 'hello', headers });
 */
export interface HTTPResponseInit {
  /** The reason phrase. @default the standard phrase of the code */
  reason?: string;
  /** @default no headers */
  headers?: HTTPHeaders;
  /** The body, or its chunks (joined on first read). @default empty */
  body?: Uint8Array | string | readonly Uint8Array[];
  /** The URL the response came from, after redirects. @default the request's URL */
  effectiveUrl?: string;
  /** The error; by default an {@link HTTPClientError} for any code outside 200–299. */
  error?: Error;
  /** @default 0 */
  requestTime?: number;
  /** @default the loop's time() now */
  startTime?: number;
  /** @default zero queue and total time, unknown connect and first byte */
  timeInfo?: Partial<HTTPTimeInfo>;
}

const EMPTY = new Uint8Array(0);
const encoder = new TextEncoder();
const utf8 = new TextDecoder();
let codeErrorOf: (response: HTTPResponse) => boolean;

/**
 * The response to an {@link HTTPRequest}. `body` is bytes; `text` decodes it (UTF-8 unless the
 * `Content-Type` names another charset) and `json()` parses it, both on first use only.
 * Any code outside 200–299 gets an {@link HTTPClientError} in `error`, as in Tornado.
 * @remarks Tornado: `tornado.httpclient.HTTPResponse`; `text` and `json()` are gust additions, times are
 * milliseconds and `startTime` is on the loop's monotonic clock rather than wall time.
 * @example
 * const response = yield* client.fetch(url);
 * console.log(response.code, response.headers.get('Content-Type'), response.json());
 */
export class HTTPResponse {
  /** The request as passed to `fetch()` (before redirects). */
  readonly request: HTTPRequest;
  /** The HTTP status code, or 599 when no response was received. */
  readonly code: number;
  /** The reason phrase (`'Not Found'`); the standard one for `code` when the server sent none. */
  readonly reason: string;
  /** The response headers (case-insensitive, multi-valued). */
  readonly headers: HTTPHeaders;
  /** The URL of the final response, after any redirects. */
  readonly effectiveUrl: string;
  /** The failure, if any: an {@link HTTPClientError} for a non-2xx code or a network failure (599). */
  readonly error: Error | undefined;
  /** Milliseconds from the start of the final request to its end (not counting the queue). */
  readonly requestTime: number;
  /** When the final request started, on the loop's `time()` scale. */
  readonly startTime: number;
  /** Where the time went: queue, connect, first byte and total, in milliseconds. */
  readonly timeInfo: HTTPTimeInfo;
  #chunks: Uint8Array | string | readonly Uint8Array[] | undefined;
  #body: Uint8Array | undefined;
  #text: string | undefined;
  #codeError = false;

  static {
    codeErrorOf = (response) => response.#codeError;
  }

  /**
   * @param request - the request this answers.
   * @param code - the status code; 599 for "no response".
   */
  constructor(request: HTTPRequest, code: number, init: HTTPResponseInit = {}) {
    this.request = request;
    this.code = code;
    this.reason = init.reason || reasonPhrase(code);
    this.headers = init.headers ?? new HTTPHeaders();
    this.effectiveUrl = init.effectiveUrl ?? request.url;
    this.#chunks = init.body;
    this.requestTime = init.requestTime ?? 0;
    this.startTime = init.startTime ?? currentLoop().time();
    const t = init.timeInfo;
    this.timeInfo = {
      queue: t?.queue ?? 0,
      connect: t?.connect,
      firstByte: t?.firstByte,
      total: t?.total ?? this.requestTime,
    };
    let error = init.error;
    if (error === undefined && (code < 200 || code >= 300)) {
      this.#codeError = true;
      error = new HTTPClientError(code, this.reason, this);
    }
    this.error = error;
  }

  /** The body as bytes; empty when a `streamingCallback` consumed it. Tornado: `body`. */
  get body(): Uint8Array {
    let body = this.#body;
    if (body === undefined) {
      const chunks = this.#chunks;
      this.#chunks = undefined;
      body = this.#body = toBytes(chunks);
    }
    return body;
  }

  /** The body decoded as text: with the `Content-Type` charset if it names one, else UTF-8. */
  get text(): string {
    if (this.#text === undefined) this.#text = decode(this.body, this.headers.get('Content-Type'));
    return this.#text;
  }

  /**
   * The body parsed as JSON.
   * @throws SyntaxError if the body is not JSON.
   */
  json<T = any>(): T {
    return JSON.parse(this.text) as T;
  }

  /** Throws `error` if there is one; does nothing for a successful response. Tornado: `rethrow()`. */
  rethrow(): void {
    if (this.error !== undefined) throw this.error;
  }
}

/**
 * @internal True if fetching `response` should throw (reject): it has an error, and either `raiseError` is
 * true or the error is not just its status code (599 failures and refused redirects always throw).
 */
export function shouldRaise(response: HTTPResponse, raiseError: boolean): boolean {
  return response.error !== undefined && (raiseError || !codeErrorOf(response));
}

function toBytes(chunks: Uint8Array | string | readonly Uint8Array[] | undefined): Uint8Array {
  if (chunks === undefined) return EMPTY;
  if (typeof chunks === 'string') return encoder.encode(chunks);
  // Array.isArray, not instanceof Uint8Array: bytes may come from another realm (a browser's fetch in jsdom).
  if (!Array.isArray(chunks)) return chunks as Uint8Array;
  if (chunks.length === 0) return EMPTY;
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  let size = 0;
  for (const chunk of chunks) size += chunk.length;
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  return body;
}

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;

function decode(body: Uint8Array, contentType: string | undefined): string {
  const charset = contentType !== undefined ? CHARSET.exec(contentType)?.[1] : undefined;
  if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
    try {
      return new TextDecoder(charset).decode(body);
    } catch {
      // An unknown charset label: fall back to UTF-8, as browsers do.
    }
  }
  return utf8.decode(body);
}
