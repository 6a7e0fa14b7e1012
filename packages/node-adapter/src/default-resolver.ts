import dns, { type LookupAddress } from 'node:dns';
import { Future } from '@gust/core';
import {
  type AddressFamily,
  checkResolveArgs,
  type ResolvedAddress,
  Resolver,
  type ResolverError,
  registerDefaultResolver,
  toResolved,
  toResolverError,
} from './resolver.js';

/**
 * A `dns.lookup`-compatible function (`all: true` form): what {@link DefaultResolver} and
 * {@link ThreadedResolver} call to resolve a name. Inject one to resolve from a table, to make lookups slow
 * in tests, or to add tracing.
 * @example
 * const traced: LookupFunction = (hostname, options, callback) => {
 *   console.log('resolving', hostname);
 *   dns.lookup(hostname, options, callback);
 * };
 * const resolver = new DefaultResolver({ lookup: traced });
 */
export type LookupFunction = (
  hostname: string,
  options: { family: AddressFamily; all: true },
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/**
 * Options of {@link DefaultResolver}.
 * @example
 * const resolver = new DefaultResolver({ lookup: (host, options, cb) => dns.lookup(host, options, cb) });
 */
export interface DefaultResolverOptions {
  /** The lookup to call. @default `dns.lookup` (read at call time, so it can be spied on) */
  lookup?: LookupFunction;
}

const systemLookup: LookupFunction = (hostname, options, callback) => dns.lookup(hostname, options, callback);

/**
 * Calls `lookup` for `host` and reports once through `done`, always asynchronously (a lookup function
 * that answers synchronously is deferred to a microtask). Errors become {@link ResolverError}s. @internal
 */
export function runLookup(
  lookup: LookupFunction,
  host: string,
  port: number,
  family: AddressFamily,
  done: (error: ResolverError | undefined, addresses?: ResolvedAddress[]) => void,
): void {
  let sync = true;
  let reported = false;
  const report = (error: ResolverError | undefined, addresses?: ResolvedAddress[]): void => {
    if (reported) return;
    reported = true;
    if (sync) queueMicrotask(() => done(error, addresses));
    else done(error, addresses);
  };
  try {
    lookup(host, { family, all: true }, (error, addresses) => {
      if (error) return report(toResolverError(host, error));
      try {
        report(undefined, toResolved(host, addresses ?? [], port, family));
      } catch (failure) {
        report(toResolverError(host, failure));
      }
    });
  } catch (error) {
    // dns.lookup throws synchronously for arguments it rejects (e.g. a host with a NUL byte).
    report(toResolverError(host, error));
  }
  sync = false;
}

/**
 * The default resolver: `dns.lookup`, i.e. the system's `getaddrinfo` (hosts file, nsswitch, search
 * domains) on libuv's thread pool, with no limit of its own on concurrent lookups.
 *
 * Cancelling the Future drops the answer; the `getaddrinfo` call itself cannot be interrupted and runs to
 * completion on its thread. `close()` does nothing: the resolver holds no resources and stays usable.
 * @remarks Tornado: `tornado.netutil.DefaultExecutorResolver` / `DefaultLoopResolver` (the default
 * resolver, `socket.getaddrinfo` off the loop thread).
 * @example
 * const addresses = await new DefaultResolver().resolve('localhost', 80, 4);
 */
export class DefaultResolver extends Resolver {
  readonly #lookup: LookupFunction;

  constructor(options: DefaultResolverOptions = {}) {
    super();
    this.#lookup = options.lookup ?? systemLookup;
  }

  resolve(host: string, port: number, family: AddressFamily = 0): Future<ResolvedAddress[]> {
    checkResolveArgs(host, port, family);
    const future = new Future<ResolvedAddress[]>();
    runLookup(this.#lookup, host, port, family, (error, addresses) => {
      // A cancelled lookup's late answer (or failure) is dropped without a report: nobody wants it.
      if (future.done()) return;
      if (error) future.setException(error);
      else future.setResult(addresses!);
    });
    return future;
  }
}

registerDefaultResolver(() => new DefaultResolver());
