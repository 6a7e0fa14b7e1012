import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import {
  CancelledError,
  HTTPClientError,
  type HTTPRequest,
  type HTTPRequestOptions,
  HTTPResponse,
  HTTPStreamClosedError,
  HTTPTimeoutError,
  type HTTPTimeoutPhase,
  logger,
  type SyncHTTPBackend,
  trustedHeaders,
} from '@gust/core';
import type { NodeTransportOptions } from './node-transport.js';

/**
 * Options of {@link NodeSyncHTTPBackend}.
 * @example
 * setSyncHTTPBackend(
 *   new NodeSyncHTTPBackend({ workerSetup: new URL('./sync-worker-setup.js', import.meta.url) }),
 * );
 */
export interface NodeSyncHTTPBackendOptions {
  /**
   * Options of the worker's `NodeTransport`. Only plain data crosses to the worker thread: a `resolver`
   * cannot (configure one in `workerSetup`).
   * @default none
   */
  transport?: Omit<NodeTransportOptions, 'resolver'>;
  /**
   * A module the worker imports before its first request, to configure it: `Resolver.configure(...)` (the
   * worker does not share the main thread's resolver), `setLogger(...)`. A file URL or absolute path.
   * @default none
   */
  workerSetup?: string | URL;
  /**
   * Where the worker imports gust from: a module exporting everything of `@gust/core` and
   * `@gust/node-adapter` (for applications bundled into one file). A file URL or absolute path.
   * @default the packages `@gust/core` and `@gust/node-adapter`
   */
  gustModule?: string | URL;
}

// The worker-side module ships next to this one (src/ in development, dist/ when built). tsup's CJS output
// has no import.meta.url, but it has __filename.
const here = typeof __filename === 'string' ? pathToFileURL(__filename).href : import.meta.url;
const WORKER_FILE = fileURLToPath(new URL('./sync-http-worker.mjs', here));

/** How long the main thread waits in one `Atomics.wait`, between checks of the overall deadline. */
const WAIT_SLICE_MS = 1000;
/** What the deadline allows on top of the request's own timeouts: starting the worker, loading gust. */
const STARTUP_MARGIN_MS = 30_000;

/** A message from the worker, for the request `id`. @internal */
type WorkerMessage =
  | { id: number; type: 'header'; line: string }
  | { id: number; type: 'chunk'; chunk: Uint8Array }
  | { id: number; type: 'response'; response: SerializedResponse }
  | { id: number; type: 'error'; error: SerializedError; response: SerializedResponse | undefined }
  | { id: number; type: 'fatal'; error: SerializedError };

/** A response as the worker sends it. @internal */
interface SerializedResponse {
  code: number;
  reason: string;
  headers: Array<[string, string]>;
  body: Uint8Array;
  effectiveUrl: string;
  requestTime: number;
  /** On the worker's `performance.now()` scale; `timeOrigin` converts it. */
  startTime: number;
  timeOrigin: number;
  timeInfo: { queue: number; connect: number | undefined; firstByte: number | undefined; total: number };
}

/** An error as the worker sends it. @internal */
interface SerializedError {
  name: string;
  message: string;
  code?: number;
  phase?: HTTPTimeoutPhase;
  cause?: { name: string; message: string; code?: string };
}

/** The options of an `HTTPRequest` that can cross to the worker (no functions, no signal). */
const PLAIN_OPTIONS = [
  'method',
  'body',
  'authUsername',
  'authPassword',
  'connectTimeout',
  'requestTimeout',
  'followRedirects',
  'maxRedirects',
  'decompressResponse',
  'proxyHost',
  'proxyPort',
  'proxyUsername',
  'proxyPassword',
  'allowNonstandardMethods',
  'validateCert',
  'caCerts',
  'clientKey',
  'clientCert',
  'allowIpv6',
  'expect100Continue',
  'maxBodySize',
] as const;

