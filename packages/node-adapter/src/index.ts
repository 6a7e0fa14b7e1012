// @gust/node-adapter — the public API. What this file does not export is private.

export type { BlockingLogOptions } from './blocking-watchdog.js';
export type { Task } from './define-task.js';
export { defineTask, isTask } from './define-task.js';
export type { Executor, ShutdownOptions } from './executor.js';
export type { InstallOptions, Uninstall } from './install.js';
export { install } from './install.js';
export type { RunSyncOptions, StatsOptions } from './ioloop.js';
export { IOLoop } from './ioloop.js';
export type { IOLoopStats, LoopLag } from './loop-stats.js';
export type { PeriodicCallbackOptions } from './periodic-callback.js';
export { PeriodicCallback } from './periodic-callback.js';
export type { RunOnExecutorOptions } from './run-on-executor.js';
export { runOnExecutor } from './run-on-executor.js';
export type { ThreadPoolExecutorOptions } from './thread-pool-executor.js';
export { ThreadPoolExecutor } from './thread-pool-executor.js';
