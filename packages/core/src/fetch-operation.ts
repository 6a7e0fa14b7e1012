import { CancelledError } from './errors.js';
import { FetchHop } from './fetch-hop.js';
import { Future } from './future.js';
import { type HTTPClientError, HTTPTimeoutError, type HTTPTimeoutPhase } from './http-errors.js';
import type { HTTPRequest } from './http-request.js';
import { shortestTimeout, timeoutDelay } from './http-request-options.js';
import { HTTPResponse, shouldRaise } from './http-response.js';
import { logger } from './logger.js';
import type { Loop, TimerHandle } from './loop.js';
import { redirectRequest } from './redirect.js';
import type { Transport } from './transport.js';

/** @internal The `maxClients` slots of a client, as an operation sees them. */
export interface Slots {
  /** Runs `op` now (`op.run()`) if a slot is free, else queues it (`op.queued()`), FIFO. */
  acquire(op: FetchOperation): void;
  /** Frees the slot of an operation whose exchange ended, and runs the next queued one. */
  release(): void;
  /** Takes a queued operation out of the queue. */
  unqueue(op: FetchOperation): void;
  /** The operation is over. */
  finished(op: FetchOperation): void;
}

/** @internal How a fetch delivers its outcome (see `FetchOptions`). */
export interface Delivery {
  callback: ((response: HTTPResponse) => void) | undefined;
  raiseError: boolean;
}

const IDLE = 0;
const QUEUED = 1;
const EXCHANGING = 2;
const DONE = 3;

/**
 * @internal One `AsyncHTTPClient.fetch()`: waits for a slot, runs one {@link FetchHop} per redirect (each
 * hop releases its slot before the next one queues, so a redirect never holds two), enforces the queue
 * timeout and `requestTimeout`, follows redirects, and settles the Future once.
 */
export class FetchOperation {
  readonly future: Future<HTTPResponse>;
  readonly #slots: Slots;
  readonly #transport: Transport;
  readonly #loop: Loop;
  readonly #original: HTTPRequest;
  readonly #delivery: Delivery;
  readonly #fetchTime: number;
  readonly #hopEnded = (hop: FetchHop, error: Error | undefined): void => this.#onHopEnded(hop, error);
  #request: HTTPRequest;
  #state = IDLE;
  #queuedAt = 0;
  #queueTime = 0;
  #timer: TimerHandle | undefined;
  #hop: FetchHop | undefined;
  #onAbort: (() => void) | undefined;

