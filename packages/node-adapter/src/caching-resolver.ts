import { currentLoop, Future } from '@gust/core';
import {
  type AddressFamily,
  checkResolveArgs,
  closedError,
  type ResolvedAddress,
  Resolver,
  rejectSoon,
  resolveSoon,
} from './resolver.js';

/**
 * Options of {@link CachingResolver}.
 * @example
 * Resolver.configure(new CachingResolver(new ThreadedResolver(), { ttlMs: 30_000, maxEntries: 500 }));
 */
export interface CachingResolverOptions {
  /** How long an answer is reused, in milliseconds on the loop's monotonic clock. @default 60000 */
  ttlMs?: number;
  /** How many (host, family) answers are kept; the least recently used goes first. @default 1000 */
  maxEntries?: number;
}

interface Entry {
  answers: Array<{ family: 4 | 6; address: string }>;
  expires: number;
}

interface InFlight {
  future: Future<ResolvedAddress[]>;
  waiters: Set<Waiter>;
}

interface Waiter {
  future: Future<ResolvedAddress[]>;
  port: number;
}

const withPort = (answers: ReadonlyArray<{ family: 4 | 6; address: string }>, port: number) =>
  answers.map(({ family, address }) => ({ family, address, port }));

/**
 * Remembers the answers of another resolver for `ttlMs`, keyed by host (case-insensitively) and family;
 * the port is not part of the key. At most `maxEntries` answers are kept, the least recently used
 * evicted first. Failures are never cached. Concurrent lookups of the same key share one query of the
 * wrapped resolver; it is cancelled only when every caller waiting for it has cancelled.
 *
 * Time is read from `currentLoop().time()` (monotonic); expired entries are dropped when next looked at,
 * so the cache runs no timers. `clear()` forgets every answer; `close()` also cancels pending lookups and
 * closes the wrapped resolver, and `resolve()` after it rejects with `InvalidStateError`.
 * @remarks Tornado has no caching resolver (it relies on the system's cache); gust adds one because
 * `getaddrinfo` does not cache on most Linux systems and every connection would pay for a lookup.
 * @example
 * Resolver.configure(new CachingResolver(new ThreadedResolver(), { ttlMs: 30_000, maxEntries: 500 }));
 */
export class CachingResolver extends Resolver {
  readonly #resolver: Resolver;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  // A Map keeps insertion order: re-inserting on every hit makes its first key the least recently used.
  readonly #cache = new Map<string, Entry>();
  readonly #inFlight = new Map<string, InFlight>();
  #closed = false;

  constructor(resolver: Resolver, options: CachingResolverOptions = {}) {
    super();
    if (!(resolver instanceof Resolver)) throw new TypeError('CachingResolver: resolver must be a Resolver');
    const { ttlMs = 60_000, maxEntries = 1000 } = options;
    if (typeof ttlMs !== 'number' || Number.isNaN(ttlMs) || ttlMs < 0) {
      throw new RangeError(`CachingResolver: ttlMs must be a number ≥ 0, got ${String(ttlMs)}`);
    }
    if (maxEntries !== Number.POSITIVE_INFINITY && (!Number.isInteger(maxEntries) || maxEntries < 1)) {
      throw new RangeError(`CachingResolver: maxEntries must be an integer ≥ 1, got ${String(maxEntries)}`);
    }
    this.#resolver = resolver;
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
  }

  /** The resolver whose answers are cached. */
  get resolver(): Resolver {
    return this.#resolver;
  }

  /** How many answers are cached now (expired ones count until they are looked at). */
  get size(): number {
    return this.#cache.size;
  }

  resolve(host: string, port: number, family: AddressFamily = 0): Future<ResolvedAddress[]> {
    checkResolveArgs(host, port, family);
    if (this.#closed) return rejectSoon(closedError('CachingResolver'));
    const key = `${family} ${host.toLowerCase()}`;
    const entry = this.#cache.get(key);
    if (entry !== undefined) {
      this.#cache.delete(key);
      if (entry.expires > currentLoop().time()) {
        this.#cache.set(key, entry);
        return resolveSoon(withPort(entry.answers, port));
      }
    }

    let flight = this.#inFlight.get(key);
    if (flight === undefined) flight = this.#start(key, host, port, family);
    const waiter: Waiter = {
      port,
      future: new Future<ResolvedAddress[]>({
        onCancel: () => {
          const current = this.#inFlight.get(key);
          if (current === undefined || !current.waiters.delete(waiter) || current.waiters.size > 0) return;
          this.#inFlight.delete(key);
          current.future.cancel();
        },
      }),
    };
    flight.waiters.add(waiter);
    return waiter.future;
  }

  /** Forgets every cached answer (lookups in flight still complete and are cached). */
  clear(): void {
    this.#cache.clear();
  }

  override close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#cache.clear();
    const flights = [...this.#inFlight.values()];
    this.#inFlight.clear();
    for (const flight of flights) {
      for (const waiter of flight.waiters) waiter.future.cancel();
      flight.future.cancel();
    }
    this.#resolver.close();
  }

  #start(key: string, host: string, port: number, family: AddressFamily): InFlight {
    const flight: InFlight = { future: this.#resolver.resolve(host, port, family), waiters: new Set() };
    this.#inFlight.set(key, flight);
    flight.future.addDoneCallback((done) => {
      if (this.#inFlight.get(key) === flight) this.#inFlight.delete(key);
      if (done.cancelled()) {
        // Cancelled behind our back (the wrapped resolver was closed): nobody will answer the waiters.
        for (const waiter of flight.waiters) waiter.future.cancel();
        return;
      }
      const error = done.exception();
      if (error === undefined) {
        const answers = done.result().map(({ family, address }) => ({ family, address }));
        if (!this.#closed && this.#ttlMs > 0) this.#store(key, answers);
        for (const waiter of flight.waiters) {
          if (!waiter.future.done()) waiter.future.setResult(withPort(answers, waiter.port));
        }
      } else {
        for (const waiter of flight.waiters) {
          if (!waiter.future.done()) waiter.future.setException(error);
        }
      }
    });
    return flight;
  }

  #store(key: string, answers: Entry['answers']): void {
    this.#cache.delete(key);
    this.#cache.set(key, { answers, expires: currentLoop().time() + this.#ttlMs });
    while (this.#cache.size > this.#maxEntries) {
      this.#cache.delete(this.#cache.keys().next().value!);
    }
  }
}
