import { coroutine, Future, type MultiResult, multi, withTimeout } from '@gust/core';
import { describe, expectTypeOf, it } from 'vitest';

describe('coroutine types', () => {
  it('types yield* of a Future as its result and the coroutine Future as the return type', () => {
    const fetchLength = coroutine(function* (url: string) {
      const body = yield* Future.resolve(`body of ${url}`);
      expectTypeOf(body).toEqualTypeOf<string>();
      const n = yield* Future.from(Promise.resolve(3));
      expectTypeOf(n).toEqualTypeOf<number>();
      return body.length + n;
    });
    expectTypeOf(fetchLength).parameters.toEqualTypeOf<[string]>();
    expectTypeOf(fetchLength('x')).toEqualTypeOf<Future<number>>();
  });

  it('types plain yield as any (a TypeScript limitation)', () => {
    coroutine(function* () {
      const untyped = yield Future.resolve(1);
      expectTypeOf(untyped).toBeAny();
    });
  });

  it('types plain and async functions', () => {
    expectTypeOf(coroutine((x: number) => x * 2)).returns.toEqualTypeOf<Future<number>>();
    expectTypeOf(coroutine(async () => 'a')).returns.toEqualTypeOf<Future<string>>();
  });

  it('types multi by shape', () => {
    const list = multi([Future.resolve(1), Future.resolve('a')] as const);
    expectTypeOf(list).toEqualTypeOf<Future<MultiResult<readonly [Future<number>, Future<string>]>>>();
    const record = multi({ a: Future.resolve(1), b: Promise.resolve(true) });
    expectTypeOf(record).resolves.toEqualTypeOf<{ a: number; b: boolean }>();
  });

  it('keeps the type through withTimeout and then', () => {
    expectTypeOf(withTimeout(10, Future.resolve(1))).toEqualTypeOf<Future<number>>();
    expectTypeOf(Future.resolve(1).then((x) => `${x}`)).toEqualTypeOf<Future<string>>();
  });
});
