import { type Future, isFuture } from '@gust/core';
import type { Task } from './define-task.js';
import type { Executor } from './executor.js';
import { IOLoop } from './ioloop.js';

/**
 * Options of {@link runOnExecutor}.
 * @example
 * class Service {
 *   pool = new ThreadPoolExecutor({ maxWorkers: 2 });
 *   hash = runOnExecutor(hashTask, { executor: 'pool' }); // runs on this.pool
 * }
 */
export interface RunOnExecutorOptions {
  /**
   * Where to run: an {@link Executor}; `null` for the current IOLoop's default executor; or the name of a
   * property of `this` holding the executor (Tornado's `executor='_thread_pool'` form).
   * @default 'executor' — `this.executor` when the function is called as a method and has one, else the
   * current IOLoop's default executor
   */
  executor?: Executor | null | string;
}

/**
 * Turns a task into a function that runs it on an executor and returns a Future of its result: the
 * function form of Tornado's `@run_on_executor` decorator. Called as a method, it looks up the executor
 * on `this` (the `executor` property by default), as Tornado does; otherwise it uses the given executor
 * or the current IOLoop's default one.
 * @remarks Tornado: `tornado.concurrent.run_on_executor`; the body must live in a task module, because a
 * worker thread cannot run the decorated method itself.
 * @example
 * class PasswordService {
 *   executor = new ThreadPoolExecutor({ maxWorkers: 2 });
 *   hash = runOnExecutor(hashTask); // this.executor
 * }
 * const digest = yield* service.hash('secret');
 */
export function runOnExecutor<A extends unknown[], R>(
  task: Task<A, R>,
  options?: RunOnExecutorOptions,
): (this: unknown, ...args: A) => Future<R> {
  const choice = options?.executor === undefined ? 'executor' : options.executor;
  const explicit = typeof choice === 'string' && options?.executor !== undefined;
  return function runTaskOnExecutor(this: unknown, ...args: A): Future<R> {
    let executor: Executor | null = null;
    if (typeof choice === 'string') {
      const found =
        typeof this === 'object' && this !== null ? (this as Record<string, unknown>)[choice] : undefined;
      if (isExecutor(found)) executor = found;
      else if (explicit) {
        throw new TypeError(`runOnExecutor: this.${choice} is not an executor`);
      }
    } else {
      executor = choice;
    }
    return IOLoop.current().runInExecutor(executor, task, ...args);
  };
}

function isExecutor(value: unknown): value is Executor {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Executor).submit === 'function' &&
    typeof (value as Executor).shutdown === 'function' &&
    !isFuture(value)
  );
}
