import { type IOLoop, PeriodicCallback } from '@gust/node-adapter';

/** One reading of the loop lag over a sampling period, in milliseconds. */
export interface LagSample {
  /** Increases by one per sample; clients ask for the samples after the last one they saw. */
  seq: number;
  /** Wall-clock time of the reading, epoch milliseconds. */
  at: number;
  /** Worst lag in the period: how long the loop was held at most. */
  max: number;
  p50: number;
  p99: number;
}

/** Options of {@link LagSampler}. */
export interface LagSamplerOptions {
  /** Sampling period in milliseconds. @default 250 */
  periodMs?: number;
  /** How many samples are kept. @default 240 (one minute at 250 ms) */
  keep?: number;
}

/**
 * Reads the IOLoop's lag (`loop.stats({ reset: true })`) every period with a {@link PeriodicCallback} and
 * keeps the last readings for the lag meter. A loop blocked for a second shows up as one sample with
 * `max` ≈ 1000 (the PeriodicCallback skips the slots it missed rather than bunching them).
 * @remarks Not in Tornado, whose 4.x `set_blocking_log_threshold` only logged.
 */
export class LagSampler {
  readonly #loop: IOLoop;
  readonly #keep: number;
  readonly #callback: PeriodicCallback;
  #samples: LagSample[] = [];
  #seq = 0;
  readonly #periodMs: number;
  #lastAt: number | undefined;

  constructor(loop: IOLoop, options: LagSamplerOptions = {}) {
    this.#loop = loop;
    this.#keep = options.keep ?? 240;
    // The lag monitor records a block when its libuv timer next fires, which may come after the sampling
    // timer in the same turn: reading on the next callback turn makes sure a block that just ended is in.
    this.#periodMs = options.periodMs ?? 250;
    this.#callback = new PeriodicCallback(() => loop.addCallback(this.#sample), this.#periodMs, {
      loop,
    });
  }

  /** The sequence number of the latest sample (0 before the first). */
  get seq(): number {
    return this.#seq;
  }

  /** Starts sampling; the first sample comes one period later. */
  start(): void {
    this.#lastAt = undefined;
    this.#loop.stats({ reset: true });
    this.#callback.start();
  }

  /** Stops sampling. */
  stop(): void {
    this.#callback.stop();
  }

  /** The kept samples newer than `seq`, oldest first. */
  since(seq: number): LagSample[] {
    const samples = this.#samples;
    let i = samples.length;
    while (i > 0 && samples[i - 1]!.seq > seq) i--;
    return samples.slice(i);
  }

  readonly #sample = (): void => {
    const { lag } = this.#loop.stats({ reset: true });
    // The histogram drops the first interval after a reset, so a block that starts right after one can go
    // unrecorded; the sampler's own lateness (time since the last sample beyond one period) catches it.
    const now = this.#loop.time();
    const late = this.#lastAt === undefined ? 0 : Math.max(0, now - this.#lastAt - this.#periodMs);
    this.#lastAt = now;
    const round = (ms: number): number => Math.round(ms * 10) / 10;
    this.#samples.push({
      seq: ++this.#seq,
      at: Date.now(),
      max: round(Math.max(lag.max, late)),
      p50: round(lag.p50),
      p99: round(lag.p99),
    });
    if (this.#samples.length > this.#keep) this.#samples.splice(0, this.#samples.length - this.#keep);
  };
}
