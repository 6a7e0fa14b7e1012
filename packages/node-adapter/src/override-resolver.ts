import { isIP } from 'node:net';
import type { Future } from '@gust/core';
import { type AddressFamily, checkResolveArgs, type ResolvedAddress, Resolver } from './resolver.js';

/**
 * Where an {@link OverrideResolver} key sends a lookup: a new host (same port), or a host and a port.
 * @example
 * new OverrideResolver(new DefaultResolver(), {
 *   'api.example.com': '127.0.0.1',
 *   'cdn.example.com:443': ['127.0.0.1', 8443],
 * });
 */
export type OverrideTarget = string | readonly [host: string, port: number];

/**
 * The mapping of an {@link OverrideResolver}. Keys take Tornado's three forms: `'host'`, `'host:port'` and
 * `'host:port:family'` (family `4`, `6`, or `0` for requests that asked for any); an IPv6 literal is
 * written bare (`'::1'`) or in brackets when a port follows (`'[::1]:443:6'`).
 * @example
 * const mapping: OverrideMapping = {
 *   'example.com': '127.0.0.1', // any port, any family
 *   'example.com:443': ['127.0.0.1', 8443], // port 443 only
 *   'example.com:443:6': ['::1', 8443], // port 443, IPv6 requests only
 * };
 */
export type OverrideMapping = Readonly<Record<string, OverrideTarget>> | ReadonlyMap<string, OverrideTarget>;

interface Target {
  host: string;
  port: number | undefined;
}

/**
 * Sends chosen lookups elsewhere, then resolves through another resolver: for tests (point
 * `www.example.com` at a local server, no DNS involved when the target is an IP literal), for local
 * development, and to pin a host to an address. The most specific key wins: `'host:port:family'`, then
 * `'host:port'`, then `'host'`; unmapped lookups pass through unchanged. Host names match
 * case-insensitively. `close()` closes the wrapped resolver.
 * @remarks Tornado: `tornado.netutil.OverrideResolver(resolver, mapping)`, whose keys are tuples
 * (`(host, port)`, `(host, port, family)`); gust writes them as strings, and any key may map to either form
 * of target.
 * @example
 * const resolver = new OverrideResolver(new DefaultResolver(), {
 *   'www.example.com': '127.0.0.1',
 *   'api.example.com:443': ['127.0.0.1', 8443],
 *   'login.example.com:443:6': ['::1', 8443],
 * });
 */
export class OverrideResolver extends Resolver {
  readonly #resolver: Resolver;
  readonly #mapping = new Map<string, Target>();

  constructor(resolver: Resolver, mapping: OverrideMapping) {
    super();
    if (!(resolver instanceof Resolver)) throw new TypeError('OverrideResolver: resolver must be a Resolver');
    this.#resolver = resolver;
    const entries = mapping instanceof Map ? mapping.entries() : Object.entries(mapping);
    for (const [key, value] of entries) this.#mapping.set(parseKey(key), parseTarget(key, value));
  }

  /** The resolver that answers after the mapping is applied. */
  get resolver(): Resolver {
    return this.#resolver;
  }

  resolve(host: string, port: number, family: AddressFamily = 0): Future<ResolvedAddress[]> {
    checkResolveArgs(host, port, family);
    const name = host.toLowerCase();
    const target =
      this.#mapping.get(`${name} ${port} ${family}`) ??
      this.#mapping.get(`${name} ${port}`) ??
      this.#mapping.get(name);
    if (target === undefined) return this.#resolver.resolve(host, port, family);
    return this.#resolver.resolve(target.host, target.port ?? port, family);
  }

  override close(): void {
    this.#resolver.close();
  }
}

// Canonical form of a key: the lower-cased host, then port and family, separated by spaces (which no
// host name or IPv6 literal contains).
function parseKey(key: string): string {
  const bad = (why: string): TypeError =>
    new TypeError(
      `OverrideResolver: invalid key ${JSON.stringify(key)}: ${why} (use 'host', 'host:port' or 'host:port:family')`,
    );
  let host: string;
  let rest: string[];
  if (key.startsWith('[')) {
    const end = key.indexOf(']');
    if (end === -1 || (end + 1 < key.length && key[end + 1] !== ':')) throw bad('unclosed [');
    host = key.slice(1, end);
    if (isIP(host) !== 6) throw bad('brackets must hold an IPv6 address');
    rest = end + 1 < key.length ? key.slice(end + 2).split(':') : [];
  } else if (isIP(key) === 6) {
    host = key;
    rest = [];
  } else {
    [host = '', ...rest] = key.split(':');
  }
  if (host === '') throw bad('empty host');
  if (rest.length > 2) throw bad('too many parts');
  const [port, family] = rest;
  const parts = [host.toLowerCase()];
  if (port !== undefined) {
    if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) throw bad(`port ${JSON.stringify(port)}`);
    parts.push(String(Number(port)));
  }
  if (family !== undefined) {
    if (family !== '0' && family !== '4' && family !== '6') throw bad(`family must be 0, 4 or 6`);
    parts.push(family);
  }
  return parts.join(' ');
}

function parseTarget(key: string, value: OverrideTarget): Target {
  const bad = (): TypeError =>
    new TypeError(
      `OverrideResolver: the target of ${JSON.stringify(key)} must be 'host' or ['host', port], got ${JSON.stringify(value)}`,
    );
  if (typeof value === 'string') {
    if (value === '') throw bad();
    return { host: value, port: undefined };
  }
  if (!Array.isArray(value) || value.length !== 2) throw bad();
  const [host, port] = value as [unknown, unknown];
  if (typeof host !== 'string' || host === '') throw bad();
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) throw bad();
  return { host, port };
}
