import {
  AsyncHTTPClient,
  CancelledError,
  type ExchangeHandler,
  FetchTransport,
  HTTPClientError,
  HTTPHeaders,
  HTTPRequest,
  type HTTPResponse,
  HTTPTimeoutError,
  InvalidStateError,
  type Loop,
  PortableLoop,
  setCurrentLoop,
  setLogger,
  type TimerHandle,
  type Transport,
} from '@gust/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rejection } from './contract/transport-contract.js';

/** A loop whose clock only moves when the test advances it. */
class ManualLoop implements Loop {
  now = 0;
  timers: Array<{ at: number; fn: () => void; cancelled: boolean }> = [];
  soon: Array<() => void> = [];
  time(): number {
    return this.now;
  }
  callSoon(fn: () => void): void {
    this.soon.push(fn);
  }
  callLater(delayMs: number, fn: () => void): TimerHandle {
    const timer = { at: this.now + delayMs, fn, cancelled: false };
    this.timers.push(timer);
    return timer;
  }
  cancelTimer(handle: TimerHandle): void {
    (handle as { cancelled: boolean }).cancelled = true;
  }
  get pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }
  advance(ms: number): void {
    this.now += ms;
    for (const timer of this.timers.slice().sort((a, b) => a.at - b.at)) {
      if (!timer.cancelled && timer.at <= this.now) {
        timer.cancelled = true;
        timer.fn();
      }
    }
    for (const fn of this.soon.splice(0)) fn();
  }
}

interface Exchange {
  request: HTTPRequest;
  signal: AbortSignal;
  handler: ExchangeHandler;
  respond(code: number, body?: string, headers?: Record<string, string>): void;
}

