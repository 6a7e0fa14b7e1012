import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { logger } from '@gust/core';
import { callbackName } from './callback-name.js';

/**
 * Options of {@link IOLoop.setBlockingLogThreshold}.
 * @example
 * IOLoop.current().setBlockingLogThreshold(50, { outsideCallbacks: false }); // IOLoop callbacks only
 */
export interface BlockingLogOptions {
  /**
   * Also report blocking that happens outside IOLoop callbacks: promise continuations (`await`), coroutine
   * steps resumed by a Future, plain Node timers and I/O callbacks. Costs a libuv timer every 10 ms and one
   * JavaScript check per `max(threshold, 100)` ms; neither keeps the process alive. Such reports cannot
   * name the culprit, only the time.
   * @default true
   */
  outsideCallbacks?: boolean;
}

const RESOLUTION = 10;

/**
 * The blocking watchdog of an `IOLoop`: the loop times every callback it runs and hands the times here;
 * any callback over the threshold is logged with its name. Optionally a `monitorEventLoopDelay` histogram
 * catches stalls that happened elsewhere.
 * @remarks Tornado: `IOLoop.set_blocking_log_threshold` (removed in Tornado 5, where asyncio's debug mode
 * `slow_callback_duration` took over); Tornado logged the stack of the blocked thread from a signal handler,
 * which JavaScript cannot do, so gust names the callback instead.
 * @internal
 */
export class BlockingWatchdog {
  readonly threshold: number;
  #histogram: IntervalHistogram | undefined;
  #interval: ReturnType<typeof setInterval> | undefined;
  #lastReport = Number.NEGATIVE_INFINITY;
  #lastCheck = performance.now();
  #period = 0;

  constructor(threshold: number, options: BlockingLogOptions | undefined) {
    this.threshold = threshold;
    if (options?.outsideCallbacks !== false) {
      const histogram = monitorEventLoopDelay({ resolution: RESOLUTION });
      histogram.enable();
      this.#histogram = histogram;
      this.#period = Math.max(threshold, 100);
      this.#interval = setInterval(() => this.#check(), this.#period);
      this.#interval.unref();
    }
  }

  /** Called by the loop after each callback that it timed. */
  measured(fn: unknown, start: number, end: number): void {
    const ms = end - start;
    if (ms <= this.threshold) return;
    const name = callbackName(fn);
    this.#lastReport = end;
    logger.warn(
      `IOLoop blocked for ${ms.toFixed(1)} ms by callback ${name} (threshold ${this.threshold} ms); ` +
        'move CPU-heavy or synchronous work to an executor with runInExecutor',
      { callback: name, durationMs: ms, thresholdMs: this.threshold },
    );
  }

  #check(): void {
    const histogram = this.#histogram;
    if (histogram === undefined) return;
    const now = performance.now();
    const since = this.#lastCheck;
    this.#lastCheck = now;
    const ms = histogram.count === 0 ? 0 : histogram.max / 1e6 - RESOLUTION;
    if (ms <= this.threshold) return;
    // Reset only after a stall: a reset histogram ignores the next interval of its timer (Node keeps no
    // previous timestamp across reset()), and resetting on every check would blind it that often.
    histogram.reset();
    // A stall that a callback report already explained is not reported twice. The histogram may record it
    // a check later than the report (its timer can run before the callback in the same loop phase).
    if (this.#lastReport > since - this.#period) return;
    logger.warn(
      `Event loop blocked for about ${ms.toFixed(0)} ms outside IOLoop callbacks (threshold ` +
        `${this.threshold} ms): by a promise continuation, a coroutine step, a Node timer or an I/O callback`,
      { durationMs: ms, thresholdMs: this.threshold },
    );
  }

  close(): void {
    if (this.#interval !== undefined) clearInterval(this.#interval);
    this.#interval = undefined;
    this.#histogram?.disable();
    this.#histogram = undefined;
  }
}
