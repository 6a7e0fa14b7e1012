import http from 'node:http';
import type { Socket } from 'node:net';
import {
  type BodyWriter,
  type ExchangeHandler,
  Future,
  HTTPClientError,
  type HTTPRequest,
  trustedHeaders,
} from '@gust/core';
import { ACCEPT_ENCODING, codingOf, Decompressor, type DecompressorSink } from './decompress.js';
import { type ConnectionSettings, createConnector } from './node-connector.js';
import type { Resolver } from './resolver.js';
import { exchangeFailure } from './transport-errors.js';

/** What an `expect100Continue` exchange needs from its transport. */
export interface ExpectContinueContext {
  resolver: Resolver;
  tls: ConnectionSettings['tls'];
  userAgent: string;
}

/** What {@link expectContinueExchange} returns. */
export interface ExpectContinueControls {
  abort(): void;
  fail(error: HTTPClientError): void;
}

const encoder = new TextEncoder();

/**
 * One exchange with `Expect: 100-continue` (Tornado's `expect_100_continue`): the headers go first, and
 * the body only once the server answered `100 Continue`; a server that answers with a final status
 * instead (417, 401, …) never gets the body. undici cannot send `Expect`, so these exchanges use
 * `node:http` on a connection of their own (opened by the same connector: resolver, connect timeout, TLS)
 * that is closed afterwards. Returns the exchange's controls: `abort` stops it silently (the client gave
 * up), `fail` stops it and reports the error (`NodeTransport.close({ force: true })`).
 * @internal
 */
export function expectContinueExchange(
  request: HTTPRequest,
  handler: ExchangeHandler,
  context: ExpectContinueContext,
  onEnd: () => void,
): ExpectContinueControls {
  const url = new URL(request.url);
  const connector = createConnector(
    {
      allowIpv6: request.allowIpv6,
      connectTimeout: request.connectTimeout,
      tls: context.tls,
      tunnel: undefined,
    },
    () => context.resolver,
  );
  const headers: Array<[string, string]> = [['Host', url.host]];
  for (const [name, value] of request.headers) if (name !== 'Host') headers.push([name, value]);
  if (request.headers.has('Host')) headers[0] = ['Host', request.headers.get('Host') as string];
  if (!request.headers.has('User-Agent')) headers.push(['User-Agent', context.userAgent]);
  if (request.decompressResponse && !request.headers.has('Accept-Encoding')) {
    headers.push(['Accept-Encoding', ACCEPT_ENCODING]);
  }
  headers.push(['Expect', '100-continue']);
  const body = typeof request.body === 'string' ? encoder.encode(request.body) : request.body;
  if (body !== undefined) headers.push(['Content-Length', String(body.length)]);

  let done = false;
  let inBody = false;
  let decoder: Decompressor | undefined;
  let stopProducer: (() => void) | undefined;

  const req = http.request({
    method: request.method,
    path: url.pathname + url.search,
    setHost: false,
    headers: headers.flat(),
    createConnection: ((
      _options: unknown,
      callback: (error: Error | null, socket: Socket | null) => void,
    ) => {
      connector(
        { protocol: url.protocol, hostname: stripBrackets(url.hostname), port: url.port },
        (error, socket) => {
          if (error === null && !done) handler.onConnect();
          callback(error, socket);
        },
      );
      return undefined;
    }) as never,
  });

  const finish = (error?: HTTPClientError): void => {
    if (done) return;
    done = true;
    stopProducer?.();
    decoder?.destroy();
    req.destroy();
    onEnd();
    if (error === undefined) handler.onComplete();
    else handler.onError(error);
  };
  const abort = (): void => {
    if (done) return;
    done = true;
    stopProducer?.();
    decoder?.destroy();
    req.destroy();
    onEnd();
  };

  req.on('error', (error) => finish(exchangeFailure(error, inBody)));
  req.on('continue', () => {
    if (done) return;
    if (body !== undefined) {
      req.end(body);
      return;
    }
    const producer = request.bodyProducer;
    if (producer === undefined) {
      req.end();
      return;
    }
    stopProducer = runProducer(producer, req, (error) =>
      finish(
        new HTTPClientError(
          599,
          `bodyProducer failed: ${error instanceof Error ? error.message : String(error)}`,
          undefined,
          { cause: error },
        ),
      ),
    );
  });
  req.on('response', (res) => {
    if (done) return;
    inBody = true;
    const raw = res.rawHeaders;
    const pairs: Array<[string, string]> = [];
    let coding: ReturnType<typeof codingOf>;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = raw[i] as string;
      const value = raw[i + 1] as string;
      if (request.decompressResponse && name.toLowerCase() === 'content-encoding') {
        coding = codingOf(value);
        if (coding !== undefined) {
          pairs.push(['X-Consumed-Content-Encoding', value]);
          continue;
        }
      }
      pairs.push([name, value]);
    }
    const wanted = handler.onHeaders({
      code: res.statusCode ?? 0,
      reason: res.statusMessage ?? '',
      headers: trustedHeaders(pairs),
      httpVersion: `HTTP/${res.httpVersion}`,
    });
    if (done) return;
    if (wanted && coding !== undefined) {
      const sink: DecompressorSink = {
        decodedData: (chunk) => {
          if (!done) handler.onData(chunk);
        },
        decodedEnd: () => finish(),
        decodeError: (error) => finish(error),
        decoderDrain: () => res.resume(),
      };
      decoder = new Decompressor(coding, request.maxBodySize, sink);
    }
    res.on('data', (chunk: Buffer) => {
      if (done || !wanted) return;
      if (decoder === undefined) handler.onData(chunk);
      else if (!decoder.write(chunk)) res.pause();
    });
    res.on('end', () => {
      if (decoder !== undefined) decoder.end();
      else finish();
    });
    res.on('error', (error) => finish(exchangeFailure(error, true)));
    res.on('aborted', () => finish(exchangeFailure(new Error('the server closed the connection'), true)));
  });
  // Headers are sent at once (Node flushes them for Expect); the body waits for 'continue'.
  req.flushHeaders();
  return { abort, fail: finish };
}

/** Writes what `producer` produces into `req`, respecting back-pressure; returns a function that stops it. */
function runProducer(
  producer: NonNullable<HTTPRequest['bodyProducer']>,
  req: http.ClientRequest,
  onError: (error: unknown) => void,
): () => void {
  let stopped = false;
  let waiting: Future<void> | undefined;
  const onDrain = (): void => {
    const ready = waiting;
    waiting = undefined;
    ready?.setResult(undefined);
  };
  req.on('drain', onDrain);
  const write: BodyWriter = (chunk) => {
    if (stopped) return Future.resolve();
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    if (!(bytes instanceof Uint8Array))
      throw new TypeError('bodyProducer write() takes a string or a Uint8Array');
    if (req.write(bytes)) return Future.resolve();
    waiting ??= new Future<void>();
    return waiting;
  };
  let result: unknown;
  try {
    result = producer(write);
  } catch (error) {
    onError(error);
    return () => {};
  }
  Future.from(result).then(
    () => {
      if (!stopped) req.end();
    },
    (error: unknown) => {
      if (!stopped) onError(error);
    },
  );
  return () => {
    stopped = true;
    req.removeListener('drain', onDrain);
    waiting?.cancel();
    waiting = undefined;
  };
}

function stripBrackets(host: string): string {
  return host.startsWith('[') ? host.slice(1, -1) : host;
}
