// @vitest-environment node
// biome-ignore-all lint/correctness/noComponentHookFactories: tests build small components around each case.
import { Future, sleep } from '@gust/core';
import { useCoroutine, useFuture, useFutureSuspense } from '@gust/react';
import { Suspense } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';

function Status({ state }: { state: { status: string; data: unknown } }) {
  return (
    <p>
      {state.status}:{String(state.data)}
    </p>
  );
}

describe('server rendering', () => {
  it('renders the loading state of useFuture and never calls the factory', () => {
    const factory = vi.fn(() => sleep(10_000));
    function Page() {
      return <Status state={useFuture(factory)} />;
    }
    expect(renderToString(<Page />)).toBe('<p>pending<!-- -->:<!-- -->undefined</p>');
    expect(factory).not.toHaveBeenCalled();
  });

  it('renders the loading state of useCoroutine and never starts the coroutine', () => {
    const body = vi.fn(function* () {
      yield sleep(10_000);
      return 'never';
    });
    function Page() {
      return <Status state={useCoroutine(body)} />;
    }
    expect(renderToString(<Page />)).toBe('<p>pending<!-- -->:<!-- -->undefined</p>');
    expect(body).not.toHaveBeenCalled();
  });

  it('renders idle for a manual useCoroutine', () => {
    function Page() {
      return <Status state={useCoroutine(function* () {}, [], { manual: true })} />;
    }
    expect(renderToString(<Page />)).toBe('<p>idle<!-- -->:<!-- -->undefined</p>');
  });

  it('renders the result of a done Future', () => {
    function Page() {
      return <Status state={useFuture(Future.resolve('from the server'))} />;
    }
    expect(renderToString(<Page />)).toBe('<p>fulfilled<!-- -->:<!-- -->from the server</p>');
  });

  it('renders a done Future read with useFutureSuspense, and the fallback for a pending one', () => {
    function Reads({ future }: { future: Future<string> }) {
      return <p>{useFutureSuspense(future)}</p>;
    }
    const page = (future: Future<string>) => (
      <Suspense fallback={<p>loading</p>}>
        <Reads future={future} />
      </Suspense>
    );
    expect(renderToString(page(Future.resolve('ready')))).toBe('<!--$--><p>ready</p><!--/$-->');
    const pending = new Future<string>();
    expect(renderToString(page(pending))).toContain('<p>loading</p>');
    pending.cancel();
  });
});
