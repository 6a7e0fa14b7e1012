import { convertYielded, isPlainObject } from './convert-yielded.js';
import { Future, futureOutcome, futureState } from './future.js';
import { logError } from './logger.js';

/**
 * Error classes whose failures {@link multi} and {@link withTimeout} do not log.
 * @example
 * yield multi(fetches, { quietExceptions: [HTTPClientError, TimeoutError] });
 */
export type QuietExceptions =
  | (abstract new (
      ...args: any[]
    ) => unknown)
  | ReadonlyArray<abstract new (...args: any[]) => unknown>;

/**
 * Options of {@link multi}.
 * @example
 * const [a, b] = yield multi([fetchA(), fetchB()], { quietExceptions: HTTPClientError });
 */
export interface MultiOptions {
  /** Failures of these types after the first one are not logged. @default none */
  quietExceptions?: QuietExceptions;
}

/**
 * The result type of `multi(children)`: the same shape with each child's result.
 * @example
 * const both: Future<MultiResult<{ user: Future<User>; posts: Future<Post[]> }>> = multi({ user, posts });
 */
export type MultiResult<C> = { -readonly [K in keyof C]: C[K] extends PromiseLike<infer V> ? V : C[K] };

/**
 * Waits for every child (Futures, thenables or other yieldables) and fulfils with their results in the
 * same shape and order: an array for an array, an object with the same keys for an object.
 * As in Tornado it waits for all children, then fails with the first failure in input order; later
 * failures are logged unless their type is in `quietExceptions`. Cancelling the returned Future cancels
 * the children that are still pending (beyond Tornado, so that a cancelled coroutine aborts its fetches).
 * @remarks Tornado: `tornado.gen.multi` / `multi_future`.
 * @example
 * const [a, b] = yield multi([client.fetch(urlA), client.fetch(urlB)]);
 */
export function multi<const C extends readonly unknown[] | Record<string, unknown>>(
  children: C,
  options?: MultiOptions,
): Future<MultiResult<C>> {
  const isArray = Array.isArray(children);
  if (!isArray && !isPlainObject(children)) {
    throw new TypeError('multi() takes an array or a plain object of yieldables');
  }
  const keys = isArray ? undefined : Object.keys(children);
  const values: readonly unknown[] = keys
    ? keys.map((k) => (children as Record<string, unknown>)[k])
    : (children as readonly unknown[]);
  const futures = values.map((value) => convertYielded(value));
  let pending = futures.length;
  const result = new Future<MultiResult<C>>({
    onCancel: () => {
      for (const child of futures) child.cancel();
    },
  });
  const quiet = options?.quietExceptions;
  const finish = (): void => {
    let failed = false;
    let firstError: unknown;
    const out: unknown[] = [];
    for (const child of futures) {
      const state = futureState(child);
      const outcome = futureOutcome(child);
      if (state === 1) {
        out.push(outcome);
      } else if (!failed) {
        failed = true;
        firstError = outcome;
      } else if (!isQuiet(outcome, quiet)) {
        logError('Multiple exceptions in yield list', outcome);
      }
    }
    if (failed) result.setException(firstError);
    // Object.fromEntries defines each key as an own property, also one named "__proto__".
    else
      result.setResult((keys ? Object.fromEntries(keys.map((k, i) => [k, out[i]])) : out) as MultiResult<C>);
  };
  const onChildDone = (): void => {
    if (result.done()) {
      // Cancelled: the children's outcomes are retrieved, so that their errors are not reported as lost.
      for (const child of futures) futureOutcome(child);
    } else if (--pending === 0) finish();
  };
  if (pending === 0) finish();
  // Tornado's multi_future uses future_add_done_callback: children that are already done count at once, so
  // a list of done futures gives a done Future and the runner's synchronous fast path applies.
  for (const child of futures) {
    if (child.done()) onChildDone();
    else child.addDoneCallback(onChildDone);
  }
  return result;
}

/** True if `error` is an instance of one of the quiet classes. */
export function isQuiet(error: unknown, quiet: QuietExceptions | undefined): boolean {
  if (quiet === undefined) return false;
  const classes = Array.isArray(quiet) ? quiet : [quiet as abstract new (...args: any[]) => unknown];
  return classes.some((cls) => error instanceof cls);
}
