import { InvalidStateError } from './errors.js';
import { type Delivery, FetchOperation, type Slots } from './fetch-operation.js';
import { FetchTransport } from './fetch-transport.js';
import type { Future } from './future.js';
import { HTTPClientError } from './http-errors.js';
import { HTTPRequest, mergeOptions, withDefaults } from './http-request.js';
import { type HTTPRequestOptions, OPTION_NAMES } from './http-request-options.js';
import type { HTTPResponse } from './http-response.js';
import { currentLoop, type Loop } from './loop.js';
import type { Transport } from './transport.js';

/**
 * Options of the {@link AsyncHTTPClient} constructor.
 * @example
 * const client = new AsyncHTTPClient({
 *   forceInstance: true,
 *   maxClients: 4,
 *   defaults: { requestTimeout: 5000 },
 * });
 */
export interface AsyncHTTPClientOptions {
  /** Create a private client instead of returning the loop's shared one. @default false */
  forceInstance?: boolean;
  /** How many requests run at once; the others wait in a FIFO queue. @default 10 */
  maxClients?: number;
  /** Request options applied to every request that does not set them. @default none */
  defaults?: HTTPRequestOptions;
  /** The transport (not a Tornado option: Tornado picks the implementation class). @default the configured one, else `FetchTransport` */
  transport?: Transport;
}

/**
 * Settings of {@link AsyncHTTPClient.configure} besides the transport and defaults.
 * @example
 * AsyncHTTPClient.configure(null, undefined, { maxClients: 20 });
 */
export interface AsyncHTTPClientSettings {
  /** @default 10 */
  maxClients?: number;
}

/**
 * Options of {@link AsyncHTTPClient.fetch}: request options plus how the outcome is delivered.
 * @example
 * client.fetch(url, { method: 'POST', body: 'q=gust', raiseError: false, callback: (r) => show(r) });
 */
export interface FetchOptions extends HTTPRequestOptions {
  /**
   * Receives the response on a later loop turn, also for failures (`response.error` is set, code 599 when
   * there was no response); the returned Future then resolves with that response and never rejects.
   */
  callback?: (response: HTTPResponse) => void;
  /**
   * With false, a response with a non-2xx code resolves the Future (its `error` is set) instead of rejecting
   * it. Failures without a response (code 599) always reject. @default true
   */
  raiseError?: boolean;
}

const DEFAULT_MAX_CLIENTS = 10;
const NO_OPTIONS: HTTPRequestOptions = {};
// The two deliveries without a callback, shared: fetch() allocates nothing for them.
const RAISE: Delivery = { callback: undefined, raiseError: true };
const KEEP: Delivery = { callback: undefined, raiseError: false };

interface Configuration {
  transport: Transport | undefined;
  defaults: HTTPRequestOptions | undefined;
  maxClients: number | undefined;
}

let configuration: Configuration = { transport: undefined, defaults: undefined, maxClients: undefined };
let sharedClients = new WeakMap<Loop, AsyncHTTPClient>();
let defaultTransport: FetchTransport | undefined;

/**
 * A non-blocking HTTP client. `new AsyncHTTPClient()` returns the shared client of the current loop
 * (created on first use, with the configured transport and settings); pass `forceInstance: true` for a
 * private one. At most `maxClients` requests run at once; the others wait in a FIFO queue, and one still
 * waiting after `min(connectTimeout, requestTimeout)` fails with `HTTPTimeoutError('Timeout in request queue')`.
 * @remarks Tornado: `tornado.httpclient.AsyncHTTPClient` (per-IOLoop pseudo-singleton, `force_instance`,
 * `configure`, `max_clients`, `defaults`). Options given to `new AsyncHTTPClient()` without `forceInstance`
 * apply only if the shared client does not exist yet, as in Tornado.
 * @example
 * const client = new AsyncHTTPClient();
 * const response = await client.fetch('https://example.com/');
 */
