import { monotonicNow, scheduleMacrotask } from './platform.js';

/**
 * An opaque handle returned by {@link Loop.callLater}, accepted by {@link Loop.cancelTimer}.
 * @example
 * const handle = currentLoop().callLater(1000, tick);
 * currentLoop().cancelTimer(handle);
 */
export type TimerHandle = object;

/**
 * The scheduling seam of gust: everything in core that waits (coroutines' `moment`, `sleep`, `withTimeout`,
 * lock and queue timeouts, the HTTP client's queue timeout) goes through the current `Loop`. Core ships a
 * portable default; `@gust/node-adapter`'s `IOLoop` implements the same interface.
 * Tornado: the subset of `IOLoop` that `tornado.gen` and `tornado.locks` use.
 * @example
 * const loop = currentLoop();
 * const handle = loop.callLater(100, () => console.log('100 ms later, at', loop.time()));
 * loop.callSoon(() => console.log('on the next turn'));
 */
export interface Loop {
  /** Monotonic milliseconds; deadlines (`{ deadline }`) are on this scale. Tornado: `IOLoop.time()` (seconds). */
  time(): number;
  /** Runs `fn` on a later turn of the loop (not a microtask), FIFO. Tornado: `IOLoop.add_callback`. */
  callSoon(fn: () => void): void;
  /** Runs `fn` once after `delayMs` milliseconds. Tornado: `IOLoop.call_later` (seconds). */
  callLater(delayMs: number, fn: () => void): TimerHandle;
  /** Cancels a timer; safe to call twice or after it fired. Tornado: `IOLoop.remove_timeout`. */
  cancelTimer(handle: TimerHandle): void;
}

/**
 * The largest delay `setTimeout` honours; longer ones fire at once in every host, so they are split.
 * @example
 * yield sleep(MAX_TIMER_DELAY + 1000); // waits the full time: the timer is re-armed, not fired early
 */
export const MAX_TIMER_DELAY = 2_147_483_647; // 2 ** 31 - 1, as a literal so bundlers can drop it

interface PortableTimer {
  id: ReturnType<typeof setTimeout> | undefined;
  cancelled: boolean;
}

/**
 * The portable default {@link Loop}: `performance.now()` for time, `setImmediate`/`MessageChannel` for
 * `callSoon` and `setTimeout` for timers (delays above 2^31−1 ms are split, not fired early).
 * Host globals are read at call time, so fake timers apply.
 * @example
 * setCurrentLoop(new PortableLoop());
 */
export class PortableLoop implements Loop {
  time(): number {
    return monotonicNow();
  }

  callSoon(fn: () => void): void {
    scheduleMacrotask(fn);
  }

  callLater(delayMs: number, fn: () => void): TimerHandle {
    const timer: PortableTimer = { id: undefined, cancelled: false };
    const deadline = this.time() + Math.max(0, delayMs);
    const arm = (remaining: number): void => {
      if (remaining > MAX_TIMER_DELAY) {
        timer.id = setTimeout(() => arm(deadline - this.time()), MAX_TIMER_DELAY);
      } else {
        timer.id = setTimeout(
          () => {
            timer.id = undefined;
            if (timer.cancelled) return;
            // setTimeout counts whole milliseconds and may fire up to 1 ms before the monotonic deadline.
            const left = deadline - this.time();
            if (left > 0) arm(left);
            else fn();
          },
          Math.max(0, Math.ceil(remaining)),
        );
      }
    };
    arm(Math.max(0, delayMs));
    return timer;
  }

  cancelTimer(handle: TimerHandle): void {
    const timer = handle as PortableTimer;
    timer.cancelled = true;
    if (timer.id !== undefined) {
      clearTimeout(timer.id);
      timer.id = undefined;
    }
  }
}

// Created on first use, so that a bundle that only runs coroutines (which schedule through `callSoon`
// below) does not carry the portable timer code.
let current: Loop | undefined;

/**
 * The loop that core schedules on. The portable loop unless one was installed with {@link setCurrentLoop}
 * (the Node adapter's `install()` installs `IOLoop.current()`). Tornado: `IOLoop.current()`.
 * @example
 * const deadline = currentLoop().time() + 5000;
 * yield withTimeout({ deadline }, queue.get());
 */
export function currentLoop(): Loop {
  if (current === undefined) current = new PortableLoop();
  return current;
}

/**
 * @internal `currentLoop().callSoon(fn)`, without creating the portable loop when none was installed:
 * the portable loop's `callSoon` is `scheduleMacrotask`.
 */
export function callSoon(fn: () => void): void {
  if (current === undefined) scheduleMacrotask(fn);
  else current.callSoon(fn);
}

/**
 * Makes `loop` the loop that core schedules on; returns the previous one.
 * @example
 * const previous = setCurrentLoop(myLoop); try { ... } finally { setCurrentLoop(previous); }
 */
export function setCurrentLoop(loop: Loop): Loop {
  const previous = currentLoop();
  current = loop;
  return previous;
}

/**
 * A relative timeout in milliseconds, or an absolute `{ deadline }` on the loop's `time()` scale.
 * @example
 * yield queue.get(1000); // relative: one second from now
 * yield queue.get({ deadline: currentLoop().time() + 1000 }); // absolute, on the loop's clock
 */
export type Timeout =
  | number
  | {
      /** The absolute time to give up at, on the loop's `time()` scale (milliseconds). */
      deadline: number;
    };

/**
 * Converts a {@link Timeout} into a delay from now on `loop`, validating it.
 * @example
 * const delay = timeoutToDelay(timeout); // 0 if the deadline has passed
 * const handle = currentLoop().callLater(delay, onTimeout);
 */
export function timeoutToDelay(timeout: Timeout, loop: Loop = currentLoop()): number {
  if (typeof timeout === 'number') {
    if (Number.isNaN(timeout)) throw new TypeError('timeout must be a number of milliseconds, got NaN');
    return Math.max(0, timeout);
  }
  if (timeout === null || typeof timeout !== 'object' || typeof timeout.deadline !== 'number') {
    throw new TypeError('timeout must be milliseconds or { deadline } on the loop time() scale');
  }
  return Math.max(0, timeout.deadline - loop.time());
}
