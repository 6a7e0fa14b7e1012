import { CancelledError } from './errors.js';
import { FetchHop, type HopOwner } from './fetch-hop.js';
import { Future } from './future.js';
import { type HTTPClientError, HTTPTimeoutError, type HTTPTimeoutPhase } from './http-errors.js';
import type { HTTPRequest } from './http-request.js';
import { shortestTimeout, timeoutDelay } from './http-request-options.js';
import { HTTPResponse, shouldRaise } from './http-response.js';
import { logError } from './logger.js';
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
export class FetchOperation implements HopOwner {
  readonly future: Future<HTTPResponse>;
  readonly #slots: Slots;
  readonly #transport: Transport;
  readonly #loop: Loop;
  readonly #original: HTTPRequest;
  readonly #delivery: Delivery;
  readonly #fetchTime: number;
  #request: HTTPRequest;
  #state = IDLE;
  #queuedAt = 0;
  #queueTime = 0;
  #deadline: Deadline | undefined;
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
    if (delay !== undefined) this.#arm(delay, 'queue');
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
    if (timeout !== undefined) this.#arm(timeout, 'request');
    const hop = new FetchHop(request, loop, this.#transport, this);
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

  /** @internal A hop of this operation ended on its own (see {@link HopOwner}). */
  hopEnded(hop: FetchHop, error: Error | undefined): void {
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

  /** @internal The queue or request timeout of the operation expired (called by its loop's {@link Deadlines}). */
  expire(phase: HTTPTimeoutPhase): void {
    this.#deadline = undefined;
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

  #arm(delay: number, phase: HTTPTimeoutPhase): void {
    let deadlines = deadlinesByLoop.get(this.#loop);
    if (deadlines === undefined) {
      deadlines = new Deadlines(this.#loop);
      deadlinesByLoop.set(this.#loop, deadlines);
    }
    this.#deadline = deadlines.add(this, delay, phase);
  }

  #clearTimer(): void {
    const deadline = this.#deadline;
    if (deadline !== undefined) {
      this.#deadline = undefined;
      deadline.lane.owner.cancel(deadline);
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
    // The response has what it needs of the hop: an operation kept (through its Future) keeps no more.
    this.#hop = undefined;
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
          logError('Exception in the callback of AsyncHTTPClient.fetch()', error);
        }
      });
      return;
    }
    if (shouldRaise(response, raiseError)) future.setException(response.error);
    else future.setResult(response);
  }
}

/** @internal A pending timeout of an operation; `op` is emptied once it fired or was cancelled. */
interface Deadline {
  readonly when: number;
  readonly phase: HTTPTimeoutPhase;
  readonly lane: Lane;
  op: FetchOperation | undefined;
  /** Still in its lane (false once taken out to expire). */
  inLane: boolean;
}

/** The deadlines of one delay, in the order they were added, which is also the order they expire in. */
interface Lane {
  readonly owner: Deadlines;
  readonly delay: number;
  items: Array<Deadline | undefined>;
  head: number;
  cancelled: number;
}

const deadlinesByLoop = new WeakMap<Loop, Deadlines>();

/**
 * @internal The queue and request timeouts of every fetch on one loop, behind a single loop timer. A
 * timer per request costs microseconds and garbage in Node (and a loop that deletes cancelled timers
 * lazily, as the IOLoop does like Tornado's, would keep each finished fetch reachable until its deadline);
 * here a request that ends in time costs an array push and a pop. Deadlines of the same delay are added in
 * expiry order, so each delay has a FIFO lane; the loop timer is armed for the earliest deadline, and
 * re-armed when it fires. It is cancelled as soon as no deadline is pending, so that an idle client never
 * keeps a process alive.
 */
class Deadlines {
  readonly #loop: Loop;
  readonly #lanes = new Map<number, Lane>();
  #live = 0;
  #timer: TimerHandle | undefined;
  #armedFor = Number.POSITIVE_INFINITY;
  readonly #fire = (): void => this.#onTimer();

  constructor(loop: Loop) {
    this.#loop = loop;
  }

  add(op: FetchOperation, delay: number, phase: HTTPTimeoutPhase): Deadline {
    let lane = this.#lanes.get(delay);
    if (lane === undefined) {
      lane = { owner: this, delay, items: [], head: 0, cancelled: 0 };
      this.#lanes.set(delay, lane);
    }
    const when = this.#loop.time() + delay;
    const deadline: Deadline = { when, phase, lane, op, inLane: true };
    lane.items.push(deadline);
    this.#live++;
    if (when < this.#armedFor) this.#arm(when);
    return deadline;
  }

  cancel(deadline: Deadline): void {
    if (deadline.op === undefined) return;
    deadline.op = undefined;
    if (!deadline.inLane) return;
    if (--this.#live === 0) {
      this.#lanes.clear();
      if (this.#timer !== undefined) this.#loop.cancelTimer(this.#timer);
      this.#timer = undefined;
      this.#armedFor = Number.POSITIVE_INFINITY;
      return;
    }
    const lane = deadline.lane;
    lane.cancelled++;
    trim(lane);
    // A long request at the head of a lane holds the ones behind it: drop those that ended meanwhile.
    const waiting = lane.items.length - lane.head;
    if (lane.cancelled > 256 && lane.cancelled * 2 > waiting) {
      lane.items = lane.items.slice(lane.head).filter((d) => d?.op !== undefined);
      lane.head = 0;
      lane.cancelled = 0;
    }
  }

  #arm(when: number): void {
    if (this.#timer !== undefined) this.#loop.cancelTimer(this.#timer);
    this.#armedFor = when;
    this.#timer = this.#loop.callLater(Math.max(0, when - this.#loop.time()), this.#fire);
  }

  #onTimer(): void {
    this.#timer = undefined;
    this.#armedFor = Number.POSITIVE_INFINITY;
    const now = this.#loop.time();
    let due: Deadline[] | undefined;
    let next = Number.POSITIVE_INFINITY;
    for (const lane of this.#lanes.values()) {
      for (;;) {
        trim(lane);
        const first = lane.items[lane.head];
        if (first === undefined) break;
        if (first.when > now) {
          if (first.when < next) next = first.when;
          break;
        }
        lane.items[lane.head++] = undefined;
        first.inLane = false;
        this.#live--;
        (due ??= []).push(first);
      }
      if (lane.head >= lane.items.length) this.#lanes.delete(lane.delay);
    }
    if (next !== Number.POSITIVE_INFINITY) this.#arm(next);
    if (due === undefined) return;
    // Expiring may start queued requests (which add deadlines): the timer is already set for the rest.
    for (const deadline of due) {
      const op = deadline.op;
      if (op === undefined) continue;
      deadline.op = undefined;
      op.expire(deadline.phase);
    }
  }
}

/** Drops the cancelled deadlines at the head of `lane`. */
function trim(lane: Lane): void {
  const items = lane.items;
  let head = lane.head;
  while (head < items.length && items[head]?.op === undefined) {
    if (items[head] !== undefined) lane.cancelled--;
    items[head++] = undefined;
  }
  if (head === items.length) {
    items.length = 0;
    head = 0;
  } else if (head > 1024 && head * 2 > items.length) {
    lane.items = items.slice(head);
    head = 0;
  }
  lane.head = head;
}