/**
 * The Node engine of the synchronous {@link @gust/core!HTTPClient | HTTPClient}: an `AsyncHTTPClient` on
 * `NodeTransport` runs on a worker thread, and the calling thread blocks in `Atomics.wait` until the worker
 * has the answer. The same options and errors as the asynchronous client therefore apply. `streamingCallback`
 * and `headerCallback` run on the calling thread, as the chunks and lines arrive; `bodyProducer` and `signal`
 * cannot be honoured while the thread is blocked (a request with a `bodyProducer` fails with a 599 that says
 * so; an already aborted `signal` cancels).
 *
 * One worker serves every `HTTPClient` that uses this backend; it starts with the first `fetch()`, never
 * keeps the process alive, and ends with `close()` (`HTTPClient.close()` calls it; the next fetch starts a
 * new one). `install()` registers one; register another with `setSyncHTTPBackend()` to pass options.
 *
 * Why not synckit (which does the same handshake): it keeps one worker per file for the life of the
 * process with no way to end it (`close()` must), and it answers each call once, while streaming needs many
 * messages per call; the few lines of `Atomics.wait` and `receiveMessageOnPort` are written here instead.
 * @remarks Tornado: `tornado.httpclient.HTTPClient` runs an `AsyncHTTPClient` on a private `IOLoop` in the
 * calling thread; a JavaScript thread cannot run its event loop re-entrantly, so the loop is on a worker.
 * @example
 * setSyncHTTPBackend(new NodeSyncHTTPBackend({ transport: { hostnameMapping: { 'api.test': '127.0.0.1' } } }));
 * const response = new HTTPClient().fetch('http://api.test:8080/');
 */
export class NodeSyncHTTPBackend implements SyncHTTPBackend {
  readonly #options: NodeSyncHTTPBackendOptions;
  #worker: Worker | undefined;
  #port: MessagePort | undefined;
  #state: Int32Array | undefined;
  #nextId = 0;

  constructor(options: NodeSyncHTTPBackendOptions = {}) {
    this.#options = options;
  }

  /** Performs `request` on the worker and blocks until its response (or failure) is there. */
  fetch(request: HTTPRequest): HTTPResponse {
    const started = performance.now();
    const fail = (error: Error): HTTPResponse =>
      new HTTPResponse(request, 599, {
        error,
        startTime: started,
        requestTime: performance.now() - started,
        timeInfo: { total: performance.now() - started },
      });
    if (request.bodyProducer !== undefined) {
      return fail(
        new HTTPClientError(
          599,
          'HTTPClient cannot stream a bodyProducer: the thread is blocked while it waits. Pass the body as body, ' +
            'or use AsyncHTTPClient',
        ),
      );
    }
    if (request.signal?.aborted === true)
      return fail(new CancelledError('The request was aborted before it started'));
    const id = ++this.#nextId;
    const { port, state } = this.#start();
    port.postMessage({
      type: 'fetch',
      id,
      url: request.url,
      options: plainOptions(request),
      streaming: request.streamingCallback !== undefined,
      headerLines: request.headerCallback !== undefined,
    });
    const deadline = deadlineOf(request, started);
    for (;;) {
      const seen = Atomics.load(state, 0);
      const received = receiveMessageOnPort(port) as { message: WorkerMessage } | undefined;
      if (received === undefined) {
        if (performance.now() > deadline) {
          this.close();
          return fail(
            new HTTPClientError(
              599,
              'The HTTPClient worker thread did not answer within the request timeouts; it was stopped',
            ),
          );
        }
        Atomics.wait(state, 0, seen, WAIT_SLICE_MS);
        continue;
      }
      const message = received.message;
      if (message.type === 'fatal') {
        this.close();
        return fail(
          new HTTPClientError(599, `The HTTPClient worker thread failed: ${message.error.message}`),
        );
      }
      // What is left of an earlier request that was given up (a callback threw) is dropped.
      if (message.id !== id) continue;
      if (message.type === 'header' || message.type === 'chunk') {
        try {
          if (message.type === 'header') request.headerCallback?.(message.line);
          else request.streamingCallback?.(message.chunk);
        } catch (error) {
          // As in Tornado (and the asynchronous client), an exception in a callback fails the fetch with it.
          port.postMessage({ type: 'abort', id });
          return fail(error instanceof Error ? error : new HTTPClientError(599, String(error)));
        }
        continue;
      }
      if (message.type === 'response') return toResponse(request, message.response, undefined);
      const error = reviveError(message.error);
      if (message.response === undefined) return fail(error);
      const response = toResponse(request, message.response, error);
      if (error instanceof HTTPClientError) error.response = response;
      return response;
    }
  }

