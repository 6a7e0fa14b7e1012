import { Future, type FutureObserverStatus } from '@gust/core';
import { useCoroutine, useFuture, useFutureSuspense } from '@gust/react';
import { describe, expectTypeOf, it } from 'vitest';

// Type-level only: these functions are never called as components.
describe('hook types', () => {
  it('types useFuture data from the Future or the factory', () => {
    const fromFuture = () => useFuture(Future.resolve(1));
    expectTypeOf<ReturnType<typeof fromFuture>['data']>().toEqualTypeOf<number | undefined>();
    const fromFactory = () => useFuture(() => Promise.resolve('x'), []);
    expectTypeOf<ReturnType<typeof fromFactory>['data']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<ReturnType<typeof fromFactory>['reload']>().toEqualTypeOf<() => Future<string>>();
    expectTypeOf<ReturnType<typeof fromFactory>['status']>().toEqualTypeOf<FutureObserverStatus>();
  });

  it('types useCoroutine run() from the generator parameters and data from its return', () => {
    const hook = () =>
      useCoroutine(
        function* (id: number, name: string) {
          const n = yield* Future.resolve(id);
          return { n, name };
        },
        [],
        { manual: true },
      );
    type Result = ReturnType<typeof hook>;
    expectTypeOf<Result['run']>().toEqualTypeOf<
      (id: number, name: string) => Future<{ n: number; name: string }>
    >();
    expectTypeOf<Result['data']>().toEqualTypeOf<{ n: number; name: string } | undefined>();
    expectTypeOf<Result['cancel']>().toEqualTypeOf<() => boolean>();
  });

  it('types useFutureSuspense as the result of the Future', () => {
    const read = () => useFutureSuspense(Future.resolve(true));
    expectTypeOf<ReturnType<typeof read>>().toEqualTypeOf<boolean>();
  });
});
