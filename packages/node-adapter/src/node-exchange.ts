import { type ExchangeHandler, HTTPClientError, type HTTPRequest, trustedHeaders } from '@gust/core';
import { codingOf, Decompressor, type DecompressorSink } from './decompress.js';
import { ProducerFailure } from './producer-body.js';
import { exchangeFailure } from './transport-errors.js';

const RUNNING = 0;
const DONE = 1;

/**
 * One exchange on undici: the dispatch handler (undici's native callback interface, which costs no
 * adapter: `onConnect`, `onHeaders`, `onData`, `onComplete`, `onError`) that reports to core's
 * {@link ExchangeHandler}. It decompresses, discards the bodies the client does not want (a redirect
 * that is followed) while keeping the connection reusable, and is aborted through {@link NodeExchange.abort}
 * (what `exchange()` returns, so that no `AbortSignal` is needed): that stops everything at once and
 * destroys the connection, so that nothing is left half-read.
 * @internal
 */
export class NodeExchange implements DecompressorSink {
  readonly #request: HTTPRequest;
  readonly #handler: ExchangeHandler;
  #state = RUNNING;
  // True while undici's dispatch() runs: calls it makes then are deferred (core's transport contract).
  #sync = true;
  #abort: ((reason?: Error) => void) | undefined;
  #resume: (() => void) | undefined;
  #inBody = false;
  #wanted = true;
  #decoder: Decompressor | undefined;
  #reason: Error | undefined;
  // A body of known length that nobody streams is gathered here and handed over as one chunk.
  #body: Buffer | undefined;
  #bodyLength = 0;
  #received = 0;

  constructor(request: HTTPRequest, handler: ExchangeHandler) {
    this.#request = request;
    this.#handler = handler;
  }

  /** Marks the end of undici's `dispatch()`: from now on, calls go to the handler directly. */
  dispatched(): void {
    this.#sync = false;
  }

