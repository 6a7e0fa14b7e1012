import type { Future } from './future.js';
import type { HTTPHeadersInit } from './http-headers.js';
import type { HTTPRequest } from './http-request.js';

/**
 * A request body: a string (sent as UTF-8), bytes, or form fields (sent as `application/x-www-form-urlencoded`).
 * @example
 * client.fetch(url, { method: 'POST', body: new URLSearchParams({ q: 'gust' }) });
 */
export type HTTPBody = string | Uint8Array | URLSearchParams;

/**
 * Writes one chunk of a streamed request body. The returned Future (or promise) resolves when the
 * transport is ready for more: wait for it to respect back-pressure.
 * @example
 * client.fetch(url, { method: 'POST', bodyProducer: (write: BodyWriter) => write('all in one chunk') });
 */
export type BodyWriter = (chunk: Uint8Array | string) => Future<void> | PromiseLike<void>;

/**
 * Streams a request body: called with a `write` function for each attempt (a 307/308 redirect calls it
 * again); the body ends when the returned Future or promise resolves, and the request fails if it rejects.
 * Tornado: `body_producer`.
 * @example
 * client.fetch(url, {
 *   method: 'PUT',
 *   bodyProducer: coroutine(function* (write: BodyWriter) {
 *     for (const chunk of chunks) yield write(chunk);
 *   }),
 * });
 */
export type BodyProducer = (write: BodyWriter) => Future<void> | PromiseLike<void> | void;

/**
 * The options of an HTTP request: Tornado's `HTTPRequest` arguments in camelCase, durations in
 * milliseconds. A transport that cannot honour an option fails the request with a clear error instead of
 * ignoring it (see `FetchTransport`).
 * @example
 * const options: HTTPRequestOptions = {
 *   method: 'POST',
 *   body: '{}',
 *   headers: { 'Content-Type': 'application/json' },
 *   requestTimeout: 5000,
 * };
 * const response = yield* client.fetch(url, options);
 */
export interface HTTPRequestOptions {
  /** The HTTP method. Methods other than GET, HEAD, POST, PUT, DELETE, PATCH and OPTIONS need `allowNonstandardMethods`. @default 'GET' */
  method?: string;
  /** Request headers. Must not contain CR, LF or NUL. @default none */
  headers?: HTTPHeadersInit;
  /**
   * The body. POST, PUT and PATCH need one (`''` for an empty body) and other methods must not have one,
   * unless `allowNonstandardMethods` is true. A POST without `Content-Type` is sent as
   * `application/x-www-form-urlencoded`, as in Tornado. @default none
   */
  body?: HTTPBody;
  /** Streams the body instead of `body` (not both). Tornado: `body_producer`. @default none */
  bodyProducer?: BodyProducer;
  /** User name for HTTP authentication; user info in the URL is used when this is not set. @default none */
  authUsername?: string;
  /** Password for HTTP authentication. @default '' when `authUsername` is set */
  authPassword?: string;
  /** Authentication scheme; only `'basic'` is supported (Tornado offers digest only with curl). @default 'basic' */
  authMode?: 'basic';
  /** Milliseconds to establish the connection; 0 or `Infinity` for none. Tornado: seconds. @default 20000 */
  connectTimeout?: number;
  /** Milliseconds for the whole exchange, from leaving the queue to the last byte; 0 or `Infinity` for none. @default 20000 */
  requestTimeout?: number;
  /** Sends `If-Modified-Since` with this date (a `Date` or milliseconds since the epoch). @default none */
  ifModifiedSince?: Date | number;
  /** Follow 301, 302, 303, 307 and 308 redirects. @default true */
  followRedirects?: boolean;
  /** The most redirects to follow; past it the 3xx response is the result (an error). @default 5 */
  maxRedirects?: number;
  /** Sends `User-Agent` with this value. @default the transport's own */
  userAgent?: string;
  /** Ask for a compressed response and decompress it. @default true */
  decompressResponse?: boolean;
  /**
   * Receives the body of the final response chunk by chunk as it arrives; `response.body` then stays
   * empty. Not called for the bodies of redirects that are followed. Tornado: `streaming_callback`.
   * @default none
   */
  streamingCallback?: (chunk: Uint8Array) => void;
  /**
   * Receives the status line (`HTTP/1.1 200 OK\r\n`), then each header line (`Name: value\r\n`), then
   * `\r\n`, for the final response only. Tornado: `header_callback`. @default none
   */
  headerCallback?: (line: string) => void;
  /** HTTP proxy host (transport support required). @default none */
  proxyHost?: string;
  /** HTTP proxy port. @default none */
  proxyPort?: number;
  /** HTTP proxy user name. @default none */
  proxyUsername?: string;
  /** HTTP proxy password. @default none */
  proxyPassword?: string;
  /** Allow methods outside the standard set and bodies on any method. @default false */
  allowNonstandardMethods?: boolean;
  /** Verify the server's TLS certificate. @default true */
  validateCert?: boolean;
  /** PEM CA certificates to verify the server with. @default the platform's */
  caCerts?: string;
  /** PEM client private key. @default none */
  clientKey?: string;
  /** PEM client certificate. @default none */
  clientCert?: string;
  /** Allow connecting over IPv6. @default true */
  allowIpv6?: boolean;
  /** Send `Expect: 100-continue` and wait for it before the body. @default false */
  expect100Continue?: boolean;
  /**
   * The largest response body accepted, in decompressed bytes, also when streaming; larger responses fail
   * with code 599. @default 104857600 (100 MiB, Tornado's default)
   */
  maxBodySize?: number;
  /** Aborting it cancels the fetch (like cancelling its Future). Not a Tornado option. @default none */
  signal?: AbortSignal;
}

