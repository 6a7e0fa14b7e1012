import net from 'node:net';
import tls from 'node:tls';
import { type Future, HTTPClientError, HTTPTimeoutError } from '@gust/core';
import { openTunnel, type ProxySettings } from './proxy.js';
import { isResolverError, type ResolvedAddress, type Resolver } from './resolver.js';
import { tlsFailure } from './transport-errors.js';

/** What every connection made for one group of requests shares: address family, timeout, TLS and proxy. */
export interface ConnectionSettings {
  /** `allowIpv6: false` resolves for IPv4 only (Tornado: `socket.AF_INET`). */
  allowIpv6: boolean;
  /** Milliseconds for resolving, connecting, the proxy tunnel and the TLS handshake together; 0: none. */
  connectTimeout: number;
  /** TLS options for `https:` targets. */
  tls: tls.ConnectionOptions | undefined;
  /** Connect through this proxy with a CONNECT tunnel (Tornado's curl transport does so for `https:`). */
  tunnel: ProxySettings | undefined;
}

/** The origin undici asks a connection for (the `connect` option of its dispatchers). */
interface ConnectTarget {
  protocol: string;
  /** The host name or IP literal, IPv6 without brackets. */
  hostname: string;
  /** The port of the URL, `''` for the scheme's default. */
  port: string | number;
}

/** A connector for undici's `connect` option. */
export type Connector = (
  options: ConnectTarget,
  callback: (error: Error | null, socket: net.Socket | null) => void,
) => void;

const KEEP_ALIVE_INITIAL_DELAY = 60_000;
const MAX_CACHED_SESSIONS = 100;

/**
 * A connector for undici that resolves the host through gust's {@link Resolver} (not undici's own
 * `dns.lookup`), tries each address in turn, then opens the proxy tunnel and the TLS session. The whole
 * of it is bounded by `connectTimeout`, which fails every request waiting for the connection with
 * `HTTPTimeoutError('Timeout while connecting')`, separately from `requestTimeout`.
 * TLS sessions are kept per host and resumed by later connections.
 * @internal
 */
export function createConnector(settings: ConnectionSettings, resolver: () => Resolver): Connector {
  const sessions = new Map<string, Buffer>();
  return (target, callback) => {
    const port = Number(target.port) || (target.protocol === 'https:' ? 443 : 80);
    new ConnectAttempt(
      settings,
      target.protocol,
      target.hostname,
      port,
      resolver(),
      sessions,
      callback,
    ).start();
  };
}

/** One connection being opened: resolve, connect (address after address), tunnel, TLS. */
class ConnectAttempt {
  readonly #settings: ConnectionSettings;
  readonly #protocol: string;
  readonly #host: string;
  readonly #port: number;
  readonly #resolver: Resolver;
  readonly #sessions: Map<string, Buffer>;
  #callback: ((error: Error | null, socket: net.Socket | null) => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #lookup: Future<ResolvedAddress[]> | undefined;
  #socket: net.Socket | undefined;

  constructor(
    settings: ConnectionSettings,
    protocol: string,
    host: string,
    port: number,
    resolver: Resolver,
    sessions: Map<string, Buffer>,
    callback: (error: Error | null, socket: net.Socket | null) => void,
  ) {
    this.#settings = settings;
    this.#protocol = protocol;
    this.#host = host;
    this.#port = port;
    this.#resolver = resolver;
    this.#sessions = sessions;
    this.#callback = callback;
  }

