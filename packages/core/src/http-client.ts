import { InvalidStateError } from './errors.js';
import { HTTPRequest, mergeOptions, withDefaults } from './http-request.js';
import type { HTTPRequestOptions } from './http-request-options.js';
import { type HTTPResponse, shouldRaise } from './http-response.js';
import { isBrowserMainThread, isNode, isWebWorker } from './platform.js';
import { XHRSyncBackend } from './xhr-sync-backend.js';

/**
 * Performs one request synchronously, blocking the thread: the engine behind {@link HTTPClient}.
 * It follows redirects as the request says and returns the final response; every failure of the exchange
 * is returned as a response with `error` set (code 599 when there was no response), never thrown.
 * Core ships one for Web Workers (synchronous XHR); `@gust/node-adapter`'s `install()` registers one for
 * Node (a worker thread and `Atomics.wait`) with {@link setSyncHTTPBackend}.
 * @example
 * setSyncHTTPBackend({
 *   fetch: (request) => new HTTPResponse(request, 200, { body: 'stub' }), // a test double
 * });
 */
export interface SyncHTTPBackend {
  /** Performs `request` and returns the final response, with `error` set for a failure; never throws. */
  fetch(request: HTTPRequest): HTTPResponse;
  /**
   * Frees what the backend holds (the Node backend's worker thread), called by `HTTPClient.close()`; a
   * later `fetch()` may start again.
   */
  close?(): void;
}

/**
 * Options of the {@link HTTPClient} constructor.
 * @example
 * const client = new HTTPClient({ defaults: { requestTimeout: 5000, userAgent: 'gust-worker' } });
 */
export interface HTTPClientOptions {
  /** Request options applied to every request that does not set them. @default none */
  defaults?: HTTPRequestOptions;
  /** The backend; not a Tornado option. @default the registered one, else the platform's */
  backend?: SyncHTTPBackend;
}

/**
 * Options of {@link HTTPClient.fetch}.
 * @example
 * const response = client.fetch(url, { raiseError: false });
 * if (response.code === 404) return undefined;
 */
export interface SyncFetchOptions extends HTTPRequestOptions {
  /** With false, a non-2xx response is returned instead of thrown (599 failures always throw). @default true */
  raiseError?: boolean;
}

let registered: SyncHTTPBackend | undefined;

/**
 * Registers the backend that {@link HTTPClient} uses where the platform has none of its own (Node);
 * `undefined` removes it. Returns the previous one. `@gust/node-adapter`'s `install()` calls it.
 * @example
 * const previous = setSyncHTTPBackend(myBackend);
 */
export function setSyncHTTPBackend(backend: SyncHTTPBackend | undefined): SyncHTTPBackend | undefined {
  const previous = registered;
  registered = backend;
  return previous;
}

function platformBackend(): SyncHTTPBackend {
  if (registered !== undefined) return registered;
  if (isWebWorker()) return new XHRSyncBackend();
  if (isBrowserMainThread()) {
    throw new InvalidStateError(
      "HTTPClient cannot run on a browser's main thread: a synchronous request would freeze the page " +
        '(browsers deprecate synchronous XHR there and forbid binary responses and timeouts). ' +
        'Use AsyncHTTPClient (await client.fetch(url), or yield* in a coroutine), or run this code in a Web Worker.',
    );
  }
  if (isNode) {
    throw new InvalidStateError(
      'HTTPClient needs the Node adapter in Node: call install() from @gust/node-adapter first, ' +
        'or use AsyncHTTPClient.',
    );
  }
  throw new InvalidStateError(
    'HTTPClient has no synchronous backend on this platform: register one with setSyncHTTPBackend(), ' +
      'or use AsyncHTTPClient.',
  );
}

/**
 * A blocking HTTP client, for scripts and worker code that cannot be asynchronous. `fetch()` returns the
 * response or throws an {@link HTTPClientError}. It works in browser Web Workers (synchronous XHR) and, once
 * `@gust/node-adapter` is installed, in Node; on a browser's main thread the constructor throws an error
 * saying to use {@link AsyncHTTPClient} instead. While it waits, nothing else runs on the thread.
 * @remarks Tornado: `tornado.httpclient.HTTPClient` (which runs an `AsyncHTTPClient` on a private IOLoop).
 * @throws InvalidStateError from the constructor when the platform has no synchronous backend.
 * @example
 * function synchronousFetch(url: string): Uint8Array {
 *   const httpClient = new HTTPClient();
 *   const response = httpClient.fetch(url);
 *   return response.body;
 * }
 */
export class HTTPClient {
  #backend: SyncHTTPBackend;
  #defaults: HTTPRequestOptions | undefined;
  #closed = false;

  constructor(options: HTTPClientOptions = {}) {
    this.#backend = options.backend ?? platformBackend();
    this.#defaults = options.defaults;
  }

  /**
   * Fetches `request` (a URL with `options`, or an {@link HTTPRequest}) and returns the response, blocking.
   * @throws HTTPClientError for a non-2xx response (unless `raiseError: false`) and for any failure without
   * a response (code 599); TypeError/RangeError for invalid arguments; InvalidStateError after `close()`.
   * @remarks Tornado: `HTTPClient.fetch(request, raise_error=True, **kwargs)`.
   */
  fetch(request: string | URL | HTTPRequest, options?: SyncFetchOptions): HTTPResponse {
    if (this.#closed) throw new InvalidStateError('fetch() called on a closed HTTPClient');
    const { raiseError, ...requestOptions } = options ?? {};
    const defaults = this.#defaults;
    let built: HTTPRequest;
    if (request instanceof HTTPRequest) {
      if (Object.keys(requestOptions).length > 0) {
        throw new TypeError(
          'fetch(request, options): request options cannot be given with an HTTPRequest; set them on the HTTPRequest',
        );
      }
      built = defaults === undefined ? request : withDefaults(request, defaults);
    } else {
      built = new HTTPRequest(
        request,
        defaults === undefined ? requestOptions : mergeOptions(defaults, requestOptions),
      );
    }
    const response = this.#backend.fetch(built);
    if (shouldRaise(response, raiseError !== false)) throw response.error;
    return response;
  }

  /**
   * Closes the client; later `fetch()` calls throw. Its backend is closed too (in Node this ends the worker
   * thread, which the next client's first fetch starts again). Tornado: `HTTPClient.close()`.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#backend.close?.();
  }
}
