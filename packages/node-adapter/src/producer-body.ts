import { type BodyProducer, type BodyWriter, Future } from '@gust/core';

const encoder = new TextEncoder();

/** Marks the error a failing `bodyProducer` ended the body with, so the exchange can name it. */
export class ProducerFailure extends Error {
  constructor(readonly error: unknown) {
    super(`bodyProducer failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * A request body for undici, fed by a `bodyProducer`: an async iterable that starts the producer when
 * undici first reads it (once the connection is up, as Tornado starts `body_producer` after the headers).
 * `write()` resolves once undici took the chunk, so a producer that waits for it never runs more than one
 * chunk ahead of the socket. A producer failure ends the iteration with a {@link ProducerFailure}.
 * @internal
 */
export function producerBody(producer: BodyProducer): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]() {
      return new ProducerIterator(producer);
    },
  };
}

class ProducerIterator implements AsyncIterator<Uint8Array> {
  readonly #producer: BodyProducer;
  #started = false;
  #queue: Uint8Array[] = [];
  #taken: Future<void> | undefined;
  #reader: { resolve: (r: IteratorResult<Uint8Array>) => void; reject: (e: unknown) => void } | undefined;
  #ended = false;
  #failure: ProducerFailure | undefined;
  #closed = false;

  constructor(producer: BodyProducer) {
    this.#producer = producer;
  }

  next(): Promise<IteratorResult<Uint8Array>> {
    if (!this.#started) this.#start();
    const chunk = this.#queue.shift();
    if (chunk !== undefined) {
      if (this.#queue.length === 0) this.#release();
      return Promise.resolve({ value: chunk, done: false });
    }
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.#reader = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<Uint8Array>> {
    // undici stopped reading (the request was aborted): later writes are dropped.
    this.#closed = true;
    this.#queue.length = 0;
    this.#taken?.cancel();
    this.#taken = undefined;
    return Promise.resolve({ value: undefined, done: true });
  }

  #start(): void {
    this.#started = true;
    const write: BodyWriter = (chunk) => {
      const bytes = toBytes(chunk);
      if (this.#closed || this.#ended) return Future.resolve();
      const reader = this.#reader;
      if (reader !== undefined) {
        this.#reader = undefined;
        reader.resolve({ value: bytes, done: false });
        return Future.resolve();
      }
      this.#queue.push(bytes);
      this.#taken ??= new Future<void>();
      return this.#taken;
    };
    let result: unknown;
    try {
      result = this.#producer(write);
    } catch (error) {
      this.#fail(error);
      return;
    }
    Future.from(result).then(
      () => {
        this.#ended = true;
        const reader = this.#reader;
        this.#reader = undefined;
        reader?.resolve({ value: undefined, done: true });
      },
      (error: unknown) => this.#fail(error),
    );
  }

  #fail(error: unknown): void {
    if (this.#ended || this.#closed) return;
    this.#ended = true;
    this.#failure = new ProducerFailure(error);
    const reader = this.#reader;
    this.#reader = undefined;
    reader?.reject(this.#failure);
  }

  #release(): void {
    const taken = this.#taken;
    this.#taken = undefined;
    taken?.setResult(undefined);
  }
}

function toBytes(chunk: Uint8Array | string): Uint8Array {
  if (typeof chunk === 'string') return encoder.encode(chunk);
  if (chunk instanceof Uint8Array) return chunk;
  throw new TypeError('bodyProducer write() takes a string or a Uint8Array');
}
