import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import {
  type ExchangeHandler,
  Future,
  HTTPClientError,
  type HTTPRequest,
  InvalidStateError,
  type Transport,
} from '@gust/core';
import { Agent, type Dispatcher } from 'undici';
import { ACCEPT_ENCODING } from './decompress.js';
import { type ExpectContinueControls, expectContinueExchange } from './expect-continue.js';
import { type ConnectionSettings, createConnector } from './node-connector.js';
import { NodeExchange } from './node-exchange.js';
import { type OverrideMapping, OverrideResolver } from './override-resolver.js';
import { producerBody } from './producer-body.js';
import { type ProxySettings, proxyOf } from './proxy.js';
import { type AddressFamily, type ResolvedAddress, Resolver } from './resolver.js';

/**
 * Options of {@link NodeTransport}.
 * @example
 * AsyncHTTPClient.configure(
 *   new NodeTransport({ hostnameMapping: { 'api.example.com': '127.0.0.1' }, maxConnectionsPerOrigin: 8 }),
 * );
 */
export interface NodeTransportOptions {
  /**
   * The resolver that turns host names into addresses for new connections.
   * @default `Resolver.current()`, read for each new connection (so `Resolver.configure()` applies)
   */
  resolver?: Resolver;
  /**
   * Host names (or `host:port`, `host:port:family`) sent elsewhere before resolving, as an
   * {@link OverrideResolver} mapping: `{ 'www.example.com': '127.0.0.1' }`. Tornado: `hostname_mapping`.
   * @default none
   */
  hostnameMapping?: OverrideMapping;
  /** The most connections per origin; requests beyond wait inside the transport. @default no limit (the client's `maxClients` bounds them) */
  maxConnectionsPerOrigin?: number;
  /** Milliseconds an idle keep-alive connection is kept open (a server's `Keep-Alive: timeout` can lower it). @default 4000 */
  keepAliveTimeout?: number;
  /** The `User-Agent` sent when a request sets none. @default 'gust' */
  userAgent?: string;
}

const DEFAULT_CONNECT_TIMEOUT = 20_000;

/** The parts of a request that decide which connections it may use. */
interface Route {
  /** The origin to dispatch to: the URL's, or the proxy's when an `http:` URL goes through a proxy. */
  origin: string;
  /** The request target: the path and query, or the absolute URL for a proxy. */
  path: string;
  proxy: ProxySettings | undefined;
}

/**
 * The Node transport of {@link @gust/core!AsyncHTTPClient | AsyncHTTPClient}, on undici (Node's own HTTP
 * engine): keep-alive connection pools per origin, host names resolved through gust's {@link Resolver} (with
 * `hostnameMapping`), `connectTimeout` separate from `requestTimeout`, redirects left to the client (and
 * its security rules), streaming, gzip/deflate/br decompression stopped at `maxBodySize`, TLS options
 * (`validateCert`, `caCerts`, `clientKey`/`clientCert`, as PEM text or file names), HTTP proxies
 * (`proxyHost`, `proxyPort`, `proxyUsername`, `proxyPassword`), `allowIpv6`, `expect100Continue` and
 * streamed `bodyProducer` uploads. Aborting an exchange destroys its connection, so nothing is left
 * half-read. Requests with the same TLS, proxy, family and connect-timeout options share connections.
 *
 * `install()` from `@gust/node-adapter` configures it for every `AsyncHTTPClient`.
 * @remarks Tornado: `SimpleAsyncHTTPClient` / `CurlAsyncHTTPClient` (options `hostname_mapping`,
 * `max_clients` is the client's). Like curl, it sends `http:` URLs to a proxy as absolute URLs and tunnels
 * `https:` ones with `CONNECT`.
 * @example
 * AsyncHTTPClient.configure(new NodeTransport());
 */
export class NodeTransport implements Transport {
  readonly followsRedirects = false;
  readonly #resolver: () => Resolver;
  readonly #agentOptions: Agent.Options;
  readonly #userAgent: string;
  #default: Agent | undefined;
  readonly #agents = new Map<string, Agent>();
  // The expect100Continue exchanges, which run on connections of their own (see expect-continue.ts).
  readonly #ownConnections = new Set<ExpectContinueControls>();
  #closed: Future<void> | undefined;

