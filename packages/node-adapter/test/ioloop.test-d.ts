import { Future } from '@gust/core';
import { IOLoop } from '@gust/node-adapter';
import { describe, expectTypeOf, it } from 'vitest';

describe('IOLoop.runSync', () => {
  it('types the result of a value, a promise, a Future and a coroutine', () => {
    const loop = new IOLoop();
    expectTypeOf(loop.runSync(() => 1)).toEqualTypeOf<Future<number>>();
    expectTypeOf(loop.runSync(async () => 'x')).toEqualTypeOf<Future<string>>();
    expectTypeOf(loop.runSync(() => Future.resolve(true))).toEqualTypeOf<Future<boolean>>();
    expectTypeOf(
      loop.runSync(function* () {
        yield null;
        return 2;
      }),
    ).toEqualTypeOf<Future<number>>();
  });
});
