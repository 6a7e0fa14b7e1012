import zlib from 'node:zlib';
import { HTTPClientError } from '@gust/core';

/** The `Accept-Encoding` the transport sends when `decompressResponse` is true. */
export const ACCEPT_ENCODING = 'gzip, deflate, br';

/** What a {@link Decompressor} reports to. */
export interface DecompressorSink {
  decodedData(chunk: Uint8Array): void;
  decodedEnd(): void;
  decodeError(error: HTTPClientError): void;
  /** The decompressor can take more input again (after `write()` returned false). */
  decoderDrain(): void;
}

type Coding = 'gzip' | 'deflate' | 'br';
type ZlibStream = zlib.Gunzip | zlib.Inflate | zlib.InflateRaw | zlib.BrotliDecompress;

/** The coding a `Content-Encoding` value names, if this module decodes it; `undefined` for identity or others. */
export function codingOf(contentEncoding: string | undefined): Coding | undefined {
  if (contentEncoding === undefined) return undefined;
  switch (contentEncoding.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return 'gzip';
    case 'deflate':
      return 'deflate';
    case 'br':
      return 'br';
    default:
      return undefined;
  }
}

/** The output chunk size: also how far past `limit` a decompression bomb can get before it is stopped. */
const CHUNK_SIZE = 16 * 1024;

/**
 * Streams a compressed body through zlib, counting the decompressed bytes: past `limit` (the request's
 * `maxBodySize`) it stops at once, so that a small "zip bomb" never inflates further than one output chunk
 * beyond the limit. Input is paused (`write()` returns false) while zlib is behind.
 * @internal
 */
export class Decompressor {
  readonly #coding: Coding;
  readonly #limit: number;
  readonly #sink: DecompressorSink;
  #stream: ZlibStream | undefined;
  #bytes = 0;
  #done = false;

  constructor(coding: Coding, limit: number, sink: DecompressorSink) {
    this.#coding = coding;
    this.#limit = limit;
    this.#sink = sink;
  }

  /** Feeds compressed bytes; false means: wait for `onDrain` before writing more. */
  write(chunk: Uint8Array): boolean {
    if (this.#done) return true;
    const stream = this.#stream ?? this.#open(chunk);
    return stream.write(chunk);
  }

  /** The compressed body ended: `onEnd` follows once everything is decompressed. */
  end(): void {
    if (this.#done) return;
    // An empty body (HEAD, 204, or a server that compressed nothing) decompresses to nothing.
    if (this.#stream === undefined) {
      this.#done = true;
      this.#sink.decodedEnd();
      return;
    }
    this.#stream.end();
  }

  /** Stops at once: no more calls to the sink. */
  destroy(): void {
    this.#done = true;
    const stream = this.#stream;
    this.#stream = undefined;
    if (stream !== undefined) {
      stream.removeAllListeners();
      stream.on('error', ignore);
      stream.destroy();
    }
  }

  #open(first: Uint8Array): ZlibStream {
    const options = { chunkSize: CHUNK_SIZE };
    let stream: ZlibStream;
    if (this.#coding === 'gzip') {
      // Lenient like browsers and curl: a body cut short at its very end still yields what it holds.
      stream = zlib.createGunzip({
        ...options,
        flush: zlib.constants.Z_SYNC_FLUSH,
        finishFlush: zlib.constants.Z_SYNC_FLUSH,
      });
    } else if (this.#coding === 'br') {
      stream = zlib.createBrotliDecompress(options);
    } else {
      // "deflate" is meant to be zlib-wrapped (RFC 9110), but some servers send raw deflate: the first
      // byte of a zlib stream names the deflate method (8) in its low bits.
      const zlibWrapped = first.length > 0 && ((first[0] as number) & 0x0f) === 8;
      stream = zlibWrapped ? zlib.createInflate(options) : zlib.createInflateRaw(options);
    }
    this.#stream = stream;
    stream.on('data', (chunk: Buffer) => {
      if (this.#done) return;
      this.#bytes += chunk.length;
      if (this.#bytes > this.#limit) {
        this.destroy();
        this.#sink.decodeError(
          new HTTPClientError(
            599,
            `Response body is larger than maxBodySize (${this.#limit} bytes); raise maxBodySize or stream it`,
          ),
        );
        return;
      }
      this.#sink.decodedData(chunk);
    });
    stream.on('drain', () => {
      if (!this.#done) this.#sink.decoderDrain();
    });
    stream.once('end', () => {
      if (this.#done) return;
      this.#done = true;
      this.#stream = undefined;
      this.#sink.decodedEnd();
    });
    stream.once('error', (error: Error) => {
      if (this.#done) return;
      this.destroy();
      this.#sink.decodeError(
        new HTTPClientError(
          599,
          `Cannot decompress the ${this.#coding} response body: ${error.message}`,
          undefined,
          {
            cause: error,
          },
        ),
      );
    });
    return stream;
  }
}

function ignore(): void {}
