import {
  chainFuture,
  coroutine,
  currentLoop,
  Future,
  futureAddDoneCallback,
  type Loop,
  logger,
  MAX_TIMER_DELAY,
  PortableLoop,
  setCurrentLoop,
  TimeoutError,
  type TimerHandle,
} from '@gust/core';
import { type BlockingLogOptions, BlockingWatchdog } from './blocking-watchdog.js';
import { callbackName } from './callback-name.js';
import type { Task } from './define-task.js';
import type { Executor } from './executor.js';
import { emptyLag, type IOLoopStats, LagMonitor } from './loop-stats.js';
import { ThreadPoolExecutor } from './thread-pool-executor.js';
import { CANCELLED, DUE, FIRED, SCHEDULED, TimerEntry, TimerHeap } from './timer-heap.js';

/** A callback queued with `addCallback`; timers that fall due join the same queue as {@link TimerEntry}. */
interface Queued {
  readonly fn: (...args: any[]) => unknown;
  readonly args: readonly unknown[];
  state?: number;
}

/**
 * Options of {@link IOLoop.runSync}.
 * @example
 * const text = await IOLoop.current().runSync(main, { timeout: 10_000 }); // TimeoutError after 10 s
 */
export interface RunSyncOptions {
  /**
   * Milliseconds after which the returned Future fails with `TimeoutError` and the work is cancelled.
   * @default no timeout
   */
  timeout?: number;
}

/**
 * Options of {@link IOLoop.stats}.
 * @example
 * const lastMinute = IOLoop.current().stats({ reset: true }); // the next read starts from here
 */
export interface StatsOptions {
  /** Start a fresh lag histogram after this read. @default false */
  reset?: boolean;
}

let currentIOLoop: IOLoop | undefined;

/**
 * gust's event loop for Node. It does not replace Node's loop, it runs on it: callbacks wait in a FIFO queue
 * drained on `setImmediate` (one drain per turn; callbacks added during a drain run on the next turn), and
 * timers wait in a heap driven by one `setTimeout` for the earliest deadline. Timers that are due join the
 * queue behind the callbacks already in it, so callbacks queued before a due timer run before it (asyncio's
 * `_run_once`). A ref'd handle exists only while callbacks or timers wait, so an idle loop never keeps the
 * process alive and `close()` leaves nothing behind.
 *
 * It implements core's {@link Loop}, so coroutines, `sleep`, `withTimeout`, locks and the HTTP client run on
 * it once `install()` made it core's current loop. An exception in a callback, timer or spawned coroutine
 * is logged with the callback's name and the loop keeps running.
 * @remarks Tornado: `tornado.ioloop.IOLoop`. Durations are milliseconds, `time()` is `performance.now()`,
 * and `runSync`/`start` return Futures because Node cannot block its own thread.
 * @example
 * const loop = IOLoop.current();
 * loop.callLater(100, () => console.log('later'));
 * loop.addCallback(() => console.log('soon'));
 */
export class IOLoop implements Loop {
  #ready: Queued[] = [];
  #immediate: ReturnType<typeof setImmediate> | undefined;
  #timers = new TimerHeap();
  #timeout: ReturnType<typeof setTimeout> | undefined;
  #armedFor = Number.POSITIVE_INFINITY;
  #seq = 0;
  #closed = false;
  #closing: Future<void> | undefined;
  #running: Future<void> | undefined;
  #keepAlive: ReturnType<typeof setInterval> | undefined;
  #watchdog: BlockingWatchdog | undefined;
  #lag: LagMonitor | undefined;
  #executor: Executor | undefined;
  #ownsExecutor = false;

