import { isGenerator, runGenerator } from './coroutine.js';
import { Future, futureOutcome, futureState, isFuture } from './future.js';
import { chainFuture } from './future-helpers.js';
import type { Timeout } from './loop.js';

// Runtimes without explicit resource management get the well-known registry symbols, which is what
// transpilers' `using` helpers (Babel, esbuild, oxc) look up there, so `await using` still works.
const disposeSymbol: typeof Symbol.dispose = Symbol.dispose ?? Symbol.for('Symbol.dispose');
const asyncDisposeSymbol: typeof Symbol.asyncDispose =
  Symbol.asyncDispose ?? Symbol.for('Symbol.asyncDispose');

/**
 * What `Lock.acquire()` and `Semaphore.acquire()` resolve to: a one-shot handle that gives the lock or
 * permit back. `release()` (or disposing it) releases once; later calls do nothing, so an early manual
 * `release()` inside a `using` block is safe.
 * @remarks Tornado: `_ReleasingContextManager`, used as `with (yield lock.acquire()):`.
 * @example
 * {
 *   await using _ = await lock.acquire();
 *   // ... holding the lock; released at the end of the block, also on throw.
 * }
 */
export interface Releaser extends Disposable, AsyncDisposable {
  /** Releases the lock or permit this handle stands for; a second call does nothing. */
  release(): void;
}

class OneShotReleaser implements Releaser {
  #release: (() => void) | undefined;

  constructor(release: () => void) {
    this.#release = release;
  }

  release(): void {
    const release = this.#release;
    if (release === undefined) return;
    this.#release = undefined;
    release();
  }

  [disposeSymbol](): void {
    this.release();
  }

  [asyncDisposeSymbol](): PromiseLike<void> {
    this.release();
    return Future.resolve();
  }

  get [Symbol.toStringTag](): string {
    return 'Releaser';
  }
}

/** @internal A {@link Releaser} that calls `release` the first time it is released or disposed. */
export function createReleaser(release: () => void): Releaser {
  return new OneShotReleaser(release);
}

/**
 * What `Lock.with()` and `Semaphore.with()` accept: a generator function (run as a coroutine) or any function.
 * @example
 * yield lock.with(function* () {
 *   yield* client.fetch(url);
 * });
 */
export type GuardedBody<R> = (() => Generator<unknown, R, any>) | (() => R | PromiseLike<R>);

/**
 * @internal Runs `fn` while holding what `acquire(timeout)` grants, and releases it however `fn` ends:
 * returns, throws, rejects, or is cancelled. The result is a coroutine Future: cancelling it while waiting
 * gives up the place in line; cancelling it while `fn` runs cancels `fn`'s coroutine or Future (its
 * `finally` blocks run) and releases afterwards. A promise cannot be cancelled, so the lock is then held
 * until that promise settles: releasing earlier would let two bodies run at once.
 */
export function withReleaser<R>(
  acquire: (timeout?: Timeout) => Future<Releaser>,
  fn: GuardedBody<R>,
  timeout: Timeout | undefined,
): Future<R> {
  if (typeof fn !== 'function') throw new TypeError('with() takes a function or a generator function');
  return runGenerator(guarded(acquire(timeout), fn));
}

function* guarded<R>(acquiring: Future<Releaser>, fn: GuardedBody<R>): Generator<unknown, R, any> {
  try {
    yield* acquiring;
    const result = fn();
    if (isGenerator(result)) return yield* result;
    if (isFuture<R>(result)) return yield* result;
    if (!isThenable(result)) return result as R;
    // Yield a copy, so that cancelling this coroutine leaves the promise's own Future pending and the
    // `finally` below can wait for the work to really end before it releases.
    const work = Future.from(result as PromiseLike<R>);
    const copy = new Future<R>();
    chainFuture(work, copy);
    try {
      return yield* copy;
    } finally {
      if (!work.done()) yield work.then(noop, noop);
    }
  } finally {
    // Also when cancelled after the permit was granted but before this generator resumed: the permit
    // is ours then and must go back. The releaser is one-shot, so this never releases twice.
    if (futureState(acquiring) === 1) (futureOutcome(acquiring) as Releaser).release();
  }
}

function noop(): void {}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}