/** A transport the test answers by hand. */
class ManualTransport implements Transport {
  exchanges: Exchange[] = [];
  followsRedirects = false;
  exchange(request: HTTPRequest, handler: ExchangeHandler): void {
    this.exchanges.push({
      request,
      signal: handler.signal,
      handler,
      respond(code, body = '', headers = {}) {
        if (handler.onHeaders({ code, reason: '', headers: new HTTPHeaders(headers) }) && body !== '') {
          handler.onData(new TextEncoder().encode(body));
        }
        handler.onComplete();
      },
    });
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

let loop: ManualLoop;
let previousLoop: Loop;
let transport: ManualTransport;

beforeEach(() => {
  loop = new ManualLoop();
  previousLoop = setCurrentLoop(loop);
  transport = new ManualTransport();
});

afterEach(() => {
  setCurrentLoop(previousLoop);
  AsyncHTTPClient.configure(null);
});

function privateClient(maxClients = 10): AsyncHTTPClient {
  return new AsyncHTTPClient({ forceInstance: true, transport, maxClients });
}

describe('AsyncHTTPClient', () => {
  describe('instances', () => {
    it('returns the shared client of the current loop from new AsyncHTTPClient()', () => {
      const shared = new AsyncHTTPClient();
      expect(new AsyncHTTPClient()).toBe(shared);
      expect(new AsyncHTTPClient({ maxClients: 3 })).toBe(shared);
      setCurrentLoop(new PortableLoop());
      const other = new AsyncHTTPClient();
      expect(other).not.toBe(shared);
      setCurrentLoop(loop);
      expect(new AsyncHTTPClient()).toBe(shared);
    });

    it('creates a private client with forceInstance', () => {
      const shared = new AsyncHTTPClient();
      const own = new AsyncHTTPClient({ forceInstance: true });
      expect(own).not.toBe(shared);
      expect(new AsyncHTTPClient()).toBe(shared);
    });

    it('gives clients created after configure() its transport, defaults and maxClients', async () => {
      const before = new AsyncHTTPClient();
      AsyncHTTPClient.configure(
        transport,
        { requestTimeout: 1234, headers: { 'X-Default': 'd', 'X-Both': 'd' } },
        { maxClients: 1 },
      );
      const client = new AsyncHTTPClient();
      expect(client).not.toBe(before);
      const first = client.fetch('http://127.0.0.1/a', { headers: { 'X-Both': 'own' } });
      client.fetch('http://127.0.0.1/b');
      expect(transport.exchanges).toHaveLength(1);
      const request = transport.exchanges[0]?.request as HTTPRequest;
      expect(request.requestTimeout).toBe(1234);
      expect(request.headers.get('X-Default')).toBe('d');
      expect(request.headers.get('X-Both')).toBe('own');
      transport.exchanges[0]?.respond(200, 'a');
      expect((await first).text).toBe('a');
      expect(transport.exchanges).toHaveLength(2);
      client.close();
    });

    it('rejects a maxClients below 1 and unknown default options', () => {
      expect(() => new AsyncHTTPClient({ forceInstance: true, maxClients: 0 })).toThrow(RangeError);
      expect(() => new AsyncHTTPClient({ forceInstance: true, defaults: { timeout: 1 } as never })).toThrow(
        /Unknown HTTPRequest option "timeout"/,
      );
    });

    it('uses FetchTransport by default', () => {
      const client = new AsyncHTTPClient({ forceInstance: true });
      expect(client).toBeInstanceOf(AsyncHTTPClient);
      expect(new FetchTransport().followsRedirects).toBe(false);
    });
  });

  describe('fetch', () => {
    it('throws at once for invalid arguments', () => {
      const client = privateClient();
      expect(() => client.fetch('ftp://127.0.0.1/')).toThrow(/Unsupported URL scheme/);
      expect(() => client.fetch('http://127.0.0.1/', { method: 'FETCH' })).toThrow(/Unknown HTTP method/);
      expect(() => client.fetch(new HTTPRequest('http://127.0.0.1/'), { method: 'POST' })).toThrow(
        /request options cannot be given with an HTTPRequest/,
      );
      expect(transport.exchanges).toHaveLength(0);
    });

    it('applies client defaults to an HTTPRequest for the options it was not given', async () => {
      const client = new AsyncHTTPClient({
        forceInstance: true,
        transport,
        defaults: { userAgent: 'default-agent', requestTimeout: 999, headers: { 'X-D': '1' } },
      });
      const original = new HTTPRequest('http://127.0.0.1/', { requestTimeout: 5 });
      const future = client.fetch(original, { raiseError: false });
      const sent = transport.exchanges[0]?.request as HTTPRequest;
      expect(sent.requestTimeout).toBe(5);
      expect(sent.userAgent).toBe('default-agent');
      expect(sent.headers.get('X-D')).toBe('1');
      transport.exchanges[0]?.respond(404);
      const response = await future;
      expect(response.request).toBe(original);
      expect(response.code).toBe(404);
    });

    it('wraps a transport failure that is not an HTTPClientError into code 599 with its cause', async () => {
      const client = privateClient();
      const future = client.fetch('http://127.0.0.1/');
      const cause = new TypeError('socket hang up');
      transport.exchanges[0]?.handler.onError(cause);
      const error = (await rejection(future)) as HTTPClientError;
      expect(error).toBeInstanceOf(HTTPClientError);
      expect(error.code).toBe(599);
      expect(error.message).toBe('HTTP 599: socket hang up');
      expect(error.cause).toBe(cause);
    });

    it('also reports a transport that throws from exchange() as a 599 failure', async () => {
      const client = new AsyncHTTPClient({
        forceInstance: true,
        transport: {
          exchange() {
            throw new Error('broken transport');
          },
        },
      });
      const error = (await rejection(client.fetch('http://127.0.0.1/'))) as HTTPClientError;
      expect(error.code).toBe(599);
      expect(error.message).toMatch(/broken transport/);
    });

    it('runs the callback on a later loop turn, and logs an exception it throws', async () => {
      const logged: unknown[] = [];
      const previous = setLogger({ error: (...args) => logged.push(args), warn() {}, info() {}, debug() {} });
      try {
        const client = privateClient();
        const seen: HTTPResponse[] = [];
        const future = client.fetch('http://127.0.0.1/', {
          callback: (response) => {
            seen.push(response);
            throw new Error('callback bug');
          },
        });
        transport.exchanges[0]?.respond(500, 'oops');
        const response = await future;
        expect(response.code).toBe(500);
        expect(seen).toHaveLength(0);
        loop.advance(0);
        expect(seen).toEqual([response]);
        expect(logged).toHaveLength(1);
      } finally {
        setLogger(previous);
      }
    });

    it('records when the transport reports the connection', async () => {
      const client = privateClient();
      const future = client.fetch('http://127.0.0.1/');
      const exchange = transport.exchanges[0] as Exchange;
      loop.now += 5;
      exchange.handler.onConnect();
      loop.now += 10;
      exchange.respond(200, 'x');
      const response = await future;
      expect(response.timeInfo.connect).toBe(5);
      expect(response.timeInfo.firstByte).toBe(15);
      expect(response.requestTime).toBe(15);
    });

    it('fails with the exception a headerCallback throws and aborts the exchange', async () => {
      const client = privateClient();
      const boom = new Error('header consumer failed');
      const future = client.fetch('http://127.0.0.1/', {
        headerCallback: () => {
          throw boom;
        },
      });
      transport.exchanges[0]?.respond(200, 'body');
      expect(await rejection(future)).toBe(boom);
      expect(transport.exchanges[0]?.signal.aborted).toBe(true);
    });

    it('ignores transport calls that come after the fetch ended', async () => {
      const client = privateClient(1);
      const first = client.fetch('http://127.0.0.1/1');
      const second = client.fetch('http://127.0.0.1/2');
      const exchange = transport.exchanges[0] as Exchange;
      first.cancel();
      expect(exchange.signal.aborted).toBe(true);
      expect(exchange.signal.reason).toBeInstanceOf(CancelledError);
      exchange.respond(200, 'late');
      exchange.handler.onError(new Error('late'));
      expect(transport.exchanges).toHaveLength(2);
      transport.exchanges[1]?.respond(200, 'two');
      expect((await second).text).toBe('two');
      expect(first.cancelled()).toBe(true);
    });

    it('leaves redirects to a transport that follows them itself, using the URL it reports', async () => {
      transport.followsRedirects = true;
      const client = privateClient();
      const future = client.fetch('http://127.0.0.1/start');
      const { handler } = transport.exchanges[0] as Exchange;
      expect(
        handler.onHeaders({
          code: 200,
          reason: 'OK',
          headers: new HTTPHeaders(),
          url: 'http://127.0.0.1/final',
        }),
      ).toBe(true);
      handler.onComplete();
      expect((await future).effectiveUrl).toBe('http://127.0.0.1/final');
      const redirect = client.fetch('http://127.0.0.1/start', { raiseError: false });
      transport.exchanges[1]?.respond(302, '', { Location: '/elsewhere' });
      expect((await redirect).code).toBe(302);
      expect(transport.exchanges).toHaveLength(2);
    });
  });

  describe('timeouts', () => {
    it('fails a queued request after min(connectTimeout, requestTimeout), not before', async () => {
      const client = privateClient(1);
      client.fetch('http://127.0.0.1/busy');
      const queued = client.fetch('http://127.0.0.1/queued', { connectTimeout: 300, requestTimeout: 100 });
      loop.advance(99);
      expect(queued.done()).toBe(false);
      loop.advance(1);
      const error = (await rejection(queued)) as HTTPTimeoutError;
      expect(error).toBeInstanceOf(HTTPTimeoutError);
      expect(error.message).toBe('Timeout in request queue');
      expect(transport.exchanges).toHaveLength(1);
      client.close();
    });

    it('gives the callback the queue timeout as a 599 response with its queue time', async () => {
      const client = privateClient(1);
      client.fetch('http://127.0.0.1/busy');
      const queued = client.fetch('http://127.0.0.1/queued', { requestTimeout: 50, callback: () => {} });
      loop.advance(50);
      const response = await queued;
      expect(response.code).toBe(599);
      expect(response.error).toBeInstanceOf(HTTPTimeoutError);
      expect(response.timeInfo.queue).toBe(50);
      client.close();
    });

    it('counts requestTimeout from when the request leaves the queue', async () => {
      const client = privateClient(1);
      client.fetch('http://127.0.0.1/busy');
      const queued = client.fetch('http://127.0.0.1/queued', { connectTimeout: 1000, requestTimeout: 100 });
      loop.advance(60);
      transport.exchanges[0]?.respond(200);
      expect(transport.exchanges).toHaveLength(2);
      loop.advance(99);
      expect(queued.done()).toBe(false);
      loop.advance(1);
      const error = (await rejection(queued)) as HTTPTimeoutError;
      expect(error.message).toBe('Timeout during request');
      expect(error.phase).toBe('request');
      expect(transport.exchanges[1]?.signal.aborted).toBe(true);
      expect(transport.exchanges[1]?.signal.reason).toBe(error);
    });

    it('arms no timer when the timeouts are disabled, and clears its timer when done', async () => {
      const client = privateClient(1);
      const a = client.fetch('http://127.0.0.1/a', { connectTimeout: 0, requestTimeout: 0 });
      const b = client.fetch('http://127.0.0.1/b', {
        connectTimeout: 0,
        requestTimeout: Number.POSITIVE_INFINITY,
      });
      expect(loop.pendingTimers).toBe(0);
      transport.exchanges[0]?.respond(200);
      transport.exchanges[1]?.respond(200);
      await Promise.all([a, b]);
      const c = client.fetch('http://127.0.0.1/c');
      expect(loop.pendingTimers).toBe(1);
      transport.exchanges[2]?.respond(200);
      await c;
      expect(loop.pendingTimers).toBe(0);
    });
  });

  describe('close', () => {
    it('fails queued and running requests, aborts their exchanges, and refuses new fetches', async () => {
      const client = privateClient(1);
      const running = client.fetch('http://127.0.0.1/running');
      const queued = client.fetch('http://127.0.0.1/queued', { callback: () => {} });
      client.close();
      const error = (await rejection(running)) as HTTPClientError;
      expect(error.message).toBe('HTTP 599: AsyncHTTPClient was closed');
      expect(transport.exchanges[0]?.signal.aborted).toBe(true);
      expect((await queued).error).toBe(error);
      expect(transport.exchanges).toHaveLength(1);
      expect(() => client.fetch('http://127.0.0.1/')).toThrow(InvalidStateError);
      expect(loop.pendingTimers).toBe(0);
      client.close();
    });

    it('takes a closed shared client out of the cache', () => {
      const shared = new AsyncHTTPClient();
      shared.close();
      expect(new AsyncHTTPClient()).not.toBe(shared);
    });
  });

  it('settles each fetch Future once, leaving no unhandled rejection', async () => {
    const client = privateClient();
    const future = client.fetch('http://127.0.0.1/');
    transport.exchanges[0]?.handler.onError(new Error('x'));
    transport.exchanges[0]?.handler.onError(new Error('y'));
    await rejection(future);
    await tick();
  });
});
