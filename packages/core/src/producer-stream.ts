import { Future } from './future.js';
import type { BodyProducer, BodyWriter } from './http-request-options.js';

const encoder = new TextEncoder();

function bytes(chunk: Uint8Array | string): Uint8Array {
  if (typeof chunk === 'string') return encoder.encode(chunk);
  if (chunk instanceof Uint8Array) return chunk;
  throw new TypeError('bodyProducer write() takes a string or a Uint8Array');
}

/**
 * @internal A `ReadableStream` fed by a {@link BodyProducer}, for transports that stream uploads.
 * `write()` resolves at once while the stream wants more and otherwise on the next `pull`, so a producer
 * that waits for it never buffers more than one chunk ahead. `onError` sees the producer's failure.
 */
export function producerStream(
  producer: BodyProducer,
  onError: (error: unknown) => void,
): ReadableStream<Uint8Array> {
  let ready: Future<void> | undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const write: BodyWriter = (chunk) => {
        controller.enqueue(bytes(chunk));
        if ((controller.desiredSize ?? 0) > 0) return Future.resolve();
        ready ??= new Future<void>();
        return ready;
      };
      const fail = (error: unknown): void => {
        onError(error);
        controller.error(error);
      };
      let result: unknown;
      try {
        result = producer(write);
      } catch (error) {
        fail(error);
        return;
      }
      Future.from(result).then(() => {
        try {
          controller.close();
        } catch {
          // The stream was cancelled or errored already (the request was aborted).
        }
      }, fail);
    },
    pull() {
      const waiting = ready;
      ready = undefined;
      waiting?.setResult(undefined);
    },
    cancel() {
      const waiting = ready;
      ready = undefined;
      waiting?.cancel();
    },
  });
}

/** @internal Runs a {@link BodyProducer} to its end and returns everything it wrote, for transports that cannot stream. */
export function collectBody(producer: BodyProducer): Future<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const write: BodyWriter = (chunk) => {
    const data = bytes(chunk);
    chunks.push(data);
    size += data.length;
    return Future.resolve();
  };
  let result: unknown;
  try {
    result = producer(write);
  } catch (error) {
    return Future.reject(error);
  }
  return Future.from(result).then(() => {
    const body = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      body.set(chunk, offset);
      offset += chunk.length;
    }
    return body;
  });
}
