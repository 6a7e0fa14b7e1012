import type { Future } from '@gust/core';
import type { Task } from './define-task.js';

/**
 * Options of {@link Executor.shutdown}.
 * @example
 * await executor.shutdown({ cancelFutures: true }); // drop queued tasks, stop running ones
 */
export interface ShutdownOptions {
  /**
   * Cancel every task whose Future is still pending: queued tasks are dropped and workers running a task
   * are terminated. Without it, submitted tasks finish first.
   * @default false
   */
  cancelFutures?: boolean;
}

/**
 * Runs tasks off the event loop. `IOLoop.runInExecutor`, `runOnExecutor` and the loop's default executor
 * accept anything that implements it; {@link ThreadPoolExecutor} is the implementation gust ships.
 * @remarks Tornado: `concurrent.futures.Executor` (`submit(fn, *args)`, `shutdown(wait, cancel_futures)`);
 * a task is a {@link Task} (module URL + export) because a closure cannot cross a thread boundary, and
 * `shutdown` returns a Future instead of blocking (`wait`).
 * @example
 * const executor: Executor = new ThreadPoolExecutor({ maxWorkers: 2 });
 * const digest = yield* executor.submit(hashTask, 'secret');
 * yield executor.shutdown();
 */
export interface Executor {
  /**
   * Queues `task(...args)` and returns a Future of its result. Cancelling the Future cancels the task.
   * After `shutdown()` the Future is rejected.
   */
  submit<A extends unknown[], R>(task: Task<A, R>, ...args: A): Future<R>;
  /** Stops taking tasks and releases the workers; the Future resolves once they are gone. Idempotent. */
  shutdown(options?: ShutdownOptions): Future<void>;
}
