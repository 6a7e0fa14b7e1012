// @gust/node-adapter — the public API. What this file does not export is private.

/**
 * gust on Node.js: `install()` wires the pieces below into `@gust/core`; `IOLoop` and `PeriodicCallback`,
 * the worker-thread `ThreadPoolExecutor` with `defineTask`, the resolvers, and `NodeTransport`, the HTTP
 * transport behind `AsyncHTTPClient`.
 * @packageDocumentation
 * @module @gust/node-adapter
 */

export type { BlockingResolverOptions, LookupSyncFunction } from './blocking-resolver.js';
export { BlockingResolver } from './blocking-resolver.js';
export type { BlockingLogOptions } from './blocking-watchdog.js';
export type { CachingResolverOptions } from './caching-resolver.js';
export { CachingResolver } from './caching-resolver.js';
export type { CaresResolverOptions } from './cares-resolver.js';
export { CaresResolver } from './cares-resolver.js';
export type { DefaultResolverOptions, LookupFunction } from './default-resolver.js';
export { DefaultResolver } from './default-resolver.js';
export type { Task } from './define-task.js';
export { defineTask, isTask } from './define-task.js';
export type { Executor, ShutdownOptions } from './executor.js';
export type { InstallOptions, Uninstall } from './install.js';
export { install } from './install.js';
export type { RunSyncOptions, StatsOptions } from './ioloop.js';
export { IOLoop } from './ioloop.js';
export type { IOLoopStats, LoopLag } from './loop-stats.js';
export type { NodeTransportOptions } from './node-transport.js';
export { NodeTransport } from './node-transport.js';
export type { OverrideMapping, OverrideTarget } from './override-resolver.js';
export { OverrideResolver } from './override-resolver.js';
export type { PeriodicCallbackOptions } from './periodic-callback.js';
export { PeriodicCallback } from './periodic-callback.js';
export type {
  AddressFamily,
  ResolvedAddress,
  ResolverConstructor,
  ResolverErrorOptions,
} from './resolver.js';
export { isResolverError, Resolver, ResolverError } from './resolver.js';
export type { RunOnExecutorOptions } from './run-on-executor.js';
export { runOnExecutor } from './run-on-executor.js';
export type { NodeSyncHTTPBackendOptions } from './sync-http-backend.js';
export { NodeSyncHTTPBackend } from './sync-http-backend.js';
export type { ThreadPoolExecutorOptions } from './thread-pool-executor.js';
export { ThreadPoolExecutor } from './thread-pool-executor.js';
export type { ThreadedResolverOptions } from './threaded-resolver.js';
export { ThreadedResolver } from './threaded-resolver.js';
