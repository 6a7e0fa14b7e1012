import { isIP } from 'node:net';
import { defineErrorBrand, Future, GustError, type GustErrorOptions, InvalidStateError } from '@gust/core';

/**
 * The address family a caller asks for: `0` for any (Tornado: `socket.AF_UNSPEC`), `4` or `6`.
 * @example
 * const v6only = yield* Resolver.current().resolve('localhost', 443, 6);
 */
export type AddressFamily = 0 | 4 | 6;

/**
 * One answer of {@link Resolver.resolve}: an address and the port to connect to.
 * @example
 * const [first]: ResolvedAddress[] = yield* resolver.resolve('example.com', 443);
 * console.log(first?.family, first?.address, first?.port); // 4 '93.184.215.14' 443
 */
export interface ResolvedAddress {
  /** `4` for IPv4, `6` for IPv6. */
  family: 4 | 6;
  /** The numeric address, e.g. `'127.0.0.1'` or `'::1'`. */
  address: string;
  /** The port passed to `resolve()` (or the one an {@link OverrideResolver} mapping substituted). */
  port: number;
}

/**
 * Options of {@link ResolverError}.
 * @example
 * throw new ResolverError('example.invalid', { code: 'ENOTFOUND', cause: error });
 */
export interface ResolverErrorOptions extends GustErrorOptions {
  /** The system or c-ares error code, e.g. `'ENOTFOUND'`; taken from `cause.code` when omitted. */
  code?: string;
  /** What went wrong; taken from `cause.message` when omitted. */
  detail?: string;
}

/**
 * A host name could not be resolved. The message names the host; `code` keeps the underlying code
 * (`'ENOTFOUND'`: no such name, `'ENODATA'`: no address of the requested family, `'ETIMEOUT'`, …) and
 * `cause` the original error of `dns.lookup` or c-ares.
 * @remarks Tornado: resolvers let `socket.gaierror` (or pycares' error) escape; gust wraps every resolver
 * failure in this one type so that callers (the HTTP transport) can tell DNS failures apart.
 * @example
 * resolver.resolve('nope.invalid', 80).catch((e) => { if (isResolverError(e)) console.log(e.host, e.code); });
 */
export class ResolverError extends GustError {
  override name = 'ResolverError';
  /** The host name that could not be resolved. */
  readonly host: string;
  /** The underlying error code, e.g. `'ENOTFOUND'`, or `undefined` if there was none. */
  readonly code: string | undefined;

  constructor(host: string, options: ResolverErrorOptions = {}) {
    const cause = options.cause as { code?: unknown; message?: unknown } | undefined;
    const code = options.code ?? (typeof cause?.code === 'string' ? cause.code : undefined);
    const detail =
      options.detail ?? (typeof cause?.message === 'string' ? cause.message : 'no address found');
    super(
      `Cannot resolve host "${host}"${code === undefined ? '' : ` (${code})`}: ${detail}`,
      'cause' in options ? { cause: options.cause } : undefined,
    );
    this.host = host;
    this.code = code;
  }
}

/**
 * True for a {@link ResolverError} from any copy of the package.
 * @example
 * client.fetch(url).catch((e) => {
 *   if (isResolverError(e.cause)) console.log('DNS failed:', e.cause.code);
 *   throw e;
 * });
 */
export const isResolverError = defineErrorBrand<ResolverError>(ResolverError, 'ResolverError');

/**
 * A class that {@link Resolver.configure} can construct, with its options.
 * @example
 * Resolver.configure(ThreadedResolver, { numThreads: 2 } satisfies ThreadedResolverOptions);
 */
export type ResolverConstructor<O = any> = new (options?: O) => Resolver;

let createDefault: (() => Resolver) | undefined;
let configured: { impl: Resolver | ResolverConstructor; options: unknown } | undefined;
let instance: Resolver | undefined;
// True when `instance` was constructed here (and so is ours to close), false when the user passed it.
let owned = false;

/**
 * Turns host names into addresses: `resolve(host, port, family)` gives a Future of every address to try,
 * in order. Implementations: {@link DefaultResolver} (`dns.lookup`), {@link ThreadedResolver},
 * {@link CaresResolver}, {@link OverrideResolver}, {@link CachingResolver}, {@link BlockingResolver}.
 * `Resolver.current()` is the one the HTTP transport uses; `Resolver.configure()` changes it.
 *
 * The Future of `resolve()` settles on a later microtask or turn (so it can always be cancelled), except
 * with {@link BlockingResolver}, which by design finishes before `resolve()` returns.
 * @remarks Tornado: `tornado.netutil.Resolver`, a `Configurable`: `Resolver.configure(cls, **kwargs)` then
 * `Resolver()`. gust keeps one process-wide instance instead, read with `Resolver.current()`.
 * @example
 * const addresses = await Resolver.current().resolve('localhost', 8080);
 * // [{ family: 4, address: '127.0.0.1', port: 8080 }]
 */
