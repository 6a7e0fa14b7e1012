import { asError, HTTPClientError, toClientError } from './http-errors.js';
import type { HTTPHeaders } from './http-headers.js';
import type { HTTPRequest } from './http-request.js';
import { logError } from './logger.js';
import type { Loop } from './loop.js';
import { shouldFollowRedirect } from './redirect.js';
import type { ExchangeHandler, ResponseHead, Transport } from './transport.js';

/**
 * @internal The owner of a hop, told once when the hop ends on its own: completed (`error` undefined) or
 * failed. An object rather than a callback, so that an operation needs no closure per request.
 */
export interface HopOwner {
  hopEnded(hop: FetchHop, error: Error | undefined): void;
}

/**
 * @internal One hop of a fetch: a single exchange with the transport, and the transport's
 * {@link ExchangeHandler} for it. It collects the response (or feeds `streamingCallback`/`headerCallback`),
 * enforces `maxBodySize`, decides whether the response is a redirect to follow, and reports its end once;
 * whatever the transport calls after that is ignored. Each hop has its own handler, so a late call from an
 * earlier hop cannot reach the next one.
 */
export class FetchHop implements ExchangeHandler {
  readonly request: HTTPRequest;
  readonly startTime: number;
  connectTime: number | undefined;
  firstByteTime: number | undefined;
  code = 0;
  reason = '';
  headers: HTTPHeaders | undefined;
  /** The URL a platform that follows redirects itself reported. */
  url: string | undefined;
  /** The response is a redirect the client follows: its body is dropped and no callback sees it. */
  redirect = false;
  /** The body received: one chunk as it came (the usual case), several in an array. */
  chunks: Uint8Array | Uint8Array[] | undefined;
  readonly #loop: Loop;
  readonly #owner: HopOwner;
  readonly #clientFollowsRedirects: boolean;
  #bytes = 0;
  #over = false;
  // Created or set only when the transport asks for them: see ExchangeHandler.signal.
  #controller: AbortController | undefined;
  #abortTransport: ((reason: Error) => void) | undefined | void;

  constructor(request: HTTPRequest, loop: Loop, transport: Transport, owner: HopOwner) {
    this.request = request;
    this.#loop = loop;
    this.#owner = owner;
    this.#clientFollowsRedirects = transport.followsRedirects !== true;
    this.startTime = loop.time();
  }

  /** Starts the exchange; a failure to start is reported like any failure. */
  start(transport: Transport): void {
    try {
      const abort = transport.exchange(this.request, this);
      // A transport that reported synchronously may have ended this hop already.
      if (!this.#over) this.#abortTransport = abort;
    } catch (error) {
      this.onError(error);
    }
  }

  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    return this.#controller.signal;
  }

  onConnect(): void {
    if (!this.#over) this.connectTime = this.#loop.time() - this.startTime;
  }

  onHeaders(head: ResponseHead): boolean {
    if (this.#over) return false;
    this.firstByteTime = this.#loop.time() - this.startTime;
    const request = this.request;
    this.code = head.code;
    this.reason = head.reason;
    this.headers = head.headers;
    this.url = head.url;
    if (this.#clientFollowsRedirects && shouldFollowRedirect(request, head.code, head.headers)) {
      // As in Tornado, the body of a redirect that is followed is discarded and no callback sees it.
      this.redirect = true;
      return false;
    }
    const headerCallback = request.headerCallback;
    if (headerCallback !== undefined) {
      try {
        headerCallback(`${head.httpVersion ?? 'HTTP/1.1'} ${head.code} ${head.reason}\r\n`);
        for (const [name, value] of head.headers) headerCallback(`${name}: ${value}\r\n`);
        headerCallback('\r\n');
      } catch (error) {
        this.#fail(asError(error));
        return false;
      }
    }
    return true;
  }

  onData(chunk: Uint8Array): void {
    if (this.#over || this.redirect) return;
    const request = this.request;
    this.#bytes += chunk.length;
    if (this.#bytes > request.maxBodySize) {
      const message = `Response body is larger than maxBodySize (${request.maxBodySize} bytes); raise maxBodySize or stream it`;
      this.#fail(new HTTPClientError(599, message));
      return;
    }
    const streamingCallback = request.streamingCallback;
    if (streamingCallback === undefined) {
      const chunks = this.chunks;
      if (chunks === undefined) this.chunks = chunk;
      else if (!Array.isArray(chunks)) this.chunks = [chunks, chunk];
      else chunks.push(chunk);
      return;
    }
    try {
      streamingCallback(chunk);
    } catch (error) {
      // As in Tornado, an exception in a callback fails the fetch with that exception.
      this.#fail(asError(error));
    }
  }

  onComplete(): void {
    if (this.#over) return;
    this.#over = true;
    this.#owner.hopEnded(this, undefined);
  }

  onError(error: unknown): void {
    if (this.#over) return;
    this.#over = true;
    this.#owner.hopEnded(this, toClientError(error));
  }

  /** Stops the exchange because the client gave up (`reason` says why); the hop does not report its end. */
  abort(reason: Error): void {
    if (this.#over) return;
    this.#over = true;
    this.#controller?.abort(reason);
    const abort = this.#abortTransport;
    if (typeof abort === 'function') {
      try {
        abort(reason);
      } catch (error) {
        logError('Exception while aborting a transport exchange', error);
      }
    }
  }

  /** Fails from inside (a callback threw, the body is too large): aborts the exchange and reports. */
  #fail(error: Error): void {
    this.abort(error);
    this.#owner.hopEnded(this, error);
  }
}