  /**
   * @throws TypeError for an invalid `hostnameMapping`; RangeError for an invalid number option.
   */
  constructor(options: NodeTransportOptions = {}) {
    const base = options.resolver;
    const mapping = options.hostnameMapping;
    if (mapping !== undefined) {
      const mapped = new OverrideResolver(base ?? new CurrentResolver(), mapping);
      this.#resolver = () => mapped;
    } else if (base !== undefined) {
      this.#resolver = () => base;
    } else {
      this.#resolver = () => Resolver.current();
    }
    const connections = options.maxConnectionsPerOrigin;
    if (connections !== undefined && (!Number.isInteger(connections) || connections < 1)) {
      throw new RangeError(
        `maxConnectionsPerOrigin must be a whole number of at least 1, got ${connections}`,
      );
    }
    const keepAliveTimeout = options.keepAliveTimeout ?? 4000;
    if (typeof keepAliveTimeout !== 'number' || !(keepAliveTimeout > 0)) {
      throw new RangeError(
        `keepAliveTimeout must be a positive number of milliseconds, got ${keepAliveTimeout}`,
      );
    }
    this.#agentOptions = {
      connections: connections ?? null,
      pipelining: 1,
      keepAliveTimeout,
      // The client enforces requestTimeout; undici's own timeouts (300 s) must not cut it short.
      headersTimeout: 0,
      bodyTimeout: 0,
    };
    this.#userAgent = options.userAgent ?? 'gust';
  }

  exchange(request: HTTPRequest, handler: ExchangeHandler): (reason: Error) => void {
    if (this.#closed !== undefined) {
      queueMicrotask(() => handler.onError(new InvalidStateError('NodeTransport is closed')));
      return ignore;
    }
    let route: Route;
    let agent: Agent;
    try {
      route = routeOf(request);
      if (request.expect100Continue) return this.#expectContinue(request, handler, route);
      agent = this.#agentFor(request, route.proxy);
    } catch (error) {
      queueMicrotask(() => handler.onError(error));
      return ignore;
    }
    const exchange = new NodeExchange(request, handler);
    const options: Dispatcher.DispatchOptions = {
      origin: route.origin,
      path: route.path,
      method: request.method as Dispatcher.HttpMethod,
      headers: this.#headers(request, route.proxy),
      // undici streams any async iterable as a chunked body; its types only list streams.
      body:
        request.bodyProducer !== undefined
          ? (producerBody(request.bodyProducer) as unknown as Dispatcher.DispatchOptions['body'])
          : request.body,
    };
    agent.dispatch(options, exchange as unknown as Dispatcher.DispatchHandler);
    exchange.dispatched();
    return (reason) => exchange.abort(reason);
  }

  /**
   * Closes every connection: idle ones at once, busy ones when their exchange ends (`{ force: true }`
   * destroys them too, and their exchanges fail with `HTTPClientError(599, 'NodeTransport was closed')`).
   * Later exchanges fail. Resolves once all are closed.
   * @example
   * await transport.close();
   */
  close(options: { force?: boolean } = {}): Future<void> {
    if (this.#closed === undefined) {
      const agents = [...this.#agents.values()];
      if (this.#default !== undefined) agents.push(this.#default);
      this.#agents.clear();
      this.#default = undefined;
      if (options.force === true) {
        const error = new HTTPClientError(599, 'NodeTransport was closed');
        for (const exchange of this.#ownConnections) exchange.fail(error);
      }
      this.#closed = Future.from(
        Promise.all(agents.map((agent) => (options.force === true ? agent.destroy() : agent.close()))).then(
          () => undefined,
        ),
      );
    }
    return this.#closed;
  }

  #headers(request: HTTPRequest, proxy: ProxySettings | undefined): string[] {
    const headers = request.headers;
    const flat: string[] = [];
    let userAgent = false;
    let acceptEncoding = false;
    for (const [name, value] of headers) {
      flat.push(name, value);
      if (name.length === 10 && name === 'User-Agent') userAgent = true;
      else if (name.length === 15 && name === 'Accept-Encoding') acceptEncoding = true;
    }
    if (!userAgent) flat.push('User-Agent', this.#userAgent);
    // Tornado asks for gzip when it will decompress; gust also takes deflate and br.
    if (!acceptEncoding && request.decompressResponse) flat.push('Accept-Encoding', ACCEPT_ENCODING);
    if (proxy !== undefined && request.url.startsWith('http:')) {
      if (!headers.has('Host')) flat.push('Host', hostOf(request.url));
      if (proxy.authorization !== undefined && !headers.has('Proxy-Authorization')) {
        flat.push('Proxy-Authorization', proxy.authorization);
      }
    }
    return flat;
  }

  #agentFor(request: HTTPRequest, proxy: ProxySettings | undefined): Agent {
    const https = request.url.startsWith('https:');
    const tlsOptions =
      https && (!request.validateCert || request.caCerts !== undefined || request.clientCert !== undefined);
    // A proxy of an https: URL is part of the connection (a tunnel); an http: URL is sent to the proxy.
    const tunnel = https ? proxy : undefined;
    if (
      request.allowIpv6 &&
      request.connectTimeout === DEFAULT_CONNECT_TIMEOUT &&
      !tlsOptions &&
      request.clientKey === undefined &&
      tunnel === undefined
    ) {
      this.#default ??= this.#createAgent({
        allowIpv6: true,
        connectTimeout: DEFAULT_CONNECT_TIMEOUT,
        tls: undefined,
        tunnel: undefined,
      });
      return this.#default;
    }
    const key = [
      request.allowIpv6 ? 6 : 4,
      request.connectTimeout,
      https ? request.validateCert : '',
      https ? (request.caCerts ?? '') : '',
      https ? (request.clientKey ?? '') : '',
      https ? (request.clientCert ?? '') : '',
      tunnel?.key ?? '',
    ].join('\0');
    let agent = this.#agents.get(key);
    if (agent === undefined) {
      agent = this.#createAgent({
        allowIpv6: request.allowIpv6,
        connectTimeout: request.connectTimeout,
        tls: https ? tlsOptionsOf(request) : undefined,
        tunnel,
      });
      this.#agents.set(key, agent);
    }
    return agent;
  }

  #createAgent(settings: ConnectionSettings): Agent {
    return new Agent({ ...this.#agentOptions, connect: createConnector(settings, this.#resolver) as never });
  }

  #expectContinue(request: HTTPRequest, handler: ExchangeHandler, route: Route): (reason: Error) => void {
    if (route.proxy !== undefined) {
      throw new HTTPClientError(
        599,
        'expect100Continue cannot be combined with a proxy (proxyHost) by NodeTransport; drop one of them',
      );
    }
    const exchange = expectContinueExchange(
      request,
      handler,
      {
        resolver: this.#resolver(),
        tls: request.url.startsWith('https:') ? tlsOptionsOf(request) : undefined,
        userAgent: this.#userAgent,
      },
      () => this.#ownConnections.delete(exchange),
    );
    this.#ownConnections.add(exchange);
    return exchange.abort;
  }
}