  /** Ends the worker thread; a later `fetch()` starts a new one. Calling it twice is harmless. */
  close(): void {
    const worker = this.#worker;
    this.#worker = undefined;
    this.#port?.close();
    this.#port = undefined;
    this.#state = undefined;
    if (worker !== undefined) {
      worker
        .terminate()
        .catch((error: unknown) => logger.error('Could not stop the HTTPClient worker', error));
    }
  }

  #start(): { port: MessagePort; state: Int32Array } {
    if (this.#worker !== undefined && this.#port !== undefined && this.#state !== undefined) {
      return { port: this.#port, state: this.#state };
    }
    const { port1, port2 } = new MessageChannel();
    const state = new Int32Array(new SharedArrayBuffer(4));
    const options = this.#options;
    const worker = new Worker(WORKER_FILE, {
      workerData: {
        port: port2,
        state,
        transport: options.transport,
        setup: moduleURL(options.workerSetup),
        gustModule: moduleURL(options.gustModule),
      },
      transferList: [port2],
    });
    // A worker waiting for requests must not keep the process alive (the seed's code never closes its client).
    worker.unref();
    worker.on('error', (error) => logger.error('The HTTPClient worker thread failed', error));
    worker.on('exit', () => {
      if (this.#worker === worker) this.close();
    });
    this.#worker = worker;
    this.#port = port1;
    this.#state = state;
    return { port: port1, state };
  }
}

function moduleURL(module: string | URL | undefined): string | undefined {
  if (module === undefined) return undefined;
  if (module instanceof URL) return module.href;
  return module.startsWith('file:') ? module : pathToFileURL(module).href;
}

function plainOptions(request: HTTPRequest): HTTPRequestOptions {
  const options: Record<string, unknown> = { headers: Array.from(request.headers) };
  for (const name of PLAIN_OPTIONS) {
    const value = request[name];
    if (value !== undefined) options[name] = value;
  }
  return options as HTTPRequestOptions;
}

/** When to give up on a worker that does not answer: well after the request's own timeouts. */
function deadlineOf(request: HTTPRequest, started: number): number {
  const perHop = Math.max(request.requestTimeout, request.connectTimeout);
  if (!(perHop > 0) || perHop === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  const hops = request.followRedirects ? request.maxRedirects + 1 : 1;
  return started + perHop * hops + STARTUP_MARGIN_MS;
}

function toResponse(request: HTTPRequest, data: SerializedResponse, error: Error | undefined): HTTPResponse {
  return new HTTPResponse(request, data.code, {
    reason: data.reason,
    headers: trustedHeaders(data.headers),
    body: data.body,
    effectiveUrl: data.effectiveUrl,
    error,
    requestTime: data.requestTime,
    // Both threads' clocks are performance.now(), from different origins.
    startTime: data.startTime + data.timeOrigin - performance.timeOrigin,
    timeInfo: data.timeInfo,
  });
}

/** The worker's error as the same class on this thread (instances do not cross threads). */
function reviveError(data: SerializedError): Error {
  const cause =
    data.cause === undefined
      ? undefined
      : Object.assign(new Error(data.cause.message), { name: data.cause.name, code: data.cause.code });
  const options = cause === undefined ? undefined : { cause };
  switch (data.name) {
    case 'HTTPTimeoutError':
      return new HTTPTimeoutError(data.message, { ...options, phase: data.phase });
    case 'HTTPStreamClosedError':
      return new HTTPStreamClosedError(data.message, options);
    case 'CancelledError':
      return new CancelledError(data.message);
  }
  const code = data.code ?? 599;
  const prefix = `HTTP ${code}: `;
  const message = data.message.startsWith(prefix) ? data.message.slice(prefix.length) : data.message;
  return new HTTPClientError(code, message, undefined, options);
}
