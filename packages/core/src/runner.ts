import { convertYielded } from './convert-yielded.js';
import { Future, futureOutcome, futureState } from './future.js';
import { callSoon } from './loop.js';
import { Return } from './return.js';

const NEXT = 0;
const THROW = 1;
const RETURN = 2;
type Mode = typeof NEXT | typeof THROW | typeof RETURN;

let syncStepBudget = 4096;

/**
 * Sets how many consecutive synchronous steps (yields of already-done Futures) a coroutine may take before
 * the runner yields one loop turn, so that a hot coroutine cannot starve timers and I/O. Returns the
 * previous budget. `Infinity` restores Tornado's behaviour (no budget).
 * @default 4096
 * @example
 * setSyncStepBudget(1000);
 */
export function setSyncStepBudget(steps: number): number {
  if (!(steps >= 1)) throw new RangeError(`the synchronous step budget must be at least 1, got ${steps}`);
  const previous = syncStepBudget;
  syncStepBudget = steps;
  return previous;
}

/**
 * The Future of a running coroutine. `cancel()` cancels the Future the coroutine is waiting on and closes
 * the generator with `return()`, so its `finally` blocks run (yields inside them are awaited); the Future
 * becomes cancelled once that cleanup has finished. An error thrown by the cleanup rejects it instead.
 *
 * It is also the coroutine's driver: it sends the result of each yielded Future back into the generator,
 * synchronously (in a loop, without a microtask) when the Future is already done. Tornado: `tornado.gen.Runner`.
 * @remarks Tornado has no coroutine cancellation; this follows `asyncio.Task.cancel()`.
 * @example
 * const future = fetchCoroutine(url); // a CoroutineFuture
 * future.cancel(); // aborts the fetch; the coroutine's finally blocks run, then the Future is cancelled
 */
export class CoroutineFuture<T> extends Future<T> {
  // The generator while the coroutine runs; undefined once it has finished (or for a Future made with
  // `new CoroutineFuture()`, which then behaves as a plain Future).
  #gen: Generator<unknown, T, unknown> | undefined;
  #awaiting: Future<unknown> | undefined;
  #running = false;
  #cancelRequested = false;
  #cancelling = false;
  readonly #onDone = (done: Future<unknown>): void => {
    if (done !== this.#awaiting) return;
    this.#awaiting = undefined;
    this.#run(futureState(done) === 1 ? NEXT : THROW, futureOutcome(done));
  };

  /** @internal Runs `gen` up to its first yield of a pending value; `runGenerator` is the public way. */
  constructor(gen?: Generator<unknown, T, unknown>) {
    super();
    if (gen !== undefined) {
      this.#gen = gen;
      this.#run(NEXT, undefined);
    }
  }

  /**
   * Requests cancellation. Returns true if the coroutine was still running (it ends cancelled after its
   * `finally` blocks ran), false if it had already finished.
   */
  override cancel(): boolean {
    if (this.#gen === undefined) return super.cancel();
    if (this.#cancelRequested) return true;
    this.#cancelRequested = true;
    // If the generator is running right now, the loop below starts the cleanup once it yields.
    if (this.#running) return true;
    const awaiting = this.#awaiting;
    this.#awaiting = undefined;
    if (awaiting !== undefined) {
      awaiting.removeDoneCallback(this.#onDone);
      awaiting.cancel();
    }
    this.#cancelling = true;
    this.#run(RETURN, undefined);
    return true;
  }

  #run(mode: Mode, arg: unknown): void {
    const gen = this.#gen as Generator<unknown, T, unknown>;
    let steps = 0;
    for (;;) {
      let step: IteratorResult<unknown, T>;
      this.#running = true;
      try {
        step = mode === NEXT ? gen.next(arg) : mode === THROW ? gen.throw(arg) : gen.return(arg as T);
      } catch (error) {
        this.#running = false;
        if (error instanceof Return) this.#finish(true, error.value);
        else this.#finish(false, error);
        return;
      }
      this.#running = false;
      if (step.done === true) {
        this.#finish(true, step.value);
        return;
      }
      if (this.#cancelRequested && !this.#cancelling) {
        // cancel() was called while the body ran: discard what it yielded and start the cleanup.
        this.#cancelling = true;
        if (step.value instanceof Future) step.value.cancel();
        mode = RETURN;
        arg = undefined;
        continue;
      }
      let future: Future<unknown>;
      const yielded = step.value;
      if (yielded instanceof Future) {
        future = yielded;
      } else {
        try {
          future = convertYielded(yielded);
        } catch (error) {
          mode = THROW;
          arg = error;
          continue;
        }
      }
      const state = futureState(future);
      if (state === 0 || ++steps >= syncStepBudget) {
        this.#awaiting = future;
        if (state === 0) future.addDoneCallback(this.#onDone);
        else callSoon(() => this.#onDone(future));
        return;
      }
      // Tornado resumes done futures synchronously (gen.Runner); a loop, not recursion, keeps the stack flat.
      arg = futureOutcome(future);
      mode = state === 1 ? NEXT : THROW;
    }
  }

  #finish(ok: boolean, value: unknown): void {
    this.#gen = undefined;
    if (this.#cancelRequested && ok) super.cancel();
    else if (ok) this.setResult(value as T);
    else this.setException(value);
  }
}