function ignore(): void {}

/** Where `request` goes: origin and target, straight or through its proxy. */
function routeOf(request: HTTPRequest): Route {
  const url = request.url;
  // HTTPRequest.url is a normalized WHATWG href: `scheme://authority/path?query#fragment`.
  const slash = url.indexOf('/', url.indexOf('//') + 2);
  const hash = url.indexOf('#', slash);
  const origin = url.slice(0, slash);
  const path = hash === -1 ? url.slice(slash) : url.slice(slash, hash);
  const proxy = proxyOf(request);
  if (proxy !== undefined && url.startsWith('http:')) {
    return {
      origin: `http://${proxy.host.includes(':') ? `[${proxy.host}]` : proxy.host}:${proxy.port}`,
      path: hash === -1 ? url : url.slice(0, hash),
      proxy,
    };
  }
  return { origin, path, proxy };
}

function hostOf(url: string): string {
  const start = url.indexOf('//') + 2;
  return url.slice(start, url.indexOf('/', start));
}

const pemFiles = new Map<string, string>();

/**
 * PEM text as given, or the contents of the file it names (Tornado's `ca_certs`, `client_key` and
 * `client_cert` are file names); files are read once.
 */
function pem(value: string, option: string): string {
  if (value.includes('-----BEGIN')) return value;
  let text = pemFiles.get(value);
  if (text === undefined) {
    try {
      text = readFileSync(value, 'utf8');
    } catch (error) {
      throw new HTTPClientError(
        599,
        `${option} is neither PEM text nor a readable file: ${(error as Error).message}`,
        undefined,
        { cause: error },
      );
    }
    pemFiles.set(value, text);
  }
  return text;
}

function tlsOptionsOf(request: HTTPRequest): ConnectionOptions {
  const options: ConnectionOptions = { rejectUnauthorized: request.validateCert };
  if (request.caCerts !== undefined) options.ca = pem(request.caCerts, 'caCerts');
  if (request.clientCert !== undefined) options.cert = pem(request.clientCert, 'clientCert');
  if (request.clientKey !== undefined) options.key = pem(request.clientKey, 'clientKey');
  return options;
}

/** Forwards to `Resolver.current()` at each call, for an {@link OverrideResolver} over the configured one. */
class CurrentResolver extends Resolver {
  resolve(host: string, port: number, family?: AddressFamily): Future<ResolvedAddress[]> {
    return Resolver.current().resolve(host, port, family);
  }
}