  constructor(
    slots: Slots,
    transport: Transport,
    loop: Loop,
    request: HTTPRequest,
    original: HTTPRequest,
    delivery: Delivery,
  ) {
    this.#slots = slots;
    this.#transport = transport;
    this.#loop = loop;
    this.#request = request;
    this.#original = original;
    this.#delivery = delivery;
    this.#fetchTime = loop.time();
    this.future = new Future<HTTPResponse>({ onCancel: () => this.#stop(new CancelledError()) });
  }

  /** Starts the operation: into a slot or the queue. */
  begin(): void {
    const signal = this.#request.signal;
    if (signal !== undefined) {
      if (signal.aborted) {
        this.future.cancel();
        return;
      }
      this.#onAbort = () => this.future.cancel();
      signal.addEventListener('abort', this.#onAbort);
    }
    this.#slots.acquire(this);
  }

  /** No slot was free: wait in the queue, at most `min(connectTimeout, requestTimeout)` (Tornado). */
  queued(): void {
    this.#state = QUEUED;
    this.#queuedAt = this.#loop.time();
    const delay = shortestTimeout(this.#request);
    if (delay !== undefined) this.#timer = this.#loop.callLater(delay, () => this.#timeout('queue'));
  }

  /** A slot is ours: start the exchange of the current hop. */
  run(): void {
    const loop = this.#loop;
    if (this.#state === QUEUED) {
      this.#queueTime = loop.time() - this.#queuedAt;
      this.#clearTimer();
    } else {
      this.#queueTime = 0;
    }
    this.#state = EXCHANGING;
    const request = this.#request;
    const timeout = timeoutDelay(request.requestTimeout);
    if (timeout !== undefined) this.#timer = loop.callLater(timeout, () => this.#timeout('request'));
    const hop = new FetchHop(request, loop, this.#transport, this.#hopEnded);
    this.#hop = hop;
    hop.start(this.#transport);
  }

  /** Fails the operation, wherever it is (used by `AsyncHTTPClient.close()`). */
  fail(error: Error): void {
    if (this.#state === DONE) return;
    const queued = this.#state === QUEUED;
    this.#stop(error);
    this.#finish(this.#response(599, error, queued ? undefined : this.#hop));
  }

  #onHopEnded(hop: FetchHop, error: Error | undefined): void {
    if (hop !== this.#hop || this.#state !== EXCHANGING) return;
    this.#endExchange();
    if (error !== undefined) {
      this.#finish(this.#response(599, error, hop));
      return;
    }
    if (!hop.redirect) {
      this.#finish(this.#response(hop.code, undefined, hop));
      return;
    }
    try {
      this.#request = redirectRequest(hop.request, hop.code, hop.headers?.get('Location') ?? '');
    } catch (refused) {
      // A refused redirect always fails the fetch, also with raiseError: false: the error is not the code's.
      const response = this.#response(hop.code, refused as HTTPClientError, hop);
      (refused as HTTPClientError).response = response;
      this.#finish(response);
      return;
    }
    // Tornado releases the slot, then fetches the new URL through the queue like any request.
    this.#slots.acquire(this);
  }

  #timeout(phase: HTTPTimeoutPhase): void {
    this.#timer = undefined;
    const message = phase === 'queue' ? 'Timeout in request queue' : 'Timeout during request';
    this.fail(new HTTPTimeoutError(message, { phase }));
  }

  /** Stops whatever runs (queue wait or exchange) without settling the Future. */
  #stop(reason: Error): void {
    const state = this.#state;
    if (state === QUEUED) {
      this.#slots.unqueue(this);
      this.#clearTimer();
    } else if (state === EXCHANGING) {
      this.#hop?.abort(reason);
      this.#endExchange();
    }
    if (state !== DONE) this.#done();
  }

  #endExchange(): void {
    this.#clearTimer();
    this.#state = IDLE;
    this.#slots.release();
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) {
      this.#loop.cancelTimer(this.#timer);
      this.#timer = undefined;
    }
  }

  #done(): void {
    this.#state = DONE;
    const signal = this.#request.signal;
    if (this.#onAbort !== undefined && signal !== undefined)
      signal.removeEventListener('abort', this.#onAbort);
    this.#slots.finished(this);
  }

  /** The response of `hop` (or, with no hop, of a request that never left the queue). */
  #response(code: number, error: Error | undefined, hop: FetchHop | undefined): HTTPResponse {
    const now = this.#loop.time();
    const failed = code === 599;
    const startTime = hop?.startTime ?? now;
    return new HTTPResponse(this.#original, code, {
      reason: failed ? '' : hop?.reason,
      headers: failed ? undefined : hop?.headers,
      body: failed ? undefined : hop?.chunks,
      effectiveUrl: hop?.url ?? hop?.request.url ?? this.#request.url,
      error,
      requestTime: now - startTime,
      startTime,
      timeInfo: {
        queue: hop === undefined ? now - this.#queuedAt : this.#queueTime,
        connect: hop?.connectTime,
        firstByte: hop?.firstByteTime,
        total: now - this.#fetchTime,
      },
    });
  }

  #finish(response: HTTPResponse): void {
    if (this.#state !== DONE) this.#done();
    const future = this.future;
    if (future.done()) return;
    const { callback, raiseError } = this.#delivery;
    if (callback !== undefined) {
      // The seed's callback style: the callback gets every outcome as a response, on a later loop turn
      // (Tornado: IOLoop.add_callback), and the Future holds the same response.
      future.setResult(response);
      this.#loop.callSoon(() => {
        try {
          callback(response);
        } catch (error) {
          logger.error('Exception in the callback of AsyncHTTPClient.fetch()', error);
        }
      });
      return;
    }
    if (shouldRaise(response, raiseError)) future.setException(response.error);
    else future.setResult(response);
  }
}