  /** The client gave up: stop reading and writing, and drop the connection. Nothing is reported. */
  abort(reason: Error): void {
    if (this.#state === DONE) return;
    this.#state = DONE;
    this.#reason = reason;
    this.#decoder?.destroy();
    this.#decoder = undefined;
    this.#abort?.(reason);
  }

  // ---- undici's dispatch handler ----------------------------------------------------------------

  onConnect(abort: (reason?: Error) => void): void {
    this.#abort = abort;
    // Aborted while undici still waited for a connection: it is dropped as soon as it gets one.
    if (this.#state === DONE) {
      abort(this.#reason);
      return;
    }
    if (this.#sync) queueMicrotask(() => this.#connected());
    else this.#handler.onConnect();
  }

  onHeaders(code: number, raw: Buffer[], resume: () => void, reason: string | undefined): boolean {
    if (this.#state === DONE) return true;
    this.#resume = resume;
    this.#inBody = true;
    const request = this.#request;
    // undici's raw headers are views into the socket's read buffer: copied to strings now, so that a
    // response kept by the caller does not keep that buffer (up to 64 KiB) alive with it.
    const pairs: Array<[string, string]> = new Array(raw.length >> 1);
    let coding: ReturnType<typeof codingOf>;
    let contentLength: string | undefined;
    for (let i = 0, j = 0; i + 1 < raw.length; i += 2, j++) {
      let name = (raw[i] as Buffer).toString('latin1');
      const value = (raw[i + 1] as Buffer).toString('latin1');
      if (name.length === 14 && name.toLowerCase() === 'content-length') {
        contentLength = value;
      } else if (
        name.length === 16 &&
        request.decompressResponse &&
        name.toLowerCase() === 'content-encoding'
      ) {
        coding = codingOf(value);
        // As in Tornado, the encoding the transport removes is reported under another name.
        if (coding !== undefined) name = 'X-Consumed-Content-Encoding';
      }
      pairs[j] = [name, value];
    }
    const wanted = this.#handler.onHeaders({ code, reason: reason ?? '', headers: trustedHeaders(pairs) });
    // The handler may have aborted the exchange (a headerCallback that threw).
    if (this.#state === DONE) return true;
    this.#wanted = wanted;
    if (!wanted) return true;
    if (coding !== undefined) {
      this.#decoder = new Decompressor(coding, request.maxBodySize, this);
    } else if (request.streamingCallback === undefined && contentLength !== undefined) {
      const length = Number(contentLength);
      // Within maxBodySize only: a larger body is passed on as it comes, for the client to refuse.
      if (length > 0 && length <= request.maxBodySize) this.#bodyLength = length;
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.#state === DONE || !this.#wanted) return true;
    const decoder = this.#decoder;
    if (decoder !== undefined) return decoder.write(chunk);
    const length = this.#bodyLength;
    if (length === 0) {
      this.#handler.onData(chunk);
      return true;
    }
    // Copying each chunk into one buffer of the announced size costs less than keeping the chunks and
    // joining them (zero-filled) afterwards; undici fails the exchange if the body exceeds that size.
    const received = this.#received;
    if (received === 0 && chunk.length === length) {
      this.#handler.onData(chunk);
      this.#bodyLength = 0;
      return true;
    }
    const body = (this.#body ??= Buffer.allocUnsafe(length));
    if (received + chunk.length > length) {
      this.#bodyLength = 0;
      this.#body = undefined;
      this.#handler.onData(body.subarray(0, received));
      if (this.#state !== DONE) this.#handler.onData(chunk);
      return true;
    }
    chunk.copy(body, received);
    this.#received = received + chunk.length;
    return true;
  }

  onComplete(): void {
    if (this.#state === DONE) return;
    const decoder = this.#decoder;
    if (decoder !== undefined) decoder.end();
    else this.#finish();
  }

  onError(error: Error): void {
    if (this.#state === DONE) return;
    const failure =
      error instanceof ProducerFailure ? producerError(error) : exchangeFailure(error, this.#inBody);
    if (this.#sync) queueMicrotask(() => this.#fail(failure));
    else this.#fail(failure);
  }

  onUpgrade(): void {
    this.onError(new Error('The server switched protocols (upgrade), which HTTP requests cannot follow'));
  }

  // ---- DecompressorSink ---------------------------------------------------------------------------

  decodedData(chunk: Uint8Array): void {
    if (this.#state !== DONE) this.#handler.onData(chunk);
  }

  decodedEnd(): void {
    if (this.#state !== DONE) this.#finish();
  }

  /** The body cannot be decompressed, or it grew past `maxBodySize`: fail, and drop the connection. */
  decodeError(error: HTTPClientError): void {
    if (this.#state === DONE) return;
    this.#fail(error);
    this.#abort?.(error);
  }

  decoderDrain(): void {
    if (this.#state !== DONE) this.#resume?.();
  }

  // ---- internals ----------------------------------------------------------------------------------

  #connected(): void {
    if (this.#state !== DONE) this.#handler.onConnect();
  }

  #finish(): void {
    const body = this.#body;
    if (body !== undefined) {
      this.#body = undefined;
      this.#handler.onData(body.subarray(0, this.#received));
      if (this.#state === DONE) return;
    }
    this.#state = DONE;
    this.#decoder = undefined;
    // Nothing calls these once done: undici's closures need not live as long as the exchange.
    this.#resume = undefined;
    this.#abort = undefined;
    this.#handler.onComplete();
  }

  #fail(error: HTTPClientError): void {
    if (this.#state === DONE) return;
    this.#state = DONE;
    this.#decoder?.destroy();
    this.#decoder = undefined;
    this.#handler.onError(error);
  }
}

function producerError(failure: ProducerFailure): HTTPClientError {
  return new HTTPClientError(599, failure.message, undefined, { cause: failure.error });
}