export abstract class Resolver {
  /**
   * Resolves `host` to the addresses to connect to, each carrying `port`.
   * @param host - A host name or an IP literal (returned as is).
   * @param port - The port to put in every answer (0–65535).
   * @param family - `4`, `6`, or `0` (the default) for both.
   * @returns A Future of a non-empty list; it rejects with {@link ResolverError} (naming the host) when
   * nothing was found. Cancelling it drops the answer (and, where the implementation can, the query).
   * @throws TypeError or RangeError, synchronously, for an invalid host, port or family.
   */
  abstract resolve(host: string, port: number, family?: AddressFamily): Future<ResolvedAddress[]>;

  /** Frees the resources of the resolver (threads, sockets, caches). Calling it twice is harmless. */
  close(): void {}

  /**
   * Chooses the resolver that {@link Resolver.current} returns: an instance (used as is, never closed by
   * gust), a class (constructed with `options` on first use, closed when reconfigured), or `null` to go
   * back to {@link DefaultResolver}.
   * @example
   * Resolver.configure(ThreadedResolver, { numThreads: 2 });
   * Resolver.configure(new OverrideResolver(new DefaultResolver(), { 'api.test': '127.0.0.1' }));
   */
  static configure(impl: Resolver | null): void;
  static configure<O>(impl: ResolverConstructor<O>, options?: O): void;
  static configure(impl: Resolver | ResolverConstructor | null, options?: unknown): void {
    if (impl !== null && !(impl instanceof Resolver) && typeof impl !== 'function') {
      throw new TypeError('Resolver.configure() takes a Resolver instance, a Resolver class or null');
    }
    if (owned) instance?.close();
    instance = undefined;
    owned = false;
    configured = impl === null ? undefined : { impl, options };
  }

  /**
   * The configured resolver: the one passed to {@link Resolver.configure}, or a shared
   * {@link DefaultResolver}. Created on first use and kept until the next `configure()`.
   * @example
   * const future = Resolver.current().resolve('example.com', 443);
   */
  static current(): Resolver {
    if (instance !== undefined) return instance;
    if (configured === undefined) {
      if (createDefault === undefined) {
        throw new GustError(
          'No default resolver is registered: import DefaultResolver from @gust/node-adapter',
        );
      }
      instance = createDefault();
      owned = true;
    } else if (configured.impl instanceof Resolver) {
      instance = configured.impl;
      owned = false;
    } else {
      instance = new configured.impl(configured.options);
      owned = true;
    }
    return instance;
  }
}

/**
 * `default-resolver.ts` registers {@link DefaultResolver} here: importing it from this module would be an
 * import cycle in which `DefaultResolver extends Resolver` could run before `Resolver` exists.
 * @internal
 */
export function registerDefaultResolver(factory: () => Resolver): void {
  createDefault = factory;
}

/** Throws for arguments no resolver can use; every implementation calls it first. @internal */
export function checkResolveArgs(host: unknown, port: unknown, family: unknown): void {
  if (typeof host !== 'string' || host === '') {
    throw new TypeError(`resolve(): host must be a non-empty string, got ${JSON.stringify(host)}`);
  }
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`resolve(): port must be an integer from 0 to 65535, got ${String(port)}`);
  }
  if (family !== 0 && family !== 4 && family !== 6) {
    throw new TypeError(`resolve(): family must be 0, 4 or 6, got ${String(family)}`);
  }
}

/**
 * Turns `{ address, family }` answers into {@link ResolvedAddress}es with `port`, keeping only the requested
 * family; throws a {@link ResolverError} (`ENODATA`) if nothing is left. @internal
 */
export function toResolved(
  host: string,
  answers: ReadonlyArray<{ address: string; family: number }>,
  port: number,
  family: AddressFamily,
): ResolvedAddress[] {
  const result: ResolvedAddress[] = [];
  for (const { address } of answers) {
    // The family is taken from the address itself: `dns.lookup` answers an IP literal with its own
    // family whatever was asked, and Tornado's getaddrinfo would refuse such a mismatch.
    const kind = isIP(address);
    if (kind === 0 || (family !== 0 && kind !== family)) continue;
    result.push({ family: kind as 4 | 6, address, port });
  }
  if (result.length === 0) {
    throw new ResolverError(host, {
      code: 'ENODATA',
      detail: family === 0 ? 'no address found' : `no IPv${family} address found`,
    });
  }
  return result;
}

/** Wraps any failure of a lookup in a {@link ResolverError} naming `host` (kept as is if it is one). @internal */
export function toResolverError(host: string, error: unknown): ResolverError {
  return isResolverError(error) ? error : new ResolverError(host, { cause: error });
}

/** A Future that rejects on a later microtask, for errors found before any work started. @internal */
export function rejectSoon<T>(error: unknown): Future<T> {
  const future = new Future<T>();
  queueMicrotask(() => {
    if (!future.done()) future.setException(error);
  });
  return future;
}

/** A Future that fulfils on a later microtask: answers known at once still settle asynchronously. @internal */
export function resolveSoon<T>(value: T): Future<T> {
  const future = new Future<T>();
  queueMicrotask(() => {
    if (!future.done()) future.setResult(value);
  });
  return future;
}

/** The error of `resolve()` on a resolver after its `close()`. @internal */
export function closedError(name: string): InvalidStateError {
  return new InvalidStateError(`${name} is closed: create a new one to resolve again`);
}
