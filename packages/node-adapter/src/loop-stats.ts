import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * Event-loop lag in milliseconds: how late a timer that should fire every few milliseconds actually ran,
 * which is how long something held the loop. All fields are 0 until the first sample.
 * @example
 * const { lag } = IOLoop.current().stats({ reset: true });
 * if (lag.max > 100) logger.warn('the loop was blocked', lag);
 */
export interface LoopLag {
  /** Number of samples behind the figures. */
  samples: number;
  /** The smallest lag seen. */
  min: number;
  /** The largest lag seen: the longest the loop was held. */
  max: number;
  /** The mean lag. */
  mean: number;
  /** The standard deviation of the lag. */
  stddev: number;
  /** The median lag. */
  p50: number;
  /** The 90th percentile of the lag. */
  p90: number;
  /** The 99th percentile of the lag. */
  p99: number;
}

/**
 * What {@link IOLoop.stats} returns.
 * @example
 * const { lag, pendingCallbacks, pendingTimers } = IOLoop.current().stats();
 * console.log(`p99 lag ${lag.p99} ms; ${pendingCallbacks} callbacks, ${pendingTimers} timers waiting`);
 */
export interface IOLoopStats {
  /** Loop lag since the monitor started (the first `stats()` call) or since the last `{ reset: true }`. */
  lag: LoopLag;
  /** Callbacks queued to run on the next drain. */
  pendingCallbacks: number;
  /** Timers waiting for their deadline. */
  pendingTimers: number;
}

// The monitor's timer fires every RESOLUTION ms; Node records the whole interval between two firings, so
// the lag is that interval minus the resolution.
const RESOLUTION = 10;
const NS_PER_MS = 1e6;

/**
 * Loop-lag percentiles from `perf_hooks.monitorEventLoopDelay`. The histogram's timer runs in libuv
 * (no JavaScript wake-ups) and does not keep the process alive; it starts on the first read.
 * @internal
 */
export class LagMonitor {
  #histogram: IntervalHistogram | undefined;

  read(reset: boolean): LoopLag {
    let histogram = this.#histogram;
    if (histogram === undefined) {
      histogram = monitorEventLoopDelay({ resolution: RESOLUTION });
      histogram.enable();
      this.#histogram = histogram;
    }
    const lag = histogram.count === 0 ? emptyLag() : toLag(histogram);
    if (reset) histogram.reset();
    return lag;
  }

  close(): void {
    this.#histogram?.disable();
    this.#histogram = undefined;
  }
}

function toLag(h: IntervalHistogram): LoopLag {
  const ms = (ns: number): number => Math.max(0, ns / NS_PER_MS - RESOLUTION);
  return {
    samples: h.count,
    min: ms(h.min),
    max: ms(h.max),
    mean: ms(h.mean),
    stddev: h.stddev / NS_PER_MS,
    p50: ms(h.percentile(50)),
    p90: ms(h.percentile(90)),
    p99: ms(h.percentile(99)),
  };
}

/** @internal Lag figures before any sample. */
export function emptyLag(): LoopLag {
  return { samples: 0, min: 0, max: 0, mean: 0, stddev: 0, p50: 0, p90: 0, p99: 0 };
}
