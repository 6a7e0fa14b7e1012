/**
 * Throw `new Return(value)` in a coroutine to fulfil its Future with `value`: the same as `return value`.
 * Kept for code ported from Python 2-era Tornado, as in the seed's `raise gen.Return(response.body)`.
 * Tornado: `tornado.gen.Return`.
 * @example
 * const fetchBody = coroutine(function* (url: string) {
 *   const response = yield* client.fetch(url);
 *   throw new Return(response.body);
 * });
 */
export class Return<T = unknown> extends Error {
  /** `'Return'`. */
  override name = 'Return';
  /** The value the coroutine returns. */
  readonly value: T;
  constructor(value?: T) {
    super('Return: a coroutine returned a value');
    this.value = value as T;
  }
}
