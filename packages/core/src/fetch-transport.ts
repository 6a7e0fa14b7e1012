import { HTTPClientError, HTTPStreamClosedError, HTTPTimeoutError } from './http-errors.js';
import { trustedHeaders } from './http-headers.js';
import type { HTTPRequest } from './http-request.js';
import { timeoutDelay } from './http-request-options.js';
import { currentLoop, type Loop, type TimerHandle } from './loop.js';
import { isBrowserMainThread, isWebWorker } from './platform.js';
import { collectBody, producerStream } from './producer-stream.js';
import type { ExchangeHandler, Transport } from './transport.js';

type FetchFunction = (input: string, init: RequestInit & { duplex?: 'half' }) => Promise<Response>;

/**
 * Options of {@link FetchTransport}.
 * @example
 * AsyncHTTPClient.configure(new FetchTransport({ fetch: mockFetch, browser: false }));
 */
export interface FetchTransportOptions {
  /** The `fetch` to call. @default `globalThis.fetch`, read at each request so that mocks and polyfills apply */
  fetch?: FetchFunction;
  /**
   * Apply the rules of a browser's fetch(): redirects are followed by the browser, `Host`, compression and
   * TLS cannot be controlled, streamed uploads are buffered.
   * @default true on a browser main thread or in a Web Worker
   */
  browser?: boolean;
}

/**
 * Core's default {@link Transport}, on the platform's `fetch()` with an `AbortSignal`: works in browsers,
 * Web Workers, Node, Deno and Bun. It honours what fetch() can and fails a request clearly, with an
 * `HTTPClientError` (599) that names the option, when fetch() cannot honour an option:
 * - everywhere: `proxyHost`, `validateCert: false`, `caCerts`/`clientCert`/`clientKey`, `allowIpv6: false`,
 *   `expect100Continue`, a `Host` header, a body on GET/HEAD (fetch() silently drops or refuses these;
 *   in Node, `@gust/node-adapter`'s transport supports them);
 * - in browsers: `decompressResponse: false`, and a redirect when `followRedirects` is false (browsers do
 *   not expose 3xx responses to fetch()); browsers follow redirects themselves, with their own limit of
 *   20 instead of `maxRedirects` and the same method and cross-origin rules as gust.
 * fetch() cannot see the connection phase: `connectTimeout` bounds the wait for the response headers when
 * it is shorter than `requestTimeout`, and fails with `HTTPTimeoutError('Timeout while connecting')`.
 * @remarks Tornado: none (its transports are `SimpleAsyncHTTPClient` and `CurlAsyncHTTPClient`).
 * @example
 * AsyncHTTPClient.configure(new FetchTransport({ fetch: myInstrumentedFetch }));
 */
export class FetchTransport implements Transport {
  readonly followsRedirects: boolean;
  readonly #fetch: FetchFunction | undefined;
  readonly #browser: boolean;

  constructor(options: FetchTransportOptions = {}) {
    this.#fetch = options.fetch;
    this.#browser = options.browser ?? (isBrowserMainThread() || isWebWorker());
    this.followsRedirects = this.#browser;
  }