/** @internal The built-in defaults, Tornado's `HTTPRequest._DEFAULTS` in milliseconds. */
export const REQUEST_DEFAULTS = {
  method: 'GET',
  authMode: 'basic',
  connectTimeout: 20_000,
  requestTimeout: 20_000,
  followRedirects: true,
  maxRedirects: 5,
  decompressResponse: true,
  allowNonstandardMethods: false,
  validateCert: true,
  allowIpv6: true,
  expect100Continue: false,
  maxBodySize: 104_857_600,
} as const;

/** @internal Every option name, to reject misspelt ones. */
export const OPTION_NAMES: ReadonlySet<string> = new Set<keyof HTTPRequestOptions>([
  'method',
  'headers',
  'body',
  'bodyProducer',
  'authUsername',
  'authPassword',
  'authMode',
  'connectTimeout',
  'requestTimeout',
  'ifModifiedSince',
  'followRedirects',
  'maxRedirects',
  'userAgent',
  'decompressResponse',
  'streamingCallback',
  'headerCallback',
  'proxyHost',
  'proxyPort',
  'proxyUsername',
  'proxyPassword',
  'allowNonstandardMethods',
  'validateCert',
  'caCerts',
  'clientKey',
  'clientCert',
  'allowIpv6',
  'expect100Continue',
  'maxBodySize',
  'signal',
]);

/** @internal A timeout option as a delay, or `undefined` for none: 0 and Infinity mean none (Tornado: 0 or None). */
export function timeoutDelay(ms: number): number | undefined {
  return ms > 0 && ms !== Number.POSITIVE_INFINITY ? ms : undefined;
}

/** @internal The shorter of `connectTimeout` and `requestTimeout`, ignoring disabled ones: Tornado's queue timeout. */
export function shortestTimeout(request: HTTPRequest): number | undefined {
  const connect = timeoutDelay(request.connectTimeout);
  const total = timeoutDelay(request.requestTimeout);
  return connect === undefined ? total : total === undefined ? connect : Math.min(connect, total);
}

/** @internal The validators of `HTTPRequest`: each returns the value (or the default) or throws a clear error. */
export function checkBody(body: unknown): HTTPBody | undefined {
  if (
    body === undefined ||
    typeof body === 'string' ||
    body instanceof Uint8Array ||
    body instanceof URLSearchParams
  ) {
    return body;
  }
  throw new TypeError('body must be a string, a Uint8Array or URLSearchParams (use bodyProducer to stream)');
}

/** @internal */
export function bool(name: string, value: unknown, fallback = false): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new TypeError(`${name} must be true or false, got ${String(value)}`);
  return value;
}

/** @internal */
export function duration(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`${name} must be a number of milliseconds, got ${String(value)}`);
  }
  if (value < 0) throw new RangeError(`${name} must be 0 (no timeout) or more milliseconds, got ${value}`);
  return value;
}

/** @internal */
export function count(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a whole number, 0 or more, got ${String(value)}`);
  }
  return value;
}

/** @internal */
export function optionalString(name: string, value: unknown): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  throw new TypeError(`${name} must be a string, got ${typeof value}`);
}

/** @internal */
export function optionalFunction<F>(name: string, value: F | undefined): F | undefined {
  if (value === undefined || typeof value === 'function') return value;
  throw new TypeError(`${name} must be a function, got ${typeof value}`);
}

/** @internal */
export function checkPort(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
    throw new RangeError(`proxyPort must be a port number (1-65535), got ${String(value)}`);
  }
  return value;
}

/** @internal */
export function checkDate(value: unknown): Date | undefined {
  if (value === undefined) return undefined;
  const date = value instanceof Date ? value : typeof value === 'number' ? new Date(value) : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) {
    throw new TypeError(
      `ifModifiedSince must be a valid Date or milliseconds since the epoch, got ${String(value)}`,
    );
  }
  return date;
}

/** @internal */
export function checkSignal(value: unknown): AbortSignal | undefined {
  if (value === undefined) return undefined;
  const signal = value as AbortSignal;
  if (typeof signal !== 'object' || signal === null || typeof signal.addEventListener !== 'function') {
    throw new TypeError('signal must be an AbortSignal');
  }
  return signal;
}
