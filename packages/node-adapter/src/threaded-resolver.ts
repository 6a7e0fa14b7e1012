import dns from 'node:dns';
import { Future, logger } from '@gust/core';
import { type LookupFunction, runLookup } from './default-resolver.js';
import {
  type AddressFamily,
  checkResolveArgs,
  closedError,
  type ResolvedAddress,
  Resolver,
  rejectSoon,
} from './resolver.js';

/**
 * Options of {@link ThreadedResolver}.
 * @example
 * Resolver.configure(new ThreadedResolver({ numThreads: 1 })); // DNS never takes more than one libuv thread
 */
export interface ThreadedResolverOptions {
  /**
   * How many lookups may occupy libuv's thread pool at once; the others wait in a FIFO queue.
   * @default half of libuv's pool, `max(1, floor(UV_THREADPOOL_SIZE / 2))` (2 with the default pool of 4)
   */
  numThreads?: number;
  /** The lookup to call. @default `dns.lookup` */
  lookup?: LookupFunction;
}

/**
 * The size of libuv's thread pool, computed as libuv does from `UV_THREADPOOL_SIZE` (default 4, at least 1,
 * at most 1024). libuv reads the variable once, when the pool first starts, so a later change of
 * `process.env` is not seen by libuv; set it before Node starts.
 * @internal
 */
export function threadpoolSize(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.UV_THREADPOOL_SIZE;
  if (raw === undefined || raw === '') return 4;
  // libuv stores atoi() in an unsigned int: leading digits count, no digits is 0 and becomes 1, and a
  // negative number wraps around to a huge one, clamped to 1024.
  const n = Number.parseInt(raw, 10);
  if (!Number.isFinite(n) || n === 0) return 1;
  return n < 0 ? 1024 : Math.min(n, 1024);
}

interface Job {
  host: string;
  port: number;
  family: AddressFamily;
  future: Future<ResolvedAddress[]>;
}

/**
 * `getaddrinfo` on libuv's thread pool, like {@link DefaultResolver}, but with its own concurrency budget:
 * at most `numThreads` lookups run at once and the rest wait in a FIFO queue. libuv's pool (4 threads by
 * default) also runs `fs`, `crypto.pbkdf2`/`scrypt`/`randomBytes`, `zlib` and `dns.lookup` for everyone; a
 * burst of slow lookups (a nameserver that does not answer keeps a thread for seconds) would otherwise
 * take every thread and stall file and crypto work. With the default budget of half the pool, the other
 * half always stays free for them.
 *
 * Cancelling a queued lookup removes it from the queue; cancelling a running one drops its answer, but its
 * thread stays busy (and counts against the budget) until `getaddrinfo` returns, since it cannot be
 * interrupted. `close()` cancels the queued lookups; `resolve()` after it rejects with `InvalidStateError`.
 * @remarks Tornado: `tornado.netutil.ThreadedResolver(num_threads=10)`, which runs getaddrinfo on a thread
 * pool of its own shared by all instances. Node cannot start getaddrinfo threads of its own (worker threads
 * share the same libuv pool), so gust bounds its share of libuv's pool instead, per instance: configure one
 * with `Resolver.configure()` and share it. The default budget follows the pool size, not Tornado's 10,
 * which would exceed libuv's default pool of 4.
 * @example
 * Resolver.configure(ThreadedResolver, { numThreads: 2 });
 */
export class ThreadedResolver extends Resolver {
  readonly #numThreads: number;
  readonly #lookup: LookupFunction;
  readonly #queue: Job[] = [];
  #running = 0;
  #closed = false;

  constructor(options: ThreadedResolverOptions = {}) {
    super();
    const pool = threadpoolSize();
    const numThreads = options.numThreads ?? Math.max(1, Math.floor(pool / 2));
    if (!Number.isInteger(numThreads) || numThreads < 1) {
      throw new RangeError(`ThreadedResolver: numThreads must be an integer ≥ 1, got ${String(numThreads)}`);
    }
    if (numThreads >= pool) {
      logger.warn(
        `ThreadedResolver: numThreads ${numThreads} ≥ libuv's thread pool size ${pool} (UV_THREADPOOL_SIZE): ` +
          'slow DNS can occupy every thread and stall fs, crypto and zlib work; lower numThreads or raise ' +
          'UV_THREADPOOL_SIZE before Node starts',
      );
    }
    this.#numThreads = numThreads;
    this.#lookup = options.lookup ?? ((h, o, cb) => dns.lookup(h, o, cb));
  }

  /** The concurrency budget: how many lookups may run at once. */
  get numThreads(): number {
    return this.#numThreads;
  }

  /** How many lookups are running now (including cancelled ones whose `getaddrinfo` has not returned). */
  get running(): number {
    return this.#running;
  }

  /** How many lookups wait for a slot. */
  get queued(): number {
    return this.#queue.length;
  }

  resolve(host: string, port: number, family: AddressFamily = 0): Future<ResolvedAddress[]> {
    checkResolveArgs(host, port, family);
    if (this.#closed) return rejectSoon(closedError('ThreadedResolver'));
    const job: Job = {
      host,
      port,
      family,
      future: new Future<ResolvedAddress[]>({
        onCancel: () => {
          const index = this.#queue.indexOf(job);
          if (index !== -1) this.#queue.splice(index, 1);
        },
      }),
    };
    this.#queue.push(job);
    this.#pump();
    return job.future;
  }

  override close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const job of this.#queue.splice(0)) job.future.cancel();
  }

  #pump(): void {
    while (this.#running < this.#numThreads && this.#queue.length > 0) {
      const job = this.#queue.shift()!;
      this.#running++;
      runLookup(this.#lookup, job.host, job.port, job.family, (error, addresses) => {
        this.#running--;
        if (!job.future.done()) {
          if (error) job.future.setException(error);
          else job.future.setResult(addresses!);
        }
        this.#pump();
      });
    }
  }
}