  exchange(request: HTTPRequest, handler: ExchangeHandler): void {
    const problem = unsupported(request, this.#browser);
    const fetchImpl = this.#fetch ?? (globalThis as { fetch?: FetchFunction }).fetch;
    if (problem !== undefined || fetchImpl === undefined) {
      const advice = this.#browser
        ? 'Browsers do not allow it.'
        : 'In Node, use the transport of @gust/node-adapter.';
      const message =
        problem !== undefined
          ? `FetchTransport cannot honour this request: ${problem}. ${advice}`
          : 'FetchTransport needs globalThis.fetch, which this runtime lacks: pass new FetchTransport({ fetch })';
      queueMicrotask(() => handler.onError(new HTTPClientError(599, message)));
      return;
    }
    new FetchExchange(request, handler.signal, handler, this.#browser).start(fetchImpl);
  }
}

/** The reason fetch() cannot honour `request`, or `undefined` if it can. */
export function unsupported(request: HTTPRequest, browser: boolean): string | undefined {
  if (request.proxyHost !== undefined) return 'fetch() has no per-request proxy (proxyHost)';
  if (!request.validateCert) return 'fetch() cannot skip TLS certificate validation (validateCert: false)';
  if (request.caCerts !== undefined || request.clientCert !== undefined || request.clientKey !== undefined) {
    return 'fetch() cannot use custom CA or client certificates (caCerts, clientCert, clientKey)';
  }
  if (!request.allowIpv6) return 'fetch() cannot keep a connection off IPv6 (allowIpv6: false)';
  if (request.expect100Continue) return 'fetch() cannot send Expect: 100-continue (expect100Continue)';
  if (request.headers.has('Host')) return "fetch() replaces a Host header with the URL's host";
  const method = request.method;
  if (
    (method === 'GET' || method === 'HEAD') &&
    (request.body !== undefined || request.bodyProducer !== undefined)
  ) {
    return `fetch() cannot send a body with ${method}`;
  }
  if (browser && !request.decompressResponse) {
    return "a browser's fetch() always asks for compressed responses and decodes them (decompressResponse: false)";
  }
  return undefined;
}

/** One fetch() call and the reading of its body. */
class FetchExchange {
  readonly #request: HTTPRequest;
  readonly #signal: AbortSignal;
  readonly #handler: ExchangeHandler;
  readonly #browser: boolean;
  #loop: Loop | undefined;
  #timer: TimerHandle | undefined;
  #unlink: (() => void) | undefined;
  #connectTimedOut = false;
  #producerError: unknown;

  constructor(request: HTTPRequest, signal: AbortSignal, handler: ExchangeHandler, browser: boolean) {
    this.#request = request;
    this.#signal = signal;
    this.#handler = handler;
    this.#browser = browser;
  }

  start(fetchImpl: FetchFunction): void {
    const request = this.#request;
    let signal = this.#signal;
    const connect = timeoutDelay(request.connectTimeout);
    const total = timeoutDelay(request.requestTimeout);
    if (connect !== undefined && (total === undefined || connect < total))
      signal = this.#armConnectTimer(connect);
    const headers: Array<[string, string]> = Array.from(request.headers);
    if (!request.decompressResponse && !request.headers.has('Accept-Encoding')) {
      // Tornado's decompress_response=False does not ask for compression; fetch() asks unless told otherwise.
      headers.push(['Accept-Encoding', 'identity']);
    }
    const init: RequestInit & { duplex?: 'half' } = {
      method: request.method,
      headers,
      signal,
      // A browser follows redirects itself; elsewhere fetch() hands 3xx responses over and the client follows.
      redirect: this.#browser && request.followRedirects && request.maxRedirects > 0 ? 'follow' : 'manual',
    };
    const producer = request.bodyProducer;
    if (producer === undefined) {
      if (request.body !== undefined) init.body = request.body as BodyInit;
      this.#send(fetchImpl, init);
    } else if (this.#browser) {
      // Browsers stream request bodies only over HTTP/2 with CORS preflights; buffer instead.
      collectBody(producer).then(
        (body) => {
          init.body = body as BodyInit;
          this.#send(fetchImpl, init);
        },
        (error: unknown) => this.#fail(producerFailure(error)),
      );
    } else {
      init.body = producerStream(producer, (error) => {
        this.#producerError = error;
      });
      init.duplex = 'half';
      this.#send(fetchImpl, init);
    }
  }

  #armConnectTimer(delay: number): AbortSignal {
    const outer = this.#signal;
    const controller = new AbortController();
    if (outer.aborted) controller.abort(outer.reason);
    else {
      const onAbort = () => {
        this.#disarm();
        controller.abort(outer.reason);
      };
      outer.addEventListener('abort', onAbort);
      this.#unlink = () => outer.removeEventListener('abort', onAbort);
    }
    const loop = (this.#loop = currentLoop());
    this.#timer = loop.callLater(delay, () => {
      this.#timer = undefined;
      this.#connectTimedOut = true;
      controller.abort(new HTTPTimeoutError('Timeout while connecting', { phase: 'connect' }));
    });
    return controller.signal;
  }

