import { BadYieldError } from './errors.js';
import { Future, isFuture } from './future.js';
import { isMoment, nextTurn } from './moment.js';
import { multi } from './multi.js';

/**
 * Anything a coroutine may yield.
 * @example
 * const inputs: Yieldable[] = [client.fetch(url), fetch(url), [sleep(10), moment], { a: Future.resolve(1) }];
 */
export type Yieldable =
  | Future<any>
  | PromiseLike<any>
  | readonly Yieldable[]
  | { readonly [key: string]: Yieldable }
  | null
  | undefined
  | object;

type Converter = { test: (value: unknown) => boolean; convert: (value: any) => Future<any> };
const converters: Converter[] = [];

/**
 * Teaches {@link convertYielded} (and so every coroutine) a new kind of yieldable: values for which
 * `test` returns true are turned into a Future by `convert`. Later registrations are tried first.
 * Tornado: registering on the `convert_yielded` singledispatch function.
 * @example
 * registerYieldable((v) => v instanceof Observable, (o) => Future.from(o.toPromise()));
 */
export function registerYieldable<V>(
  test: (value: unknown) => value is V,
  convert: (value: V) => Future<any>,
): void;
export function registerYieldable(
  test: (value: unknown) => boolean,
  convert: (value: any) => Future<any>,
): void;
export function registerYieldable(
  test: (value: unknown) => boolean,
  convert: (value: any) => Future<any>,
): void {
  converters.unshift({ test, convert });
}

/**
 * Converts what a coroutine yielded into a Future: Futures as they are, thenables adopted, arrays and plain
 * objects through {@link multi}, `moment`/`null`/`undefined` into a Future done on the next loop turn, and
 * registered yieldables through their converter.
 * @throws BadYieldError for anything else.
 * @remarks Tornado: `tornado.gen.convert_yielded`.
 * @example
 * const future = convertYielded([client.fetch(a), client.fetch(b)]); // the same as multi([...])
 */
export function convertYielded(yielded: unknown): Future<any> {
  if (isFuture(yielded)) return yielded;
  if (yielded === null || yielded === undefined || isMoment(yielded)) return nextTurn();
  if (typeof yielded === 'object' || typeof yielded === 'function') {
    for (const converter of converters) {
      if (converter.test(yielded)) return converter.convert(yielded);
    }
    if (typeof (yielded as PromiseLike<unknown>).then === 'function') return Future.from(yielded);
    if (Array.isArray(yielded) || isPlainObject(yielded)) return multi(yielded as never);
  }
  throw new BadYieldError(
    `yielded unknown object ${describe(yielded)}: yield a Future, a promise, an array or object of them, or moment`,
  );
}

/**
 * True for `{}`-style objects (prototype `Object.prototype` or `null`).
 * @example
 * isPlainObject({ a: 1 }); // true
 * isPlainObject(new Map()); // false
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object' && value !== null) return `[object ${value.constructor?.name ?? 'Object'}]`;
  return String(value);
}
