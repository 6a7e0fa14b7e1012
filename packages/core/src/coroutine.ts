import { Future } from './future.js';
import { CoroutineFuture } from './runner.js';

/**
 * A generator function usable as a coroutine body.
 * @example
 * const body: CoroutineBody<[string], number> = function* (url) {
 *   const response = yield* client.fetch(url);
 *   return response.code;
 * };
 * const fetchCode = coroutine(body);
 */
export type CoroutineBody<A extends unknown[], R> = (...args: A) => Generator<unknown, R, any>;

/**
 * Turns a generator function into a function that returns a {@link Future} of its result. The body starts
 * synchronously at call time and runs until it yields a pending value; each `yield` waits for a Future,
 * thenable, array/object of them (= `multi`) or `moment`. Use `yield*` on a Future for a typed result:
 * `const res = yield* client.fetch(url)` types `res`; a plain `yield` expression is `any` in TypeScript.
 *
 * Also accepts a plain or `async` function: its result (or thrown error) becomes the Future. Errors thrown
 * by the body, also before its first yield, reject the Future; they never throw at the call site.
 * @remarks Tornado: `@tornado.gen.coroutine`. gust adds cancellation: `future.cancel()` runs the body's
 * `finally` blocks and aborts what it was waiting on.
 * @example
 * const fetchCoroutine = coroutine(function* (url: string) {
 *   const client = new AsyncHTTPClient();
 *   const response = yield* client.fetch(url);
 *   return response.body;
 * });
 */
export function coroutine<A extends unknown[], R>(fn: CoroutineBody<A, R>): (...args: A) => Future<R>;
export function coroutine<A extends unknown[], R>(
  fn: (...args: A) => R | PromiseLike<R>,
): (...args: A) => Future<Awaited<R>>;
export function coroutine<A extends unknown[], R>(fn: (...args: A) => unknown): (...args: A) => Future<R> {
  if (typeof fn !== 'function') throw new TypeError('coroutine() takes a function');
  const wrapper = function (this: unknown, ...args: A): Future<R> {
    let result: unknown;
    try {
      result = fn.apply(this, args);
    } catch (error) {
      return Future.reject<R>(error);
    }
    if (isGenerator(result)) return runGenerator(result as Generator<unknown, R, unknown>);
    return Future.from(result as R);
  };
  Object.defineProperty(wrapper, 'name', { value: fn.name || 'coroutine' });
  return wrapper;
}

/**
 * Runs a generator object as a coroutine and returns its Future: the runner that {@link coroutine} uses,
 * for a generator you already hold.
 * @example
 * const future = runGenerator(body());
 */
export function runGenerator<R>(gen: Generator<unknown, R, any>): Future<R> {
  return new CoroutineFuture<R>(gen);
}

/** @internal True for a generator object (what a generator function returns). */
export function isGenerator(value: unknown): value is Generator {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Generator).next === 'function' &&
    typeof (value as Generator).throw === 'function' &&
    typeof (value as Generator).return === 'function'
  );
}
