import { once } from 'node:events';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ResourceLimits, Worker } from 'node:worker_threads';
import { CancelledError, Future, logger } from '@gust/core';
import type { Piscina } from 'piscina';
import { isTask, type Task } from './define-task.js';
import type { Executor, ShutdownOptions } from './executor.js';
import { reviveError, type SerializedError } from './worker-error.js';

/**
 * Options of {@link ThreadPoolExecutor}.
 * @example
 * const executor = new ThreadPoolExecutor({
 *   maxWorkers: 4,
 *   idleTimeout: 5000,
 *   resourceLimits: { maxOldGenerationSizeMb: 256 },
 * });
 */
export interface ThreadPoolExecutorOptions {
  /**
   * The most worker threads running tasks at once; further tasks wait in a FIFO queue.
   * @default os.availableParallelism()
   */
  maxWorkers?: number;
  /**
   * Milliseconds an idle worker lives before it exits (starting a worker costs tens of milliseconds).
   * Idle workers never keep the process alive.
   * @default 30000
   */
  idleTimeout?: number;
  /** Heap and stack limits of each worker (`worker_threads` `resourceLimits`). @default Node's */
  resourceLimits?: ResourceLimits;
}

type Envelope = { ok: true; value: unknown } | { ok: false; error: SerializedError };

// The worker-side trampoline ships next to this module (src/ in development, dist/ when built). tsup's CJS
// output has no import.meta.url, but it has __filename.
const here = typeof __filename === 'string' ? pathToFileURL(__filename).href : import.meta.url;
const TASK_WORKER = fileURLToPath(new URL('./task-worker.cjs', here));

// piscina is loaded on first use, so that importing the adapter costs nothing for programs without
// executors. require() (piscina is CommonJS) also reads it synchronously, leaving no file handles behind.
let PiscinaClass: typeof Piscina | undefined;
function loadPiscina(): typeof Piscina {
  PiscinaClass ??= (createRequire(here)('piscina') as typeof import('piscina')).Piscina;
  return PiscinaClass;
}

/**
 * An {@link Executor} that runs tasks on a pool of worker threads, so that CPU-heavy work (hashing,
 * compression, parsing) does not block the event loop. Workers start on demand, up to `maxWorkers`, and
 * exit after `idleTimeout` ms without work.
 *
 * Cancelling a task's Future removes the task if it is still queued; if it is already running, its worker
 * is terminated (and replaced on demand), because JavaScript cannot interrupt a running function.
 *
 * Built on piscina: maintained by Node.js core contributors, it takes a module `filename` and an export
 * `name` per task (what {@link defineTask} names), drops queued tasks when their AbortSignal fires, and
 * `destroy()` terminates every worker so that nothing is left behind. (Tinypool, the other maintained
 * pool, is a trimmed fork of piscina aimed at test runners.)
 * @remarks Tornado: `concurrent.futures.ThreadPoolExecutor(max_workers)`; Python threads share memory,
 * Node workers exchange structured clones.
 * @example
 * const executor = new ThreadPoolExecutor({ maxWorkers: 2 });
 * const digest = await executor.submit(hashTask, 'secret');
 * await executor.shutdown();
 */
export class ThreadPoolExecutor implements Executor {
  readonly #maxWorkers: number;
  readonly #idleTimeout: number;
  readonly #resourceLimits: ThreadPoolExecutorOptions['resourceLimits'];
  #pool: Piscina | undefined;
  #tasks = new Set<Future<unknown>>();
  #shutdown: Future<void> | undefined;
  #drained: (() => void) | undefined;
  #exiting = new Set<Worker>();

  /**
   * Creates the executor; no worker starts before the first task.
   * @throws RangeError for a `maxWorkers` that is not a positive integer or a negative `idleTimeout`.
   */
  constructor(options?: ThreadPoolExecutorOptions) {
    const maxWorkers = options?.maxWorkers ?? availableParallelism();
    if (!Number.isInteger(maxWorkers) || maxWorkers < 1) {
      throw new RangeError(`maxWorkers must be a positive integer, got ${String(maxWorkers)}`);
    }
    const idleTimeout = options?.idleTimeout ?? 30_000;
    if (typeof idleTimeout !== 'number' || !(idleTimeout >= 0)) {
      throw new RangeError(`idleTimeout must be milliseconds >= 0, got ${String(idleTimeout)}`);
    }
    this.#maxWorkers = maxWorkers;
    this.#idleTimeout = idleTimeout;
    this.#resourceLimits = options?.resourceLimits;
  }

  /** The most tasks that run at once. Tornado: `ThreadPoolExecutor._max_workers`. */
  get maxWorkers(): number {
    return this.#maxWorkers;
  }

