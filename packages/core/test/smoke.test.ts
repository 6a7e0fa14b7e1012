import { coroutine, Future, moment, multi, sleep } from '@gust/core';
import { describe, expect, it } from 'vitest';

describe('smoke', () => {
  it('runs a coroutine', async () => {
    const f = coroutine(function* (x: number) {
      const a = yield* Future.resolve(x);
      yield moment;
      yield sleep(1);
      const [b, c] = yield multi([Future.resolve(2), Promise.resolve(3)]);
      return a + b + c;
    });
    expect(await f(1)).toBe(6);
  });
});