  start(): void {
    const settings = this.#settings;
    const limit = settings.connectTimeout;
    if (limit > 0 && limit !== Number.POSITIVE_INFINITY) {
      this.#timer = setTimeout(
        () => this.#fail(new HTTPTimeoutError('Timeout while connecting', { phase: 'connect' })),
        Math.min(limit, 2_147_483_647),
      );
    }
    // Through a proxy, it is the proxy's name that this machine resolves; the proxy resolves the target's.
    const target = settings.tunnel ?? { host: this.#host, port: this.#port };
    let lookup: Future<ResolvedAddress[]>;
    try {
      lookup = this.#resolver.resolve(target.host, target.port, settings.allowIpv6 ? 0 : 4);
    } catch (error) {
      this.#fail(error);
      return;
    }
    this.#lookup = lookup;
    lookup.then(
      (addresses) => {
        this.#lookup = undefined;
        if (this.#callback !== undefined) this.#connect(addresses, 0, undefined);
      },
      (error: unknown) => {
        this.#lookup = undefined;
        this.#fail(error);
      },
    );
  }

  #connect(addresses: ResolvedAddress[], index: number, previous: unknown): void {
    const address = addresses[index];
    if (address === undefined) {
      this.#fail(previous);
      return;
    }
    const settings = this.#settings;
    const direct = settings.tunnel === undefined && this.#protocol === 'https:';
    // The buffer sizes of undici's own connector: a 16 KiB default would stop reading from the kernel after
    // every 16 KiB of a large body. (Node's typings omit the stream option.)
    const socket = direct
      ? tls.connect({
          highWaterMark: 16 * 1024,
          ...settings.tls,
          host: address.address,
          port: address.port,
          servername: serverName(this.#host),
          session: this.#sessions.get(this.#host),
          ALPNProtocols: ['http/1.1'],
        } as tls.ConnectionOptions)
      : net.connect({
          highWaterMark: 64 * 1024,
          host: address.address,
          port: address.port,
        } as net.NetConnectOpts);
    this.#socket = socket;
    const onError = (error: Error): void => {
      socket.removeListener(direct ? 'secureConnect' : 'connect', onConnect);
      socket.destroy();
      if (this.#callback === undefined) return;
      this.#socket = undefined;
      // A TLS failure is about the server, not the address: trying its other addresses would not help.
      if (direct && isTLSError(error)) this.#fail(tlsFailure(error, this.#host));
      else this.#connect(addresses, index + 1, error);
    };
    const onConnect = (): void => {
      socket.removeListener('error', onError);
      if (this.#callback === undefined) {
        socket.destroy();
        return;
      }
      if (direct) this.#keepSession(socket as tls.TLSSocket);
      if (settings.tunnel === undefined) this.#succeed(socket);
      else this.#tunnel(socket, settings.tunnel);
    };
    socket.once('error', onError);
    socket.once(direct ? 'secureConnect' : 'connect', onConnect);
  }

  #tunnel(socket: net.Socket, proxy: ProxySettings): void {
    const settings = this.#settings;
    openTunnel(socket, proxy, `${hostForAuthority(this.#host)}:${this.#port}`, (error) => {
      if (this.#callback === undefined) {
        socket.destroy();
        return;
      }
      if (error !== undefined) {
        socket.destroy();
        this.#fail(error);
        return;
      }
      if (this.#protocol !== 'https:') {
        this.#succeed(socket);
        return;
      }
      const secure = tls.connect({
        ...settings.tls,
        socket,
        servername: serverName(this.#host),
        session: this.#sessions.get(this.#host),
        ALPNProtocols: ['http/1.1'],
      });
      this.#socket = secure;
      secure.once('error', (failure) => {
        secure.destroy();
        this.#fail(isTLSError(failure) ? tlsFailure(failure, this.#host) : failure);
      });
      secure.once('secureConnect', () => {
        secure.removeAllListeners('error');
        this.#keepSession(secure);
        this.#succeed(secure);
      });
    });
  }

  #keepSession(socket: tls.TLSSocket): void {
    const sessions = this.#sessions;
    const host = this.#host;
    socket.on('session', (value: Buffer) => {
      sessions.delete(host);
      if (sessions.size >= MAX_CACHED_SESSIONS) {
        const oldest = sessions.keys().next();
        if (oldest.done !== true) sessions.delete(oldest.value);
      }
      sessions.set(host, value);
    });
  }

  #succeed(socket: net.Socket): void {
    const callback = this.#callback;
    if (callback === undefined) return;
    this.#callback = undefined;
    this.#socket = undefined;
    this.#clearTimer();
    // What undici's own connector does: no Nagle delay, and keep-alive probes on pooled connections.
    socket.setNoDelay(true);
    socket.setKeepAlive(true, KEEP_ALIVE_INITIAL_DELAY);
    callback(null, socket);
  }

  #fail(error: unknown): void {
    const callback = this.#callback;
    if (callback === undefined) return;
    this.#callback = undefined;
    this.#clearTimer();
    this.#lookup?.cancel();
    this.#lookup = undefined;
    this.#socket?.destroy();
    this.#socket = undefined;
    callback(connectFailure(error), null);
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

/** The failure of a connection attempt as the error every request waiting for it gets. */
function connectFailure(error: unknown): Error {
  if (error instanceof HTTPClientError) return error;
  if (isResolverError(error)) {
    return new HTTPClientError(599, error.message, undefined, { cause: error });
  }
  if (error instanceof Error) return error;
  return new HTTPClientError(599, `Connection failed: ${String(error)}`, undefined, { cause: error });
}

/** SNI takes host names only: an IP literal is checked against the certificate's IP addresses instead. */
function serverName(host: string): string | undefined {
  return net.isIP(host) === 0 ? host : undefined;
}

/** `host` as it appears in an authority (`[::1]` for IPv6). */
export function hostForAuthority(host: string): string {
  return net.isIP(host) === 6 ? `[${host}]` : host;
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);

function isTLSError(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  return (
    (typeof code === 'string' && (TLS_CODES.has(code) || code.startsWith('ERR_SSL_'))) ||
    (error as { library?: unknown }).library === 'SSL routines'
  );
}
