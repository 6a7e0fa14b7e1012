import { Future, type Loop, logger, type TimerHandle } from '@gust/core';
import { callbackName } from './callback-name.js';
import { IOLoop } from './ioloop.js';

/**
 * Options of {@link PeriodicCallback}.
 * @example
 * new PeriodicCallback(flushMetrics, 10_000, { jitter: 0.1 }).start(); // every 9.5–10.5 s
 */
export interface PeriodicCallbackOptions {
  /**
   * Randomizes each period by ±`jitter`/2 of it (0.1 → ±5%), so that many processes started together do
   * not run in lockstep. Between 0 and 1.
   * @default 0
   */
  jitter?: number;
  /** The loop to schedule on. @default `IOLoop.current()` when `start()` is called */
  loop?: Loop;
}

/**
 * Calls `fn` every `ms` milliseconds once started. The first call comes one period after `start()`.
 * Calls stay on the original grid (`start + k·ms`): when a call overruns, the missed slots are skipped
 * instead of run back to back. If `fn` returns a Future or promise, the next call waits until it settles,
 * so calls never overlap. An exception (or a failed Future) is logged with the callback's name and the
 * schedule goes on.
 * @remarks Tornado: `tornado.ioloop.PeriodicCallback(callback, callback_time, jitter)`; `callback_time`
 * is milliseconds there too.
 * @example
 * const heartbeat = new PeriodicCallback(() => console.log('alive'), 1000, { jitter: 0.1 });
 * heartbeat.start();
 * // ... later
 * heartbeat.stop();
 */
export class PeriodicCallback {
  readonly #fn: () => unknown;
  readonly #ms: number;
  readonly #jitter: number;
  readonly #loop: Loop | undefined;
  #running = false;
  #busy = false;
  #active: Loop | undefined;
  #timer: TimerHandle | undefined;
  #next = 0;

  /**
   * @param fn the function to call; its return value is awaited if it is a Future or promise.
   * @param ms the period in milliseconds.
   * @throws RangeError if `ms` is not a positive number, or `jitter` is outside [0, 1].
   */
  constructor(fn: () => unknown, ms: number, options?: PeriodicCallbackOptions) {
    if (typeof fn !== 'function') throw new TypeError('PeriodicCallback(fn, ms) takes a function');
    if (typeof ms !== 'number' || !(ms > 0) || !Number.isFinite(ms)) {
      throw new RangeError(`PeriodicCallback needs a positive period in milliseconds, got ${String(ms)}`);
    }
    const jitter = options?.jitter ?? 0;
    if (typeof jitter !== 'number' || !(jitter >= 0 && jitter <= 1)) {
      throw new RangeError(`PeriodicCallback jitter must be between 0 and 1, got ${String(jitter)}`);
    }
    this.#fn = fn;
    this.#ms = ms;
    this.#jitter = jitter;
    this.#loop = options?.loop;
  }

  /** Starts the schedule: the first call comes one period from now. No-op if already running. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    const loop = this.#loop ?? IOLoop.current();
    this.#active = loop;
    this.#next = loop.time();
    // If a call is still in flight (stop() then start() during an async callback), it schedules the next
    // one when it settles; scheduling here as well would let two calls overlap.
    if (!this.#busy) this.#scheduleNext();
  }

  /** Stops the schedule. A call in flight finishes; no further call starts. */
  stop(): void {
    this.#running = false;
    if (this.#timer !== undefined) this.#active?.cancelTimer(this.#timer);
    this.#timer = undefined;
  }

  /** True between `start()` and `stop()`. Tornado: `PeriodicCallback.is_running()`. */
  isRunning(): boolean {
    return this.#running;
  }

  #scheduleNext(): void {
    if (!this.#running) return;
    const loop = this.#active!;
    const now = loop.time();
    this.#updateNext(now);
    this.#timer = loop.callLater(this.#next - now, this.#run);
  }

  // Tornado's PeriodicCallback._update_next: the period is measured from the start of one call to the
  // start of the next; after an overrun, skip to the next slot of the original grid.
  #updateNext(now: number): void {
    let period = this.#ms;
    if (this.#jitter > 0) period *= 1 + this.#jitter * (Math.random() - 0.5);
    if (this.#next <= now) {
      this.#next += (Math.floor((now - this.#next) / period) + 1) * period;
    } else {
      this.#next += period;
    }
  }

  readonly #run = (): void => {
    this.#timer = undefined;
    if (!this.#running) return;
    this.#busy = true;
    let result: unknown;
    try {
      result = this.#fn();
    } catch (error) {
      logger.error(`Exception in callback ${callbackName(this.#fn)}`, error);
    }
    if (
      result !== null &&
      typeof result === 'object' &&
      typeof (result as PromiseLike<unknown>).then === 'function'
    ) {
      Future.from(result as PromiseLike<unknown>).addDoneCallback((done) => {
        if (!done.cancelled() && done.exception() !== undefined) {
          logger.error(`Exception in callback ${callbackName(this.#fn)}`, done.exception());
        }
        this.#finish();
      });
    } else {
      this.#finish();
    }
  };

  #finish(): void {
    this.#busy = false;
    this.#scheduleNext();
  }
}
