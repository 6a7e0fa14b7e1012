import { sleep } from '@gust/core';
import { useCoroutine, useHTTPClient } from '@gust/react';
import { useState } from 'react';
import { errorMessage, postJSON } from './api.js';
import { LagMeter } from './lag-meter.js';
import { type LagSample, useLagSamples } from './use-lag-samples.js';

interface HashRun {
  where: 'inline' | 'executor';
  ms: number;
  /** Worst loop lag of the server while the hash ran. */
  peakLag: number;
  digest: string;
}

/**
 * Page 3: the same CPU-heavy password hash run on the server's loop and in `runInExecutor`, with the
 * server's loop lag on a live meter. Inline, the lag rises to the length of the hash (and the chat, the
 * meter, everything waits); in the executor it stays at a few milliseconds.
 */
export function LoopPage() {
  const samples = useLagSamples();
  const client = useHTTPClient();
  const [rounds, setRounds] = useState(2_000_000);

  const hash = useCoroutine(
    function* (where: 'inline' | 'executor') {
      const fetchLag = (since: number) =>
        client
          .fetch(`/a/loop/lag?since=${since}`)
          .then((response) => response.json() as { seq: number; samples: LagSample[] });
      const before = (yield* fetchLag(Number.MAX_SAFE_INTEGER)).seq;
      const answer = yield* postJSON<{ digest: string; ms: number; lagSeq: number }>(
        client,
        `/a/hash/${where}`,
        {
          rounds,
        },
      );
      // The sample after lagSeq covers the end of the run: wait for it, then take the worst of the run's.
      let during: LagSample[] = [];
      for (let attempt = 0; attempt < 40; attempt++) {
        during = (yield* fetchLag(before)).samples;
        if (during.some((sample) => sample.seq > answer.lagSeq)) break;
        yield sleep(100);
      }
      const peakLag = Math.max(0, ...during.filter((s) => s.seq <= answer.lagSeq + 1).map((s) => s.max));
      return { where, ms: answer.ms, peakLag, digest: answer.digest } satisfies HashRun;
    },
    [],
    { manual: true },
  );

  return (
    <section>
      <h2>Don't block the loop</h2>
      <p>
        One thread serves every connection, so anything that holds it holds everyone. Hash a password with a
        deliberately slow, bcrypt-style hash (PBKDF2-SHA256) on the server, first right on its IOLoop, then
        with <code>IOLoop.current().runInExecutor(null, hashTask, …)</code> on a worker thread, and watch the
        server's loop lag (from <code>IOLoop.stats()</code>). The server also logs a warning for the inline
        run (<code>setBlockingLogThreshold(100)</code>).
      </p>
      <LagMeter samples={samples} />
      <div className="controls">
        <label>
          Rounds{' '}
          <input
            type="number"
            min={1}
            max={20_000_000}
            step={100_000}
            value={rounds}
            onChange={(event) => setRounds(Number(event.target.value))}
          />
        </label>
        <button
          type="button"
          disabled={hash.loading}
          onClick={() => hash.run('inline')}
          data-testid="run-inline"
        >
          Hash inline (blocks the loop)
        </button>
        <button
          type="button"
          disabled={hash.loading}
          onClick={() => hash.run('executor')}
          data-testid="run-executor"
        >
          Hash in runInExecutor (worker thread)
        </button>
      </div>
      <HashResult state={hash} />
    </section>
  );
}

function HashResult({ state }: { state: { status: string; data?: HashRun; error?: unknown } }) {
  if (state.status === 'pending') return <p data-testid="hash-result">Hashing…</p>;
  if (state.status === 'rejected') return <p className="error">Failed: {errorMessage(state.error)}</p>;
  if (state.data === undefined) return null;
  const { where, ms, peakLag, digest } = state.data;
  return (
    <p
      className="hash-result"
      data-testid="hash-result"
      data-where={where}
      data-peak-lag={peakLag}
      data-ms={Math.round(ms)}
    >
      {where === 'inline' ? 'Inline' : 'In the executor'}, the hash took <strong>{Math.round(ms)} ms</strong>{' '}
      and the server's loop lag peaked at <strong data-testid="peak-lag">{Math.round(peakLag)} ms</strong>{' '}
      meanwhile. <code title="PBKDF2-SHA256 digest">{digest.slice(0, 16)}…</code>
    </p>
  );
}
