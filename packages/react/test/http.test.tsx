// biome-ignore-all lint/correctness/noComponentHookFactories: tests build small components around each case.
import { AsyncHTTPClient, HTTPClientError, isHTTPClientError, sleep } from '@gust/core';
import { GustProvider, useCoroutine, useFuture, useHTTPClient } from '@gust/react';
import { act, cleanup, render, screen } from '@testing-library/react';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import type { ReactNode } from 'react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

// The client uses its default FetchTransport (globalThis.fetch), which msw intercepts: no socket is opened.
const API = 'http://api.test';

/** What the mock server saw, in order: `start <path>`, `abort <path>`, `done <path>`. */
let serverLog: string[] = [];

/** Resolves after `ms`, or as soon as the request is aborted, clearing its timer either way. */
function waitOrAbort(request: Request, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    request.signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

const server = setupServer(
  http.get(`${API}/users/:id`, async ({ request, params }) => {
    const path = new URL(request.url).pathname;
    serverLog.push(`start ${path}`);
    request.signal.addEventListener('abort', () => serverLog.push(`abort ${path}`));
    const id = Number(params.id);
    // User 1 is slow, user 404 does not exist, user 500 breaks the server, user 999 never answers.
    const ms = id === 999 ? 60_000 : id === 1 ? 150 : 5;
    await waitOrAbort(request, ms);
    if (request.signal.aborted) return HttpResponse.error();
    serverLog.push(`done ${path}`);
    if (id === 404) return HttpResponse.json({ message: 'no such user' }, { status: 404 });
    if (id === 500) return new HttpResponse('boom', { status: 500 });
    return HttpResponse.json({ id, name: `user ${id}` });
  }),
);

let client: AsyncHTTPClient;

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());
beforeEach(() => {
  serverLog = [];
  client = new AsyncHTTPClient({ forceInstance: true });
});
afterEach(() => {
  cleanup();
  client.close();
  server.resetHandlers();
});

interface User {
  id: number;
  name: string;
}

/** Fetches user `id` with the injected client and records each render and the coroutine's `finally`. */
function makeUserCard(events: string[]) {
  return function UserCard({ id }: { id: number }) {
    const http = useHTTPClient();
    const { loading, data, error } = useCoroutine(
      function* () {
        try {
          const response = yield* http.fetch(`${API}/users/${id}`);
          return response.json<User>();
        } finally {
          events.push(`finally ${id}`);
        }
      },
      [id],
    );
    const text = loading ? 'loading' : error ? `error: ${(error as Error).message}` : `name: ${data?.name}`;
    events.push(`render ${id} ${text}`);
    return <p>{text}</p>;
  };
}

function withClient(ui: ReactNode) {
  return <GustProvider client={client}>{ui}</GustProvider>;
}

describe('useCoroutine with AsyncHTTPClient (msw)', () => {
  it('shows loading, then the fetched data', async () => {
    const events: string[] = [];
    const UserCard = makeUserCard(events);
    render(withClient(<UserCard id={7} />));
    expect(screen.getByText('loading')).toBeTruthy();
    expect(await screen.findByText('name: user 7')).toBeTruthy();
    expect(events).toEqual(['render 7 loading', 'finally 7', 'render 7 name: user 7']);
    expect(serverLog).toEqual(['start /users/7', 'done /users/7']);
  });

  it('shows loading, then the HTTPClientError of a failed response', async () => {
    const events: string[] = [];
    const UserCard = makeUserCard(events);
    render(withClient(<UserCard id={500} />));
    expect(screen.getByText('loading')).toBeTruthy();
    expect(await screen.findByText('error: HTTP 500: Internal Server Error')).toBeTruthy();
  });

  it('passes the exact error (code and response) to the component', async () => {
    let seen: unknown;
    function Probe() {
      const http = useHTTPClient();
      const { error } = useCoroutine(function* () {
        return yield* http.fetch(`${API}/users/404`);
      });
      seen = error;
      return <p>{error ? 'failed' : 'waiting'}</p>;
    }
    render(withClient(<Probe />));
    await screen.findByText('failed');
    expect(seen).toBeInstanceOf(HTTPClientError);
    expect(isHTTPClientError(seen) && seen.code).toBe(404);
    expect(isHTTPClientError(seen) && seen.response?.json()).toEqual({ message: 'no such user' });
  });

  it('aborts the fetch on unmount: the server sees the abort and the finally block runs', async () => {
    const events: string[] = [];
    const UserCard = makeUserCard(events);
    const { unmount } = render(withClient(<UserCard id={999} />));
    await act(async () => {
      while (!serverLog.includes('start /users/999')) await sleep(2);
    });
    unmount();
    expect(events).toContain('finally 999');
    await act(async () => {
      const deadline = performance.now() + 2000;
      while (!serverLog.includes('abort /users/999') && performance.now() < deadline) await sleep(2);
    });
    expect(serverLog).toEqual(['start /users/999', 'abort /users/999']);
    expect(events).toEqual(['render 999 loading', 'finally 999']);
  });

  it('aborts the slow request of the old deps and never shows its result', async () => {
    const events: string[] = [];
    const UserCard = makeUserCard(events);
    const { rerender } = render(withClient(<UserCard id={1} />));
    await act(async () => {
      while (!serverLog.includes('start /users/1')) await sleep(2);
    });
    rerender(withClient(<UserCard id={2} />));
    expect(await screen.findByText('name: user 2')).toBeTruthy();
    await act(() => sleep(200)); // longer than user 1 would have taken
    expect(serverLog).toContain('abort /users/1');
    expect(serverLog).not.toContain('done /users/1');
    expect(events.some((e) => e.includes('user 1'))).toBe(false);
    expect(screen.getByText('name: user 2')).toBeTruthy();
  });
});

describe('useFuture with AsyncHTTPClient (msw)', () => {
  it('fetches with a factory and shows the response', async () => {
    function Name({ id }: { id: number }) {
      const http = useHTTPClient();
      const { loading, data } = useFuture(() => http.fetch(`${API}/users/${id}`), [id]);
      return <p>{loading ? 'loading' : data?.json<User>().name}</p>;
    }
    render(withClient(<Name id={3} />));
    expect(screen.getByText('loading')).toBeTruthy();
    expect(await screen.findByText('user 3')).toBeTruthy();
  });
});

describe('GustProvider / useHTTPClient', () => {
  it('returns the injected client below a provider', () => {
    let seen: AsyncHTTPClient | undefined;
    function Probe() {
      seen = useHTTPClient();
      return null;
    }
    render(withClient(<Probe />));
    expect(seen).toBe(client);
  });

  it('returns the innermost provider client when providers nest', () => {
    const inner = new AsyncHTTPClient({ forceInstance: true });
    let seen: AsyncHTTPClient | undefined;
    function Probe() {
      seen = useHTTPClient();
      return null;
    }
    render(
      withClient(
        <GustProvider client={inner}>
          <Probe />
        </GustProvider>,
      ),
    );
    expect(seen).toBe(inner);
    inner.close();
  });

  it('returns the shared AsyncHTTPClient without a provider', () => {
    let seen: AsyncHTTPClient | undefined;
    function Probe() {
      seen = useHTTPClient();
      return null;
    }
    render(<Probe />);
    expect(seen).toBe(new AsyncHTTPClient());
    expect(seen).not.toBe(client);
  });
});