  #disarm(): void {
    if (this.#timer !== undefined) this.#loop?.cancelTimer(this.#timer);
    this.#timer = undefined;
  }

  #send(fetchImpl: FetchFunction, init: RequestInit): void {
    let pending: Promise<Response>;
    try {
      // Called on globalThis: a browser's fetch throws "Illegal invocation" when detached from it.
      pending = fetchImpl.call(globalThis, this.#request.url, init);
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (response) => this.#onResponse(response),
      (error: unknown) => this.#fail(this.#networkError(error, false)),
    );
  }

  #onResponse(response: Response): void {
    this.#disarm();
    const handler = this.#handler;
    const body = response.body;
    if (this.#signal.aborted) {
      body?.cancel().catch(ignore);
      return;
    }
    if (response.type === 'opaqueredirect') {
      this.#fail(
        new HTTPClientError(
          599,
          `The server answered ${this.#request.url} with a redirect, and a browser's fetch() does not expose ` +
            'redirect responses: followRedirects: false (or maxRedirects: 0) cannot be honoured here',
        ),
      );
      return;
    }
    const wanted = handler.onHeaders({
      code: response.status,
      reason: response.statusText,
      headers: trustedHeaders(response.headers),
      url: this.#browser && response.url !== '' ? response.url : undefined,
    });
    if (body === null) {
      this.#complete();
      return;
    }
    // A body that is not wanted (a redirect) is read to its end and dropped, so the connection can be reused.
    const reader = body.getReader();
    const onError = (error: unknown) => this.#fail(this.#networkError(error, true));
    const step = (result: ReadableStreamReadResult<Uint8Array>): void => {
      if (result.done) {
        this.#complete();
        return;
      }
      if (this.#signal.aborted) {
        reader.cancel().catch(ignore);
        return;
      }
      if (wanted) handler.onData(result.value);
      reader.read().then(step, onError);
    };
    reader.read().then(step, onError);
  }

  #complete(): void {
    this.#unlink?.();
    this.#handler.onComplete();
  }

  #fail(error: HTTPClientError): void {
    this.#disarm();
    this.#unlink?.();
    this.#handler.onError(error);
  }

  #networkError(error: unknown, inBody: boolean): HTTPClientError {
    if (this.#connectTimedOut) return new HTTPTimeoutError('Timeout while connecting', { phase: 'connect' });
    if (this.#producerError !== undefined) return producerFailure(this.#producerError);
    return networkError(error, inBody, this.#browser);
  }
}

function producerFailure(error: unknown): HTTPClientError {
  const detail = error instanceof Error ? error.message : String(error);
  return new HTTPClientError(599, `bodyProducer failed: ${detail}`, undefined, { cause: error });
}

/** @internal Maps a failure of fetch() (Node's undici codes where present) to the HTTP error of its phase. */
export function networkError(error: unknown, inBody: boolean, browser: boolean): HTTPClientError {
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  const code =
    (cause as { code?: unknown } | undefined)?.code ?? (error as { code?: unknown } | undefined)?.code;
  const detail =
    cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'ECONNREFUSED':
      return new HTTPClientError(599, `Connection refused (${detail})`, undefined, { cause: error });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new HTTPClientError(599, `Host not found (${detail})`, undefined, { cause: error });
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new HTTPTimeoutError('Timeout while connecting', { phase: 'connect', cause: error });
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return new HTTPStreamClosedError(`Stream closed (${detail})`, { cause: error });
  }
  if (inBody) return new HTTPStreamClosedError(`Stream closed (${detail})`, { cause: error });
  const hint = browser
    ? ' (a browser does not say why: the server may be unreachable, or CORS, mixed content or TLS blocked it)'
    : '';
  return new HTTPClientError(599, `Network error: ${detail}${hint}`, undefined, { cause: error });
}

function ignore(): void {}