  /**
   * Queues `task(...args)` on a worker and returns a Future of its result. Cancelling the Future drops a
   * queued task or terminates the worker running it. An error thrown by the task rejects the Future with
   * the worker's error (name, message, stack, `code`, `cause`).
   * @throws TypeError if `task` was not made by `defineTask`.
   * @remarks Tornado: `Executor.submit(fn, *args)`; after `shutdown()` the Future is rejected (Python
   * raises `RuntimeError` at the call).
   * @example
   * const future = executor.submit(hashTask, 'secret');
   */
  submit<A extends unknown[], R>(task: Task<A, R>, ...args: A): Future<R> {
    if (!isTask(task)) {
      throw new TypeError('submit(task, ...args) takes a task made by defineTask(moduleURL, exportName)');
    }
    if (this.#shutdown !== undefined) {
      return Future.reject(new Error('ThreadPoolExecutor is shut down: it cannot schedule new tasks'));
    }
    const controller = new AbortController();
    const future = new Future<R>({
      onCancel: () => this.#abort(controller, task.name),
    });
    this.#tasks.add(future);
    this.#getPool()
      .run({ url: task.url, name: task.name, args }, { signal: controller.signal })
      .then(
        (envelope: Envelope) => {
          if (future.done()) return;
          if (envelope.ok) future.setResult(envelope.value as R);
          else future.setException(reviveError(envelope.error));
        },
        (error: unknown) => {
          // A cancelled Future's AbortError is expected; anything else is a pool failure (worker crash,
          // uncloneable arguments, termination by shutdown).
          if (!future.done()) future.setException(error);
        },
      )
      .finally(() => this.#settled(future));
    return future;
  }

  /**
   * Stops taking tasks. Without `cancelFutures` it waits for the submitted tasks to finish; with it, it
   * cancels them (dropping queued ones, terminating busy workers). Then it terminates the workers; the
   * Future resolves once they have exited. Calling it again returns the same Future.
   * @remarks Tornado: `Executor.shutdown(wait=True, cancel_futures=False)`; await the Future for `wait`.
   * @example
   * await executor.shutdown({ cancelFutures: true });
   */
  shutdown(options?: ShutdownOptions): Future<void> {
    if (this.#shutdown !== undefined) return this.#shutdown;
    const done = new Future<void>();
    this.#shutdown = done;
    if (options?.cancelFutures === true) {
      for (const future of [...this.#tasks]) future.cancel();
    }
    this.#drained = () => {
      this.#drained = undefined;
      const pool = this.#pool;
      this.#pool = undefined;
      if (pool === undefined) {
        done.setResult(undefined);
        return;
      }
      const threads = [...pool.threads, ...this.#exiting];
      pool
        .destroy()
        .then(() => Promise.all(threads.filter((t) => t.threadId !== -1).map((t) => once(t, 'exit'))))
        // A worker closes its message ports as it exits; their handles are gone after the loop's next
        // close phase, which two check phases bracket.
        .then(nextTurn)
        .then(nextTurn)
        .then(
          () => done.setResult(undefined),
          (error: unknown) => {
            logger.error('Error while shutting down a ThreadPoolExecutor', error);
            done.setResult(undefined);
          },
        );
    };
    if (this.#tasks.size === 0) this.#drained();
    return done;
  }

  // Aborting a running task makes piscina terminate its worker; remember the worker until it has exited,
  // so that shutdown() can wait for it.
  #abort(controller: AbortController, name: string): void {
    const pool = this.#pool;
    const before = pool === undefined ? [] : pool.threads;
    controller.abort(new CancelledError(`task ${name} was cancelled`));
    if (pool === undefined) return;
    const after = new Set(pool.threads);
    for (const thread of before) {
      if (after.has(thread) || thread.threadId === -1) continue;
      this.#exiting.add(thread);
      thread.once('exit', () => this.#exiting.delete(thread));
    }
  }

  #settled(future: Future<unknown>): void {
    this.#tasks.delete(future);
    if (this.#tasks.size === 0) this.#drained?.();
  }

  #getPool(): Piscina {
    if (this.#pool === undefined) {
      const Pool = loadPiscina();
      this.#pool = new Pool({
        filename: TASK_WORKER,
        name: 'runTask',
        minThreads: 0,
        maxThreads: this.#maxWorkers,
        idleTimeout: this.#idleTimeout,
        ...(this.#resourceLimits === undefined ? {} : { resourceLimits: this.#resourceLimits }),
      });
      // Failures are delivered through each task's Future; an 'error' event without a task (a worker that
      // crashed while idle) must not become an uncaught exception.
      this.#pool.on('error', (error: unknown) => logger.error('ThreadPoolExecutor worker error', error));
    }
    return this.#pool;
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
