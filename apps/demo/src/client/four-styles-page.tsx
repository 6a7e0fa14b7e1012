import { type FutureSnapshot, withTimeout } from '@gust/core';
import { useCoroutine, useFuture, useHTTPClient } from '@gust/react';
import { type ReactNode, useEffect, useState } from 'react';
import syncSource from '../server/synchronous-fetch.ts?raw';
import { errorMessage, postJSON } from './api.js';
import { asyncFetchFuture, asynchronousFetch, fetchCoroutine } from './seed-fetches.js';
import seedSource from './seed-fetches.ts?raw';
import { sourceOf } from './source-of.js';

/** How long the upstream resource takes to answer, in milliseconds. */
const DELAY = 250;
// One URL per style: Chromium holds back a GET while an identical one is in flight (its cache lock), which
// would run the three browser styles one after another instead of side by side.
const upstream = (style: string): string => `/upstream/hello?delay=${DELAY}&style=${style}`;

interface Outcome {
  text: string;
  /** Milliseconds from start to result, measured in the browser. */
  ms: number;
  note?: string;
}

const decode = (body: Uint8Array): string => new TextDecoder().decode(body);

/**
 * Page 1: the seed's four fetch styles side by side. The three asynchronous ones run in this page through
 * `@gust/core` (each card is driven by a gust hook or a plain callback); the synchronous one runs on the
 * server, because it blocks the thread it runs on. All four start together.
 */
export function FourStylesPage() {
  const [runId, setRunId] = useState(0);
  return (
    <section>
      <h2>One fetch, four styles</h2>
      <p>
        Tornado's guide writes one HTTP fetch four ways. Each card runs its style for real against a resource
        that answers after {DELAY} ms. The three asynchronous styles run here, in your browser, through{' '}
        <code>@gust/core</code>; the synchronous one blocks the thread it runs on, so it runs on the demo
        server, which serves nobody else while it waits.
      </p>
      <button type="button" onClick={() => setRunId((n) => n + 1)}>
        Run all four again
      </button>
      <div className="cards">
        <SynchronousCard runId={runId} />
        <CallbackCard runId={runId} />
        <FutureCard runId={runId} />
        <CoroutineCard runId={runId} />
      </div>
      <p>
        The three browser styles run side by side, so each takes about one delay, not three. They usually take
        longer than {DELAY} ms all the same: the same server served them, and while the synchronous fetch held
        its loop, their timers could not fire. That is the case against blocking, in one page.
      </p>
    </section>
  );
}

function SynchronousCard({ runId }: { runId: number }) {
  const client = useHTTPClient();
  const state = useCoroutine(
    function* () {
      const start = performance.now();
      const answer = yield* postJSON<{ text: string; ms: number }>(client, '/a/styles/sync', {
        delay: DELAY,
      });
      return {
        text: answer.text,
        ms: performance.now() - start,
        note: `The server's loop was blocked for ${Math.round(answer.ms)} ms.`,
      };
    },
    [runId],
  );
  return (
    <Card
      style="sync"
      title="1. Synchronous"
      where="server, HTTPClient"
      code={sourceOf(syncSource, 'synchronousFetch')}
    >
      <Result state={state} />
    </Card>
  );
}

function CallbackCard({ runId }: { runId: number }) {
  const [state, setState] = useState<FutureSnapshot<Outcome>>(PENDING);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runId is the "run again" trigger.
  useEffect(() => {
    let live = true;
    setState(PENDING);
    const start = performance.now();
    asynchronousFetch(upstream('callback'), (body) => {
      if (live) setState(fulfilled({ text: decode(body), ms: performance.now() - start }));
    });
    // A callback cannot be cancelled (that came with Futures): all we can do is ignore it.
    return () => {
      live = false;
    };
  }, [runId]);
  return (
    <Card
      style="callback"
      title="2. Callback argument"
      where="browser, AsyncHTTPClient"
      code={sourceOf(seedSource, 'asynchronousFetch')}
    >
      <Result state={state} />
    </Card>
  );
}

function FutureCard({ runId }: { runId: number }) {
  const state = useFuture(() => {
    const start = performance.now();
    // As written in the seed, a failed fetch would leave myFuture pending: the timeout bounds the wait.
    return withTimeout(10_000, asyncFetchFuture(upstream('future'))).then(
      (response): Outcome => ({ text: response.text, ms: performance.now() - start }),
    );
  }, [runId]);
  return (
    <Card
      style="future"
      title="3. Future"
      where="browser, useFuture"
      code={sourceOf(seedSource, 'asyncFetchFuture')}
    >
      <Result state={state} />
    </Card>
  );
}

function CoroutineCard({ runId }: { runId: number }) {
  const state = useCoroutine(
    function* () {
      const start = performance.now();
      const body = yield* fetchCoroutine(upstream('coroutine'));
      return { text: decode(body), ms: performance.now() - start };
    },
    [runId],
  );
  return (
    <Card
      style="coroutine"
      title="4. Coroutine"
      where="browser, useCoroutine"
      code={sourceOf(seedSource, 'fetchCoroutine')}
    >
      <Result state={state} />
    </Card>
  );
}

const PENDING: FutureSnapshot<Outcome> = {
  status: 'pending',
  loading: true,
  data: undefined,
  error: undefined,
};

function fulfilled(data: Outcome): FutureSnapshot<Outcome> {
  return { status: 'fulfilled', loading: false, data, error: undefined };
}

function Card(props: { style: string; title: string; where: string; code: string; children: ReactNode }) {
  return (
    <article className="card" data-testid={`style-${props.style}`}>
      <h3>
        {props.title} <small>{props.where}</small>
      </h3>
      <pre>
        <code>{props.code}</code>
      </pre>
      {props.children}
    </article>
  );
}

function Result({ state }: { state: FutureSnapshot<Outcome> }) {
  if (state.status === 'fulfilled' && state.data !== undefined) {
    return (
      <div className="result" data-status="done">
        <p data-testid="result">{state.data.text}</p>
        <p className="timing">
          <strong data-testid="ms">{Math.round(state.data.ms)} ms</strong>
          {state.data.note ? ` — ${state.data.note}` : null}
        </p>
      </div>
    );
  }
  if (state.status === 'rejected') {
    return (
      <div className="result error" data-status="failed">
        <p data-testid="result">Failed: {errorMessage(state.error)}</p>
      </div>
    );
  }
  return (
    <div className="result" data-status="running">
      <p>Fetching…</p>
    </div>
  );
}
