import dns from 'node:dns';
import { isIP } from 'node:net';
import { Future } from '@gust/core';
import {
  type AddressFamily,
  checkResolveArgs,
  closedError,
  type ResolvedAddress,
  Resolver,
  ResolverError,
  rejectSoon,
  resolveSoon,
  toResolved,
  toResolverError,
} from './resolver.js';

/**
 * Options of {@link CaresResolver}.
 * @example
 * const resolver = new CaresResolver({ servers: ['127.0.0.1:5353'], timeoutMs: 500, tries: 2 });
 */
export interface CaresResolverOptions {
  /**
   * The nameservers to ask, as `dns.setServers()` takes them: `'1.2.3.4'`, `'1.2.3.4:5353'`,
   * `'[::1]:5353'`. Invalid entries throw at construction.
   * @default the system's nameservers (`/etc/resolv.conf`)
   */
  servers?: readonly string[];
  /** Milliseconds to wait for an answer before trying again (c-ares doubles it on each try). @default c-ares' own */
  timeoutMs?: number;
  /** How many times to ask each server before failing with `ETIMEOUT`. @default 4 */
  tries?: number;
}

interface Call {
  future: Future<ResolvedAddress[]>;
  // Queries of this call still on the channel (two for family 0).
  outstanding: number;
}

type Answer = { addresses: string[] } | { error: NodeJS.ErrnoException };

/**
 * Asks DNS servers directly with c-ares (`dns.Resolver`, Node's built-in asynchronous DNS client): no
 * thread pool involved, so any number of slow queries costs no thread. Like `dns.resolve4/6`, it does not
 * read `/etc/hosts`; IP literals are answered as they are and `localhost` names (RFC 6761) with the
 * loopback addresses, without a query. Family `0` asks for A and AAAA at once and lists IPv4 first.
 *
 * Cancellation: c-ares can only cancel every query of a channel at once (`dns.Resolver#cancel()`). Each
 * `CaresResolver` has one channel; cancelling a resolve drops its answer, and as soon as no uncancelled
 * resolve is left on the channel the channel is cancelled, which frees its sockets and timers. Queries of
 * other callers are never cut short. `close()` cancels every pending resolve and the channel;
 * `resolve()` after it rejects with `InvalidStateError`.
 * @remarks Tornado: `tornado.platform.caresresolver.CaresResolver` (pycares, deprecated in Tornado 6.2),
 * which uses `gethostbyname` and so reads the hosts file; Node's c-ares binding exposes only queries.
 * @example
 * const resolver = new CaresResolver({ servers: ['1.1.1.1'], timeoutMs: 2000, tries: 2 });
 * const addresses = await resolver.resolve('example.com', 443);
 */
export class CaresResolver extends Resolver {
  readonly #channel: dns.Resolver;
  readonly #calls = new Set<Call>();
  // Queries on the channel, including those of cancelled calls.
  #outstanding = 0;
  #closed = false;

  constructor(options: CaresResolverOptions = {}) {
    super();
    this.#channel = new dns.Resolver({
      ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
      ...(options.tries === undefined ? {} : { tries: options.tries }),
    });
    if (options.servers !== undefined) this.#channel.setServers([...options.servers]);
  }

  /** The nameservers this resolver asks, in `dns.getServers()` form. */
  getServers(): string[] {
    return this.#channel.getServers();
  }

  resolve(host: string, port: number, family: AddressFamily = 0): Future<ResolvedAddress[]> {
    checkResolveArgs(host, port, family);
    if (this.#closed) return rejectSoon(closedError('CaresResolver'));
    const local = localAnswer(host);
    if (local !== undefined) {
      try {
        return resolveSoon(toResolved(host, local, port, family));
      } catch (error) {
        return rejectSoon(error);
      }
    }

    const call: Call = {
      outstanding: 0,
      future: new Future<ResolvedAddress[]>({
        onCancel: () => {
          this.#calls.delete(call);
          this.#cancelChannelIfUnwanted();
        },
      }),
    };
    this.#calls.add(call);
    const types: Array<4 | 6> = family === 0 ? [4, 6] : [family];
    const answers = new Map<4 | 6, Answer>();
    for (const type of types) {
      call.outstanding++;
      this.#outstanding++;
      const method = type === 4 ? 'resolve4' : 'resolve6';
      this.#channel[method](host, (error: NodeJS.ErrnoException | null, addresses: string[]) => {
        call.outstanding--;
        this.#outstanding--;
        answers.set(type, error ? { error } : { addresses });
        if (call.outstanding === 0) {
          this.#calls.delete(call);
          if (!call.future.done()) settle(call.future, host, port, types, answers);
        }
        this.#cancelChannelIfUnwanted();
      });
    }
    return call.future;
  }

  override close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const call of [...this.#calls]) call.future.cancel();
    this.#channel.cancel();
  }

  // c-ares' cancel() ends every query of the channel, so it is only used once nobody waits for any.
  #cancelChannelIfUnwanted(): void {
    if (this.#calls.size === 0 && this.#outstanding > 0) this.#channel.cancel();
  }
}

function settle(
  future: Future<ResolvedAddress[]>,
  host: string,
  port: number,
  types: Array<4 | 6>,
  answers: Map<4 | 6, Answer>,
): void {
  const found: Array<{ address: string; family: number }> = [];
  let error: NodeJS.ErrnoException | undefined;
  for (const type of types) {
    const answer = answers.get(type)!;
    if ('addresses' in answer) {
      for (const address of answer.addresses) found.push({ address, family: type });
    } else if (error === undefined || error.code === 'ENODATA') {
      // With both families asked, "no such name" or a timeout says more than "no record of this type".
      error = answer.error;
    }
  }
  if (found.length > 0) {
    future.setResult(found.map(({ address, family }) => ({ family: family as 4 | 6, address, port })));
  } else if (error !== undefined) {
    future.setException(toResolverError(host, error));
  } else {
    future.setException(new ResolverError(host, { code: 'ENODATA', detail: 'no address found' }));
  }
}

/** Answers that need no query: IP literals, and `localhost` names per RFC 6761 §6.3. */
function localAnswer(host: string): Array<{ address: string; family: number }> | undefined {
  const kind = isIP(host);
  if (kind !== 0) return [{ address: host, family: kind }];
  const name = host.toLowerCase().replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) {
    return [
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ];
  }
  return undefined;
}
