// biome-ignore-all lint/correctness/noComponentHookFactories: tests build small components around each case.
import { AsyncHTTPClient, Future, sleep } from '@gust/core';
import { GustProvider, useCoroutine, useFuture, useFutureSuspense, useHTTPClient } from '@gust/react';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import * as React from 'react';
import { Suspense } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

// This file runs with NODE_ENV=production (see vitest.config.ts): React's production build, no StrictMode
// double renders and no act(), so the counts are what users get. Renders are counted in the component.

let container: HTMLElement;
let root: Root;

const server = setupServer(http.get('http://api.test/greeting', () => HttpResponse.json({ text: 'hello' })));
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
});

afterEach(() => {
  root.unmount();
  container.remove();
});

async function waitForText(text: string, timeoutMs = 2000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (container.textContent !== text) {
    if (performance.now() > deadline) {
      throw new Error(`expected ${JSON.stringify(text)}, still ${JSON.stringify(container.textContent)}`);
    }
    await sleep(2);
  }
}

describe('render count (production build)', () => {
  it('runs the production build of React', () => {
    expect(process.env.NODE_ENV).toBe('production');
    expect((React as { act?: unknown }).act).toBeUndefined(); // act exists only in the development build
  });

  it('renders a component whose fetch succeeds exactly twice: loading, then data', async () => {
    const renders: string[] = [];
    const client = new AsyncHTTPClient({ forceInstance: true });
    function Greeting() {
      const api = useHTTPClient();
      const { loading, data } = useCoroutine(function* () {
        const response = yield* api.fetch('http://api.test/greeting');
        return response.json<{ text: string }>().text;
      });
      const text = loading ? 'loading' : `data ${data}`;
      renders.push(text);
      return <p>{text}</p>;
    }
    root.render(
      <GustProvider client={client}>
        <Greeting />
      </GustProvider>,
    );
    await waitForText('data hello');
    await sleep(20);
    expect(renders).toEqual(['loading', 'data hello']);
    client.close();
  });

  it('renders a useFuture that succeeds exactly twice: loading, then data', async () => {
    const renders: string[] = [];
    const future = new Future<string>();
    function Page() {
      const { loading, data } = useFuture(() => future);
      const text = loading ? 'loading' : `data ${data}`;
      renders.push(text);
      return <p>{text}</p>;
    }
    root.render(<Page />);
    await waitForText('loading');
    await sleep(20);
    future.setResult('ok');
    await waitForText('data ok');
    await sleep(20);
    expect(renders).toEqual(['loading', 'data ok']);
  });

  it('renders a useCoroutine that succeeds on the real loop exactly twice', async () => {
    const renders: string[] = [];
    function Page() {
      const { loading, data } = useCoroutine(function* () {
        yield sleep(15);
        return 'slept';
      });
      const text = loading ? 'loading' : `data ${data}`;
      renders.push(text);
      return <p>{text}</p>;
    }
    root.render(<Page />);
    await waitForText('data slept');
    await sleep(20);
    expect(renders).toEqual(['loading', 'data slept']);
  });

  it('resumes a suspended useFutureSuspense outside act, as in an app', async () => {
    const future = sleep(10).then(() => 'resumed');
    function Reads() {
      return <p>{useFutureSuspense(future)}</p>;
    }
    root.render(
      <Suspense fallback={<p>loading</p>}>
        <Reads />
      </Suspense>,
    );
    await waitForText('loading');
    await waitForText('resumed');
  });
});
