import { AsyncHTTPClient, logger, setCurrentLoop, setSyncHTTPBackend } from '@gust/core';
import { IOLoop } from './ioloop.js';
import { NodeTransport, type NodeTransportOptions } from './node-transport.js';
import { Resolver } from './resolver.js';
import { NodeSyncHTTPBackend, type NodeSyncHTTPBackendOptions } from './sync-http-backend.js';

/**
 * Options of {@link install}.
 * @example
 * install({
 *   resolver: new CachingResolver(new ThreadedResolver()),
 *   transport: { keepAliveTimeout: 10_000, userAgent: 'my-service/1.0' },
 * });
 */
export interface InstallOptions {
  /** The loop to make core's current loop. @default `IOLoop.current()` */
  loop?: IOLoop;
  /**
   * The resolver to configure with `Resolver.configure()`, which the HTTP transport uses for new
   * connections. @default the configured one (`DefaultResolver` unless configured otherwise)
   */
  resolver?: Resolver;
  /** Options of the `NodeTransport` configured for `AsyncHTTPClient`. @default none */
  transport?: NodeTransportOptions;
  /** Options of the synchronous `HTTPClient`'s worker thread (see `NodeSyncHTTPBackend`). @default none */
  syncHTTPClient?: NodeSyncHTTPBackendOptions;
}

/**
 * Undoes what {@link install} did, in reverse order. Calling it twice is harmless.
 * @example
 * const uninstall: Uninstall = install();
 * process.once('SIGTERM', () => {
 *   uninstall();
 *   void IOLoop.current().close();
 * });
 */
export type Uninstall = () => void;

// One step per piece of Node wiring. Each applies itself and returns its undo.
type InstallStep = (options: InstallOptions) => () => void;

const steps: InstallStep[] = [
  function installLoop(options) {
    const previous = setCurrentLoop(options.loop ?? IOLoop.current());
    return () => {
      setCurrentLoop(previous);
    };
  },
  function installResolver(options) {
    const resolver = options.resolver;
    if (resolver === undefined) return () => {};
    Resolver.configure(resolver);
    return () => {
      Resolver.configure(null);
    };
  },
  function installHTTPTransport(options) {
    const transport = new NodeTransport(options.transport);
    AsyncHTTPClient.configure(transport);
    return () => {
      AsyncHTTPClient.configure(null);
      // Idle keep-alive connections are closed now; exchanges still running finish first.
      transport.close().catch((error: unknown) => logger.error('Could not close the NodeTransport', error));
    };
  },
  function installSyncHTTPClient(options) {
    const backend = new NodeSyncHTTPBackend(options.syncHTTPClient);
    const previous = setSyncHTTPBackend(backend);
    return () => {
      setSyncHTTPBackend(previous);
      backend.close();
    };
  },
];

/**
 * Wires gust to Node in one call: makes `IOLoop.current()` (or `options.loop`) core's current loop, so that
 * coroutines, `sleep`, `withTimeout`, locks and queues schedule on it; configures `options.resolver` (if
 * given) as the resolver; configures every `AsyncHTTPClient` created from now on with a {@link NodeTransport}
 * (`AsyncHTTPClient.configure(new NodeTransport())`); and enables the synchronous `HTTPClient`
 * ({@link NodeSyncHTTPBackend}: a worker thread, started by the first synchronous fetch).
 * Returns a function that undoes it all: the loop and backend are restored, the resolver and
 * `AsyncHTTPClient` go back to their defaults (their earlier configuration cannot be read back), the
 * transport's idle connections are closed and the worker thread ends.
 * @remarks Tornado needs no such step: its `IOLoop` is the loop. In gust, core is platform-neutral and
 * this is where the Node pieces are plugged in.
 * @example
 * import { install } from '@gust/node-adapter';
 * const uninstall = install();
 */
export function install(options: InstallOptions = {}): Uninstall {
  const undo: Array<() => void> = [];
  for (const step of steps) undo.push(step(options));
  let done = false;
  return () => {
    if (done) return;
    done = true;
    for (let i = undo.length - 1; i >= 0; i--) undo[i]!();
  };
}