export class AsyncHTTPClient {
  // Assigned in the constructor unless it returns the shared instance instead.
  #loop!: Loop;
  #transport!: Transport;
  #defaults: HTTPRequestOptions | undefined;
  #maxClients!: number;
  #closed = false;
  #active = 0;
  #queue: Array<FetchOperation | undefined> = [];
  #head = 0;
  #operations = new Set<FetchOperation>();
  #slots: Slots = {
    acquire: (op) => {
      if (this.#active < this.#maxClients) {
        this.#active++;
        op.run();
      } else {
        this.#queue.push(op);
        op.queued();
      }
    },
    release: () => {
      this.#active--;
      this.#runQueued();
    },
    unqueue: (op) => {
      const index = this.#queue.indexOf(op, this.#head);
      if (index >= 0) this.#queue[index] = undefined;
    },
    finished: (op) => {
      this.#operations.delete(op);
    },
  };

  /**
   * @returns the shared client of the current loop, unless `forceInstance` is true.
   * @throws RangeError for a `maxClients` below 1; TypeError for an unknown option in `defaults`.
   */
  constructor(options: AsyncHTTPClientOptions = {}) {
    const loop = currentLoop();
    const forceInstance = options.forceInstance === true;
    if (!forceInstance) {
      const shared = sharedClients.get(loop);
      // biome-ignore lint/correctness/noConstructorReturn: Tornado's pseudo-singleton (DESIGN §4): `new` returns the loop's shared client.
      if (shared !== undefined) return shared;
    }
    this.#loop = loop;
    this.#transport =
      options.transport ?? configuration.transport ?? (defaultTransport ??= new FetchTransport());
    const maxClients = options.maxClients ?? configuration.maxClients ?? DEFAULT_MAX_CLIENTS;
    if (!Number.isInteger(maxClients) || maxClients < 1) {
      throw new RangeError(`maxClients must be a whole number of at least 1, got ${String(maxClients)}`);
    }
    this.#maxClients = maxClients;
    const defaults = options.defaults ?? configuration.defaults;
    if (defaults !== undefined) checkOptionNames(defaults);
    this.#defaults = defaults !== undefined && Object.keys(defaults).length > 0 ? defaults : undefined;
    if (!forceInstance) sharedClients.set(loop, this);
  }

  /**
   * Sets the transport, request defaults and `maxClients` of clients created from now on; `null` restores
   * `FetchTransport`. The shared clients are dropped from the cache, so the next `new AsyncHTTPClient()`
   * of each loop gets a new one (clients already held keep their transport).
   * @remarks Tornado: `AsyncHTTPClient.configure(impl, **kwargs)`; Tornado keeps cached shared clients.
   * @example
   * AsyncHTTPClient.configure(new FetchTransport(), { requestTimeout: 5000 }, { maxClients: 20 });
   */
  static configure(
    transport: Transport | null | undefined,
    defaults?: HTTPRequestOptions,
    settings?: AsyncHTTPClientSettings,
  ): void {
    if (defaults !== undefined) checkOptionNames(defaults);
    configuration = { transport: transport ?? undefined, defaults, maxClients: settings?.maxClients };
    sharedClients = new WeakMap();
  }

  /**
   * Fetches `request` (a URL with `options`, or an {@link HTTPRequest}) and returns a Future of the
   * response. The Future rejects with an {@link HTTPClientError} for a non-2xx response (unless
   * `raiseError: false`) and always for a failure without a response (code 599: network error, timeout,
   * refused redirect). With `callback`, every outcome goes to the callback instead and nothing rejects.
   * Cancelling the Future (or aborting `signal`, or cancelling a coroutine waiting on it) aborts the
   * request and frees its slot; it ends cancelled and the callback is not called.
   * @throws TypeError/RangeError at once for invalid arguments (see {@link HTTPRequest}), and
   * InvalidStateError after `close()`.
   * @remarks Tornado: `AsyncHTTPClient.fetch(request, raise_error=True, **kwargs)`; Tornado 6 removed
   * `callback`, the seed's guide (Tornado 5) uses it.
   * @example
   * const response = yield* client.fetch(url, { method: 'POST', body: 'x=1' });
   */
  fetch(request: string | URL | HTTPRequest, options?: FetchOptions): Future<HTTPResponse> {
    if (this.#closed) throw new InvalidStateError('fetch() called on a closed AsyncHTTPClient');
    let delivery = RAISE;
    let requestOptions: HTTPRequestOptions = options ?? NO_OPTIONS;
    if (options !== undefined && ('callback' in options || 'raiseError' in options)) {
      const { callback, raiseError, ...rest } = options;
      if (callback !== undefined && typeof callback !== 'function') {
        throw new TypeError('callback must be a function');
      }
      delivery =
        callback !== undefined ? { callback, raiseError: false } : raiseError === false ? KEEP : RAISE;
      requestOptions = rest;
    }
    const defaults = this.#defaults;
    let original: HTTPRequest;
    let effective: HTTPRequest;
    if (request instanceof HTTPRequest) {
      if (Object.keys(requestOptions).length > 0) {
        throw new TypeError(
          'fetch(request, options): request options cannot be given with an HTTPRequest; set them on the ' +
            'HTTPRequest (only callback and raiseError are allowed)',
        );
      }
      original = request;
      effective = defaults === undefined ? request : withDefaults(request, defaults);
    } else {
      original = new HTTPRequest(
        request,
        defaults === undefined ? requestOptions : mergeOptions(defaults, requestOptions),
      );
      effective = original;
    }
    const op = new FetchOperation(this.#slots, this.#transport, this.#loop, effective, original, delivery);
    this.#operations.add(op);
    op.begin();
    return op.future;
  }

  /**
   * Closes the client: requests still queued or running fail with `HTTPClientError(599, 'AsyncHTTPClient
   * was closed')` (their transport exchanges are aborted), later `fetch()` calls throw, and a shared client
   * leaves its loop's cache so that the next `new AsyncHTTPClient()` creates a new one.
   * The transport itself is not closed: it may be shared.
   * @remarks Tornado: `AsyncHTTPClient.close()`; Tornado leaves running requests alone.
   * @example
   * const client = new AsyncHTTPClient({ forceInstance: true }); try { ... } finally { client.close(); }
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (sharedClients.get(this.#loop) === this) sharedClients.delete(this.#loop);
    const error = new HTTPClientError(599, 'AsyncHTTPClient was closed');
    for (const op of Array.from(this.#operations)) op.fail(error);
  }

  #runQueued(): void {
    // Once closed, a freed slot must not start a queued request that close() is about to fail.
    if (this.#closed) return;
    const queue = this.#queue;
    while (this.#active < this.#maxClients && this.#head < queue.length) {
      const op = queue[this.#head];
      queue[this.#head++] = undefined;
      if (op !== undefined) {
        this.#active++;
        op.run();
      }
    }
    if (this.#head === queue.length) {
      queue.length = 0;
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > queue.length) {
      queue.splice(0, this.#head);
      this.#head = 0;
    }
  }
}

function checkOptionNames(options: HTTPRequestOptions): void {
  for (const key in options) {
    if (!OPTION_NAMES.has(key)) throw new TypeError(`Unknown HTTPRequest option "${key}" in defaults`);
  }
}