  readonly #onImmediate = (): void => {
    this.#immediate = undefined;
    this.#runOnce();
  };

  readonly #onTimeout = (): void => {
    this.#timeout = undefined;
    this.#armedFor = Number.POSITIVE_INFINITY;
    this.#runOnce();
  };

  /**
   * The IOLoop of this thread, created on first use (and again after the current one was closed).
   * A `new IOLoop()` does not become current unless you call {@link IOLoop.makeCurrent}.
   * @remarks Tornado: `IOLoop.current()`; Node has one event loop per thread, so there is one current
   * IOLoop per thread (worker threads get their own).
   * @example
   * IOLoop.current().addCallback(main);
   */
  static current(): IOLoop {
    if (currentIOLoop === undefined) currentIOLoop = new IOLoop();
    return currentIOLoop;
  }

  /**
   * Makes this loop the one {@link IOLoop.current} returns.
   * @throws Error if the loop is closed.
   * @remarks Tornado: `IOLoop.make_current()` (deprecated there because asyncio owns "current"; here
   * there is no other owner).
   */
  makeCurrent(): void {
    if (this.#closed) throw new Error('IOLoop is closed: a closed loop cannot become current');
    currentIOLoop = this;
  }

  /** Monotonic milliseconds (`performance.now()`); `callAt` and `addTimeout` deadlines are on this scale. */
  time(): number {
    return performance.now();
  }

  // ---- callbacks -------------------------------------------------------------------------------

  /**
   * Runs `fn(...args)` on a later turn of the loop, after the callbacks queued before it (FIFO). Dropped
   * without error once the loop is closed. If `fn` returns a Future or promise that fails, the failure is
   * logged. Safe to call from any callback, timer or Future callback.
   * @remarks Tornado: `IOLoop.add_callback`.
   * @example
   * loop.addCallback(greet, 'world');
   */
  addCallback<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): void {
    if (typeof fn !== 'function') throw new TypeError('addCallback(fn, ...args) takes a function');
    if (this.#closed) return;
    this.#ready.push({ fn: fn as Queued['fn'], args });
    if (this.#immediate === undefined) this.#immediate = setImmediate(this.#onImmediate);
  }

  /**
   * Runs `fn(...args)` on a later turn, detached from the caller: typically a coroutine whose Future
   * nobody waits on. Its failure is logged with its name.
   * @remarks Tornado: `IOLoop.spawn_callback` (equal to `add_callback` since Tornado 6.0).
   * @example
   * loop.spawnCallback(coroutine(function* () { yield sleep(10); }));
   */
  spawnCallback<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): void {
    this.addCallback(fn, ...args);
  }

  /** Core's {@link Loop} seam: same as {@link IOLoop.addCallback}. */
  callSoon(fn: () => void): void {
    this.addCallback(fn);
  }

  /**
   * Runs `callback(future)` on the loop once `future` is done. A done Future queues the callback at once,
   * so it keeps its place among callbacks queued around it.
   * @remarks Tornado: `IOLoop.add_future`; promises are accepted too.
   * @example
   * loop.addFuture(client.fetch(url), (f) => console.log(f.result().code));
   */
  addFuture<T>(future: Future<T> | PromiseLike<T>, callback: (future: Future<T>) => unknown): void {
    if (typeof callback !== 'function') throw new TypeError('addFuture(future, callback) takes a function');
    futureAddDoneCallback(Future.from(future), (done) => this.addCallback(callback, done));
  }

  // ---- timers ----------------------------------------------------------------------------------

  /**
   * Runs `fn(...args)` once, `delayMs` milliseconds from now (never earlier). Delays above 2^31−1 ms are
   * honoured (split into several `setTimeout`s). Returns a handle for {@link IOLoop.removeTimeout}.
   * @remarks Tornado: `IOLoop.call_later(delay, callback, *args)`, in seconds.
   * @example
   * const handle = loop.callLater(500, retry);
   */
  callLater<A extends unknown[]>(delayMs: number, fn: (...args: A) => unknown, ...args: A): TimerHandle {
    checkTime('callLater(delayMs, fn)', delayMs);
    return this.callAt(this.time() + Math.max(0, delayMs), fn, ...args);
  }

  /**
   * Runs `fn(...args)` once at `when`, an absolute time on the {@link IOLoop.time} scale.
   * @remarks Tornado: `IOLoop.call_at(when, callback, *args)`, in seconds.
   * @example
   * loop.callAt(loop.time() + 1000, tick);
   */
  callAt<A extends unknown[]>(when: number, fn: (...args: A) => unknown, ...args: A): TimerHandle {
    checkTime('callAt(when, fn)', when);
    if (typeof fn !== 'function') throw new TypeError('a timer callback must be a function');
    const entry = new TimerEntry(this, when, this.#seq++, fn as Queued['fn'], args);
    if (this.#closed) {
      entry.state = CANCELLED;
      return entry;
    }
    this.#timers.push(entry);
    if (when < this.#armedFor) this.#arm();
    return entry;
  }

  /**
   * Runs `fn(...args)` once at `deadline` on the {@link IOLoop.time} scale: the same as {@link IOLoop.callAt}.
   * @remarks Tornado: `IOLoop.add_timeout(deadline, callback, *args)`; pass relative delays to
   * {@link IOLoop.callLater} (Tornado also accepted a `timedelta` here).
   */
  addTimeout<A extends unknown[]>(deadline: number, fn: (...args: A) => unknown, ...args: A): TimerHandle {
    return this.callAt(deadline, fn, ...args);
  }

  /**
   * Cancels a timer. Safe to call twice, after the timer fired, or with a handle of another loop (ignored).
   * @remarks Tornado: `IOLoop.remove_timeout`.
   */
  removeTimeout(handle: TimerHandle): void {
    if (!(handle instanceof TimerEntry) || handle.owner !== this) return;
    if (handle.state === SCHEDULED) {
      this.#timers.cancel(handle);
      if (this.#timers.live === 0) this.#disarm();
    } else if (handle.state === DUE) {
      handle.state = CANCELLED;
    }
  }

  /** Core's {@link Loop} seam: same as {@link IOLoop.removeTimeout}. */
  cancelTimer(handle: TimerHandle): void {
    this.removeTimeout(handle);
  }

  #arm(): void {
    const next = this.#timers.peek();
    if (next === undefined) {
      this.#disarm();
      return;
    }
    if (this.#timeout !== undefined) {
      if (this.#armedFor <= next.deadline) return;
      clearTimeout(this.#timeout);
    }
    // setTimeout fires immediately for delays above 2^31−1 ms; a shorter wait that finds nothing due re-arms.
    const delay = Math.min(Math.max(0, Math.ceil(next.deadline - this.time())), MAX_TIMER_DELAY);
    this.#armedFor = Math.min(next.deadline, this.time() + delay);
    this.#timeout = setTimeout(this.#onTimeout, delay);
  }

  #disarm(): void {
    if (this.#timeout !== undefined) clearTimeout(this.#timeout);
    this.#timeout = undefined;
    this.#armedFor = Number.POSITIVE_INFINITY;
  }

  // ---- the drain -------------------------------------------------------------------------------

  #runOnce(): void {
    if (this.#closed) return;
    const timers = this.#timers;
    const now = this.time();
    for (let due = timers.popDue(now); due !== undefined; due = timers.popDue(now)) {
      due.state = DUE;
      this.#ready.push(due);
    }
    const batch = this.#ready;
    this.#ready = [];
    const watchdog = this.#watchdog;
    let i = 0;
    try {
      for (; i < batch.length && !this.#closed; i++) {
        const entry = batch[i]!;
        if (entry.state !== undefined) {
          if (entry.state === CANCELLED) continue;
          entry.state = FIRED;
        }
        if (watchdog === undefined) {
          this.#run(entry);
        } else {
          const start = performance.now();
          this.#run(entry);
          watchdog.measured(entry.fn, start, performance.now());
        }
      }
    } finally {
      // Only a throwing logger gets here with callbacks left: they keep their place at the head of the queue.
      if (!this.#closed) {
        if (i + 1 < batch.length) this.#ready = batch.slice(i + 1).concat(this.#ready);
        if (this.#timeout === undefined) this.#arm();
        if (this.#ready.length > 0 && this.#immediate === undefined) {
          this.#immediate = setImmediate(this.#onImmediate);
        }
      }
    }
  }

  #run(entry: Queued): void {
    let result: unknown;
    try {
      result = entry.fn(...entry.args);
    } catch (error) {
      logger.error(`Exception in callback ${callbackName(entry.fn)}`, error);
      return;
    }
    // Tornado's _run_callback: a callback that returns an awaitable has its failure logged.
    if (
      result !== null &&
      typeof result === 'object' &&
      typeof (result as PromiseLike<unknown>).then === 'function'
    ) {
      Future.from(result as PromiseLike<unknown>).addDoneCallback((done) => {
        if (done.cancelled()) return;
        const error = done.exception();
        if (error !== undefined) logger.error(`Exception in callback ${callbackName(entry.fn)}`, error);
      });
    }
  }

  // ---- running ---------------------------------------------------------------------------------

  /**
   * Keeps the process alive until {@link IOLoop.stop}: the returned Future resolves then. Callbacks run
   * whether or not the loop was started (Node's loop is always running); `start()` only says "serve
   * until told to stop".
   * @throws Error if the loop is already running or closed.
   * @remarks Tornado: `IOLoop.start()`, which blocks; here `await loop.start()` does.
   * @example
   * loop.callLater(1000, () => loop.stop());
   * await loop.start();
   */
  start(): Future<void> {
    if (this.#closed) throw new Error('IOLoop is closed: it cannot be started again');
    if (this.#running !== undefined) throw new Error('IOLoop is already running');
    const running = new Future<void>();
    this.#running = running;
    // A ref'd handle that does nothing: it keeps Node from exiting while the loop "runs".
    this.#keepAlive = setInterval(noop, MAX_TIMER_DELAY);
    return running;
  }

  /**
   * Resolves the Future of {@link IOLoop.start}; callbacks and timers still queued stay queued. No-op if
   * the loop is not running.
   * @remarks Tornado: `IOLoop.stop()`; Tornado remembers a stop() before start(), gust does not.
   */
  stop(): void {
    const running = this.#running;
    if (running === undefined) return;
    this.#running = undefined;
    clearInterval(this.#keepAlive);
    this.#keepAlive = undefined;
    running.setResult(undefined);
  }

  /**
   * Runs `fn` on the loop (next turn) and returns a Future of its outcome. `fn` may return a value, a
   * Future, a promise, or be a generator function (run as a coroutine). With `{ timeout }` the Future fails
   * with `TimeoutError` when the time is up and the work is cancelled (a coroutine's `finally` runs).
   * @remarks Tornado: `IOLoop.run_sync(func, timeout)`, which blocks until done; Node cannot block its own
   * loop, so this returns a Future (await it), and it may be called while the loop runs.
   * @example
   * const body = await loop.runSync(function* () { return (yield* client.fetch(url)).text; }, { timeout: 5000 });
   */
  runSync<T>(fn: () => Generator<unknown, T, any>, options?: RunSyncOptions): Future<T>;
  runSync<T>(fn: () => T | PromiseLike<T>, options?: RunSyncOptions): Future<Awaited<T>>;
  runSync<T>(fn: () => unknown, options?: RunSyncOptions): Future<T> {
    if (typeof fn !== 'function') throw new TypeError('runSync(fn) takes a function');
    const timeout = options?.timeout;
    if (timeout !== undefined) checkTime('runSync(fn, { timeout })', timeout);
    if (this.#closed) return Future.reject(new Error('IOLoop is closed: runSync cannot run'));
    let inner: Future<T> | undefined;
    let timer: TimerHandle | undefined;
    const result = new Future<T>({
      onCancel: () => {
        if (timer !== undefined) this.removeTimeout(timer);
        inner?.cancel();
      },
    });
    const run = coroutine(fn as () => T) as () => Future<T>;
    const start = (): void => {
      if (result.done()) return;
      inner = run();
      inner.addDoneCallback(() => {
        if (timer !== undefined) this.removeTimeout(timer);
      });
      chainFuture(inner, result);
    };
    // The watchdog and error logs name the caller's function, not this wrapper.
    Object.defineProperty(start, 'name', { value: callbackName(fn) });
    this.addCallback(start);
    if (timeout !== undefined) {
      timer = this.callLater(timeout, () => {
        if (result.done()) return;
        result.setException(new TimeoutError(`Operation timed out after ${timeout} ms`));
        inner?.cancel();
      });
    }
    return result;
  }

  /**
   * Closes the loop: stops it, drops queued callbacks, cancels every timer, stops the lag monitor and the
   * watchdog, and shuts the default executor down (cancelling its tasks and terminating its workers).
   * Afterwards the loop holds no handle, so the process can exit; callbacks added later are dropped
   * without error. The Future resolves once the executor's workers have exited. Closing twice is safe.
   * If this loop was current, `IOLoop.current()` makes a new one next time, and if it was core's current
   * loop, core goes back to its portable loop.
   * @remarks Tornado: `IOLoop.close()`. Executors you passed to `runInExecutor` yourself are yours to
   * shut down.
   * @example
   * await loop.close();
   */
  close(): Future<void> {
    if (this.#closing !== undefined) return this.#closing;
    this.stop();
    this.#closed = true;
    if (this.#immediate !== undefined) clearImmediate(this.#immediate);
    this.#immediate = undefined;
    this.#disarm();
    for (const entry of this.#timers.clear()) entry.state = CANCELLED;
    for (const entry of this.#ready) if (entry.state !== undefined) entry.state = CANCELLED;
    this.#ready = [];
    this.#watchdog?.close();
    this.#watchdog = undefined;
    this.#lag?.close();
    this.#lag = undefined;
    if (currentIOLoop === this) currentIOLoop = undefined;
    if (currentLoop() === this) setCurrentLoop(new PortableLoop());
    const executor = this.#executor;
    this.#executor = undefined;
    this.#closing = executor === undefined ? Future.resolve() : executor.shutdown({ cancelFutures: true });
    return this.#closing;
  }

  /** `await using loop = new IOLoop()` closes the loop at the end of the block. */
  [Symbol.asyncDispose](): Promise<void> {
    return Promise.resolve(this.close());
  }

  // ---- executors -------------------------------------------------------------------------------

  /**
   * Runs `task(...args)` on `executor`, or on the loop's default executor for `null` (a
   * {@link ThreadPoolExecutor} with one worker per CPU, made on first use). Arguments and result cross the
   * thread boundary by structured clone. Cancelling the Future removes a queued task (a running one's
   * worker is terminated).
   * @remarks Tornado: `IOLoop.run_in_executor(executor, func, *args)`; a worker thread cannot run a closure,
   * so the function is named by module URL and export with `defineTask`.
   * @example
   * const hash = defineTask<typeof import('./hash.js').hash>(new URL('./hash.js', import.meta.url), 'hash');
   * const digest = yield* loop.runInExecutor(null, hash, password);
   */
  runInExecutor<A extends unknown[], R>(executor: Executor | null, task: Task<A, R>, ...args: A): Future<R> {
    if (this.#closed) {
      return Future.reject(new Error('IOLoop is closed: runInExecutor cannot submit new tasks'));
    }
    return (executor ?? this.#defaultExecutor()).submit(task, ...args);
  }

  /**
   * Makes `executor` the one `runInExecutor(null, …)` uses; `close()` shuts it down. A default executor the
   * loop had made itself is shut down gracefully (its running tasks finish).
   * @remarks Tornado: `IOLoop.set_default_executor`.
   * @example
   * loop.setDefaultExecutor(new ThreadPoolExecutor({ maxWorkers: 2 }));
   */
  setDefaultExecutor(executor: Executor): void {
    if (this.#closed) throw new Error('IOLoop is closed: it takes no executor');
    const previous = this.#executor;
    if (previous !== undefined && previous !== executor && this.#ownsExecutor) void previous.shutdown();
    this.#executor = executor;
    this.#ownsExecutor = false;
  }

  #defaultExecutor(): Executor {
    if (this.#executor === undefined) {
      this.#executor = new ThreadPoolExecutor();
      this.#ownsExecutor = true;
    }
    return this.#executor;
  }

  // ---- watching the loop -----------------------------------------------------------------------

  /**
   * Logs a warning (through core's `logger.warn`) naming every callback, timer or coroutine step run by
   * this loop that holds it longer than `ms` milliseconds; by default it also reports stalls outside IOLoop
   * callbacks (see {@link BlockingLogOptions}). `null` turns the watchdog off.
   * @remarks Tornado: `IOLoop.set_blocking_log_threshold(seconds)` (Tornado 4), which logged a stack trace.
   * @example
   * IOLoop.current().setBlockingLogThreshold(50);
   */
  setBlockingLogThreshold(ms: number | null, options?: BlockingLogOptions): void {
    if (ms !== null && !(typeof ms === 'number' && ms >= 0 && Number.isFinite(ms))) {
      throw new RangeError(`the blocking log threshold must be milliseconds >= 0 or null, got ${String(ms)}`);
    }
    this.#watchdog?.close();
    this.#watchdog = ms === null || this.#closed ? undefined : new BlockingWatchdog(ms, options);
  }

  /**
   * Loop-lag percentiles (from `perf_hooks.monitorEventLoopDelay`, started by the first call and stopped by
   * `close()`) and the numbers of waiting callbacks and timers. The lag is how late the loop got around to
   * a timer: a healthy loop shows a few milliseconds; a blocked one shows the blocking time.
   * @remarks Not in Tornado.
   * @example
   * loop.stats({ reset: true }); // start measuring
   * // ... later
   * console.log(loop.stats().lag.p99);
   */
  stats(options?: StatsOptions): IOLoopStats {
    let lag = this.#lag;
    if (lag === undefined && !this.#closed) lag = this.#lag = new LagMonitor();
    return {
      lag: lag === undefined ? emptyLag() : lag.read(options?.reset === true),
      pendingCallbacks: this.#ready.length,
      pendingTimers: this.#timers.live,
    };
  }
}

function checkTime(what: string, value: number): void {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`${what} takes milliseconds as a number, got ${String(value)}`);
  }
}

function noop(): void {}
