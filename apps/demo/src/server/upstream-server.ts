import { Worker } from 'node:worker_threads';
import { Future } from '@gust/core';

/** The upstream server of the synchronous fetch style, running on its own thread. */
export interface UpstreamServer {
  /** e.g. `http://127.0.0.1:40123` */
  readonly url: string;
  /** Stops the server; the Future resolves once its thread has exited. */
  close(): Future<void>;
}

/**
 * Starts the upstream server on a worker thread (see `upstream-worker.js` for why it needs its own
 * thread) and resolves once it listens on an ephemeral port of 127.0.0.1.
 */
export function startUpstream(): Future<UpstreamServer> {
  const worker = new Worker(new URL('./upstream-worker.js', import.meta.url));
  const exited = new Future<void>();
  const started = new Future<UpstreamServer>();
  worker.once('exit', (code) => {
    if (!started.done()) started.setException(new Error(`the upstream worker exited with code ${code}`));
    exited.setResult(undefined);
  });
  worker.once('error', (error) => {
    if (!started.done()) started.setException(error);
  });
  worker.once('message', (message: { port: number }) => {
    let closing: Future<void> | undefined;
    started.setResult({
      url: `http://127.0.0.1:${message.port}`,
      close: () => {
        if (closing === undefined) {
          worker.postMessage('close');
          // If the thread does not wind down by itself in time, end it.
          const timer = setTimeout(() => void worker.terminate(), 1000);
          closing = exited.finally(() => clearTimeout(timer));
        }
        return closing;
      },
    });
  });
  return started;
}
