import { Future } from './future.js';
import { callSoon } from './loop.js';

const MOMENT_BRAND = Symbol.for('gust.moment');

/**
 * The type of {@link moment}.
 * @example
 * const pause: Moment = moment;
 * yield pause;
 */
export interface Moment {
  /** The brand that {@link isMoment} recognises, shared by every copy of the package. */
  readonly [MOMENT_BRAND]: true;
}

/**
 * Yield `moment` (or `null`/`undefined`) in a coroutine to let the loop run other callbacks and I/O for
 * one turn before resuming. Tornado: `tornado.gen.moment`.
 * @example
 * const worker = coroutine(function* () {
 *   for (const item of items) { process(item); yield moment; }
 * });
 */
export const moment: Moment = Object.freeze({ [MOMENT_BRAND]: true as const });

/**
 * True for {@link moment} (from any copy of the package).
 * @example
 * isMoment(moment); // true
 */
export function isMoment(value: unknown): value is Moment {
  return value === moment || (typeof value === 'object' && value !== null && MOMENT_BRAND in value);
}

/** A Future fulfilled on the next turn of the current loop: what yielding `moment` waits on. */
export function nextTurn(): Future<void> {
  const future = new Future<void>();
  callSoon(() => {
    if (!future.done()) future.setResult(undefined);
  });
  return future;
}
