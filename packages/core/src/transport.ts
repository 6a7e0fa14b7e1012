import type { HTTPHeaders } from './http-headers.js';
import type { HTTPRequest } from './http-request.js';

/**
 * The status line and headers of a response, as a transport reports them to {@link ExchangeHandler.onHeaders}.
 * @example
 * handler.onHeaders({ code: 200, reason: 'OK', headers: HTTPHeaders.parse('Content-Type: text/plain\r\n') });
 */
export interface ResponseHead {
  /** The status code. */
  code: number;
  /** The reason phrase; `''` when the protocol has none (HTTP/2) and the standard one should be used. */
  reason: string;
  /** The response headers (build them with `trustedHeaders()`-style lazy parsing where possible). */
  headers: HTTPHeaders;
  /** The protocol of the status line given to `headerCallback`. @default 'HTTP/1.1' */
  httpVersion?: string;
  /**
   * The URL of this response when the platform followed redirects on its own (a browser's fetch); leave
   * it out otherwise: the client knows the URL it asked for.
   */
  url?: string;
}

/**
 * What a {@link Transport} reports to, for one exchange. The client implements it; a transport calls
 * `onConnect` (optional, if it can observe the connection), then `onHeaders` once, `onData` for each body
 * chunk, and finally exactly one of `onComplete` or `onError` — and nothing after that, nor after the
 * exchange was aborted (calls after an abort are ignored anyway). Calls should not happen during
 * `exchange()` itself but on a later tick.
 * @example
 * // inside Transport.exchange(request, handler):
 * if (handler.onHeaders({ code: 200, reason: '', headers })) handler.onData(new TextEncoder().encode('hi'));
 * handler.onComplete();
 */
export interface ExchangeHandler {
  /**
   * Aborted when the client gives up on the exchange (cancellation, `requestTimeout`, `maxBodySize`, a
   * failing callback, `close()`); `signal.reason` says why. Created on first read, so a transport that
   * aborts through the function it returns from `exchange()` pays nothing for it. Read it during
   * `exchange()`: after the exchange ended it may belong to the next one.
   */
  readonly signal: AbortSignal;
  /** The connection is established (for `timeInfo.connect`). Transports that cannot tell never call it. */
  onConnect(): void;
  /**
   * The status line and headers arrived.
   * @returns false if the body is not wanted (a redirect that will be followed): the transport then
   * discards it (draining it when that keeps the connection reusable) and calls `onComplete` without `onData`.
   */
  onHeaders(head: ResponseHead): boolean;
  /** A chunk of the body, decompressed when `request.decompressResponse` is true. */
  onData(chunk: Uint8Array): void;
  /** The body ended. */
  onComplete(): void;
  /**
   * The exchange failed. Network failures should be `HTTPClientError`s with code 599 that name the phase:
   * `HTTPTimeoutError('Timeout while connecting', { phase: 'connect' })`, `HTTPStreamClosedError` for a
   * connection closed early, `HTTPClientError(599, 'Connection refused …')`. Anything else is wrapped into an
   * `HTTPClientError(599)` with the original as `cause`.
   */
  onError(error: unknown): void;
}

/**
 * Performs HTTP exchanges for {@link AsyncHTTPClient}: one request, one response, no redirects (the
 * client follows them, applying Tornado's rules and the cross-origin security rules itself).
 *
 * The client gives each exchange a normalized {@link HTTPRequest} (headers derived from options already
 * set, body checked) and a handler that carries an `AbortSignal`, and handles the request queue
 * (`maxClients`), `requestTimeout`, redirects, `maxBodySize`, `streamingCallback`, `headerCallback`,
 * cancellation and errors.
 * A transport is responsible for everything on the wire: `connectTimeout` (it alone can see the
 * connection phase), decompression (`decompressResponse`), streaming `bodyProducer` uploads, TLS, proxy and
 * address-family options. An option it cannot honour must fail the exchange with an error that says so,
 * never be ignored silently.
 * Every transport passes `describeTransportContract` (core's test suite).
 * @remarks Tornado: the `AsyncHTTPClient` implementation classes (`SimpleAsyncHTTPClient`,
 * `CurlAsyncHTTPClient`), reduced to a single exchange.
 * @example
 * AsyncHTTPClient.configure(new FetchTransport());
 */
export interface Transport {
  /**
   * True if the platform follows redirects itself and cannot hand 3xx responses over (a browser's fetch).
   * The client then does not follow redirects, and reports `head.url` as the effective URL.
   * @default false
   */
  readonly followsRedirects?: boolean;
  /**
   * Starts one exchange. Must not throw for a failure of the exchange: report it to `handler.onError`.
   * When the client gives up, the exchange must stop and release what it holds (socket, body stream): the
   * transport learns it from `handler.signal` (what fetch() takes) or, at no cost, through the abort
   * function it may return here (what a dispatcher-level transport such as undici's has at hand).
   * Creating an `AbortSignal` costs microseconds per request in Node, which is why the signal is lazy.
   * @returns optionally, a function that aborts this exchange.
   */
  exchange(request: HTTPRequest, handler: ExchangeHandler): ((reason: Error) => void) | undefined | void;
}
