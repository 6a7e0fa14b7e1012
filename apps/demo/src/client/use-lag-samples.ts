import { sleep } from '@gust/core';
import { useCoroutine, useHTTPClient } from '@gust/react';
import { useState } from 'react';

/** One reading of the server's loop lag (see the server's `LagSampler`). */
export interface LagSample {
  seq: number;
  at: number;
  max: number;
  p50: number;
  p99: number;
}

const POLL_MS = 250;

/**
 * The latest `keep` lag samples of the server's IOLoop, polled every 250 ms by a coroutine. When the server's
 * loop is blocked the poll waits too, and the sample that follows shows how long the block was.
 */
export function useLagSamples(keep = 80): LagSample[] {
  const client = useHTTPClient();
  const [samples, setSamples] = useState<LagSample[]>([]);
  useCoroutine(function* pollLag() {
    let seq = 0;
    for (;;) {
      try {
        const response = yield* client.fetch(`/a/loop/lag?since=${seq}`);
        const fresh = (response.json() as { samples: LagSample[] }).samples;
        const last = fresh.at(-1);
        if (last !== undefined) {
          seq = last.seq;
          setSamples((current) => [...current, ...fresh].slice(-keep));
        }
      } catch {
        // The server restarts or is gone: keep polling, more slowly.
        yield sleep(2000);
      }
      yield sleep(POLL_MS);
    }
  });
  return samples;
}
