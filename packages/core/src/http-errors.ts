/**
 * The errors of the HTTP client. They live here rather than in `errors.ts` so that code which never
 * fetches does not pull in the HTTP status table; they are part of the same tree (`GustError` →
 * `HTTPClientError` → `HTTPTimeoutError`, `HTTPStreamClosedError`) and branded the same way.
 *
 * @module
 */
import { defineErrorBrand, GustError, type GustErrorOptions } from './errors.js';
import type { HTTPResponse } from './http-response.js';

/**
 * The phase of a fetch that a timeout interrupted: waiting for a `maxClients` slot, connecting, or the exchange.
 * @example
 * if (isHTTPTimeoutError(error) && error.phase === 'queue') console.warn('all client slots were busy');
 */
export type HTTPTimeoutPhase = 'queue' | 'connect' | 'request';

/**
 * An HTTP request failed. `code` is the HTTP status of an error response (any non-2xx code), or 599 when
 * there is no HTTP response at all: connection refused, timeout ({@link HTTPTimeoutError}), connection
 * closed ({@link HTTPStreamClosedError}). `response` is set for error responses.
 * The message reads like Tornado's `str(error)`: `HTTP 404: Not Found`.
 * @remarks Tornado: `tornado.httpclient.HTTPClientError` (alias `HTTPError`).
 * @example
 * try { yield* client.fetch(url); } catch (e) { if (isHTTPClientError(e) && e.code === 404) return null; throw e; }
 */
export class HTTPClientError extends GustError {
  override name = 'HTTPClientError';
  /** The HTTP status code, or 599 if no response was received. */
  readonly code: number;
  /** The error response, when there was one (Tornado sets it for non-2xx responses only). */
  response: HTTPResponse | undefined;

  /**
   * @param code - the status code, 599 for "no response".
   * @param message - what went wrong; the reason phrase of `code` by default.
   * @param response - the error response, if any.
   */
  constructor(code: number, message?: string, response?: HTTPResponse, options?: GustErrorOptions) {
    super(`HTTP ${code}: ${message ?? reasonPhrase(code)}`, options);
    this.code = code;
    this.response = response;
  }
}

/**
 * Options of {@link HTTPTimeoutError}.
 * @example
 * handler.onError(new HTTPTimeoutError('Timeout while connecting', { phase: 'connect' }));
 */
export interface HTTPTimeoutErrorOptions extends GustErrorOptions {
  /** The phase that timed out. */
  phase?: HTTPTimeoutPhase;
}

/**
 * A fetch timed out (code 599). The message names the phase, as in Tornado: `Timeout in request queue`
 * (`maxClients` slots were busy for `min(connectTimeout, requestTimeout)`), `Timeout while connecting`
 * (`connectTimeout`), `Timeout during request` (`requestTimeout`); `phase` says the same as a value.
 * @remarks Tornado: `tornado.simple_httpclient.HTTPTimeoutError`; its `str()` is the bare message, as here.
 * @example
 * if (isHTTPTimeoutError(e) && e.phase === 'queue') raiseMaxClients();
 */
export class HTTPTimeoutError extends HTTPClientError {
  override name = 'HTTPTimeoutError';
  /** The phase that timed out, when known. */
  readonly phase: HTTPTimeoutPhase | undefined;

  constructor(message = 'Timeout', options?: HTTPTimeoutErrorOptions) {
    super(599, message, undefined, options);
    this.message = message;
    this.phase = options?.phase;
  }
}

/**
 * The connection closed before the response was complete (code 599).
 * @remarks Tornado: `tornado.simple_httpclient.HTTPStreamClosedError`; its `str()` is the bare message.
 * @example
 * if (isHTTPStreamClosedError(e)) retry();
 */
export class HTTPStreamClosedError extends HTTPClientError {
  override name = 'HTTPStreamClosedError';

  constructor(message = 'Stream closed', options?: GustErrorOptions) {
    super(599, message, undefined, options);
    this.message = message;
  }
}

/**
 * True for an {@link HTTPClientError} (or subclass) from any copy of the package.
 * @example
 * future.catch((e) => { if (isHTTPClientError(e) && e.code === 404) return undefined; throw e; });
 */
export const isHTTPClientError = defineErrorBrand<HTTPClientError>(HTTPClientError, 'HTTPClientError');
/**
 * True for an {@link HTTPTimeoutError} from any copy of the package.
 * @example
 * if (isHTTPTimeoutError(error)) console.warn(`timed out while ${error.phase}`);
 */
export const isHTTPTimeoutError = defineErrorBrand<HTTPTimeoutError>(HTTPTimeoutError, 'HTTPTimeoutError');
/**
 * True for an {@link HTTPStreamClosedError} from any copy of the package.
 * @example
 * if (isHTTPStreamClosedError(error)) return retry();
 */
export const isHTTPStreamClosedError = defineErrorBrand<HTTPStreamClosedError>(
  HTTPStreamClosedError,
  'HTTPStreamClosedError',
);

const REASONS: Record<number, string> = {
  100: 'Continue',
  101: 'Switching Protocols',
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  203: 'Non-Authoritative Information',
  204: 'No Content',
  205: 'Reset Content',
  206: 'Partial Content',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  305: 'Use Proxy',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  417: 'Expectation Failed',
  421: 'Misdirected Request',
  422: 'Unprocessable Content',
  425: 'Too Early',
  426: 'Upgrade Required',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
  511: 'Network Authentication Required',
  599: 'Unknown',
};

/** @internal What a transport reported, as an `HTTPClientError`: network failures are always code 599. */
export function toClientError(error: unknown): HTTPClientError {
  if (isHTTPClientError(error)) return error;
  const message = error instanceof Error ? error.message || error.name : String(error);
  return new HTTPClientError(599, message, undefined, { cause: error });
}

/** @internal `error` if it is an `Error` (a callback's exception), else an `HTTPClientError` wrapping it. */
export function asError(error: unknown): Error {
  return error instanceof Error
    ? error
    : new HTTPClientError(599, String(error), undefined, { cause: error });
}

/** @internal The standard reason phrase of `code`, `'Unknown'` for others (Tornado's `httputil.responses`). */
export function reasonPhrase(code: number): string {
  return REASONS[code] ?? 'Unknown';
}
