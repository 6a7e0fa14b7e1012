import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { Future, logger } from '@gust/core';
import {
  type AddressFamily,
  checkResolveArgs,
  closedError,
  type ResolvedAddress,
  Resolver,
  ResolverError,
  toResolved,
  toResolverError,
} from './resolver.js';

/**
 * A synchronous lookup for {@link BlockingResolver}: returns the addresses of `host` or throws (an error
 * with a `code` such as `'ENOTFOUND'` becomes a `ResolverError` with that code).
 * @example
 * const table: LookupSyncFunction = (host) => [
 *   { address: host === 'db' ? '10.0.0.5' : '127.0.0.1', family: 4 },
 * ];
 * const resolver = new BlockingResolver({ lookupSync: table });
 */
export type LookupSyncFunction = (
  host: string,
  family: AddressFamily,
) => ReadonlyArray<{
  /** The numeric address. */
  address: string;
  /** `4` or `6`. */
  family: number;
}>;

/**
 * Options of {@link BlockingResolver}.
 * @example
 * const slow = new BlockingResolver({ delayMs: 200 }); // every lookup freezes the loop for 200 ms
 */
export interface BlockingResolverOptions {
  /**
   * The synchronous lookup to call on the loop thread.
   * @default `getaddrinfo` (`dns.lookup`) run by a helper thread while this thread waits in `Atomics.wait`
   */
  lookupSync?: LookupSyncFunction;
  /** Extra milliseconds every resolve keeps the thread asleep, to act out a slow nameserver. @default 0 */
  delayMs?: number;
  /** How long the default lookup may take before it fails with `ETIMEOUT`. @default 10000 */
  timeoutMs?: number;
}

// The helper thread: runs dns.lookup for each request, posts the answer, then wakes the waiting thread.
// It is an ES module in a data: URL, which Node runs as a module whatever the flags of the process
// (`eval: true` code would follow `--input-type` and fail to start under `--input-type=module`).
const WORKER_SOURCE = `
import { workerData } from 'node:worker_threads';
import dns from 'node:dns';
const { port } = workerData;
port.on('message', ({ id, host, family, cell }) => {
  const reply = (message) => {
    port.postMessage(message);
    Atomics.store(cell, 0, 1);
    Atomics.notify(cell, 0);
  };
  try {
    dns.lookup(host, { family, all: true }, (error, addresses) => {
      if (error) reply({ id, error: { message: error.message, code: error.code } });
      else reply({ id, addresses });
    });
  } catch (error) {
    reply({ id, error: { message: String(error?.message), code: error?.code } });
  }
});
`;
const WORKER_URL = new URL(`data:text/javascript,${encodeURIComponent(WORKER_SOURCE)}`);

interface Reply {
  id: number;
  addresses?: Array<{ address: string; family: number }>;
  error?: { message: string; code?: string };
}

/** Sleeps the calling thread for `ms` milliseconds without spinning. */
function sleepSync(ms: number): void {
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * A resolver that really blocks: `resolve()` does the whole lookup on the calling thread and returns a
 * Future that is already done, so timers, I/O and other callbacks of the loop wait meanwhile. It exists
 * for demos and for tests of the blocking watchdog (`IOLoop.setBlockingLogThreshold`), never for
 * production. Node has no synchronous `getaddrinfo`, so the default lookup hands the name to a helper
 * thread (started on first use, `unref`'d) and waits for its answer in `Atomics.wait`; `delayMs` adds a
 * sleep to show what a slow nameserver does to a loop. `close()` ends the helper thread; `resolve()` after
 * it rejects with `InvalidStateError`.
 * @remarks Tornado: `tornado.netutil.BlockingResolver` (deprecated in Tornado 5.0), getaddrinfo on the
 * loop thread.
 * @example
 * IOLoop.current().setBlockingLogThreshold(50);
 * new BlockingResolver({ delayMs: 200 }).resolve('localhost', 80); // logged as a 200 ms block
 */
export class BlockingResolver extends Resolver {
  readonly #lookupSync: LookupSyncFunction;
  readonly #delayMs: number;
  readonly #timeoutMs: number;
  #worker: { worker: Worker; port: MessagePort } | undefined;
  #nextId = 0;
  #closed = false;

  constructor(options: BlockingResolverOptions = {}) {
    super();
    const { delayMs = 0, timeoutMs = 10_000 } = options;
    if (typeof delayMs !== 'number' || !(delayMs >= 0)) {
      throw new RangeError(`BlockingResolver: delayMs must be a number ≥ 0, got ${String(delayMs)}`);
    }
    if (typeof timeoutMs !== 'number' || !(timeoutMs > 0)) {
      throw new RangeError(`BlockingResolver: timeoutMs must be a number > 0, got ${String(timeoutMs)}`);
    }
    this.#delayMs = delayMs;
    this.#timeoutMs = timeoutMs;
    this.#lookupSync = options.lookupSync ?? ((host, family) => this.#getaddrinfoSync(host, family));
  }

  resolve(host: string, port: number, family: AddressFamily = 0): Future<ResolvedAddress[]> {
    checkResolveArgs(host, port, family);
    const future = new Future<ResolvedAddress[]>();
    if (this.#closed) {
      future.setException(closedError('BlockingResolver'));
      return future;
    }
    try {
      sleepSync(this.#delayMs);
      future.setResult(toResolved(host, this.#lookupSync(host, family), port, family));
    } catch (error) {
      future.setException(toResolverError(host, error));
    }
    return future;
  }

  override close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const helper = this.#worker;
    this.#worker = undefined;
    if (helper !== undefined) {
      helper.port.close();
      void helper.worker.terminate();
    }
  }

  #helper(): { worker: Worker; port: MessagePort } {
    if (this.#worker !== undefined) return this.#worker;
    const { port1, port2 } = new MessageChannel();
    // No execArgv: the helper needs none of the process's flags or loaders (which would slow its start).
    const worker = new Worker(WORKER_URL, {
      execArgv: [],
      workerData: { port: port2 },
      transferList: [port2],
    });
    worker.unref();
    const helper = { worker, port: port1 };
    // A helper thread that died is replaced on the next resolve.
    worker.once('exit', () => {
      if (this.#worker === helper) this.#worker = undefined;
      port1.close();
    });
    worker.on('error', (error) => logger.error('BlockingResolver: its helper thread failed', error));
    this.#worker = helper;
    return helper;
  }

  #getaddrinfoSync(host: string, family: AddressFamily): Array<{ address: string; family: number }> {
    const { port } = this.#helper();
    const id = ++this.#nextId;
    const cell = new Int32Array(new SharedArrayBuffer(4));
    port.postMessage({ id, host, family, cell });
    if (Atomics.wait(cell, 0, 0, this.#timeoutMs) === 'timed-out') {
      throw new ResolverError(host, { code: 'ETIMEOUT', detail: `no answer within ${this.#timeoutMs} ms` });
    }
    // Answers to earlier requests that timed out may still be queued: skip them.
    let received = receiveMessageOnPort(port);
    while (received !== undefined && (received.message as Reply).id !== id) {
      received = receiveMessageOnPort(port);
    }
    // The helper posts its answer before it wakes us, so it is always there.
    if (received === undefined)
      throw new ResolverError(host, { detail: 'the helper thread lost its answer' });
    const reply = received.message as Reply;
    if (reply.error !== undefined) {
      throw new ResolverError(host, {
        cause: Object.assign(new Error(reply.error.message), { code: reply.error.code }),
      });
    }
    return reply.addresses ?? [];
  }
}
