import { defineTask, type IOLoop } from '@gust/node-adapter';
import { hashPassword } from './hash-password.js';
import { HTTPError } from './http-error.js';
import { readJSON } from './http-io.js';
import type { LagSampler } from './lag-sampler.js';
import { queryOf, type Router } from './router.js';

const hashTask = defineTask<typeof hashPassword>(
  new URL('./hash-password.js', import.meta.url),
  'hashPassword',
);

/** Rounds of the password hash when the client does not say. */
export const DEFAULT_ROUNDS = 2_000_000;
const MAX_ROUNDS = 20_000_000;
const PASSWORD = 'correct horse battery staple';

/**
 * Page 3's API:
 * - `GET /a/loop/lag?since=seq` → `{ seq, samples }`: the latest sample's number and the kept samples after
 *   `seq` (see {@link LagSampler}).
 * - `POST /a/hash/inline` `{ rounds? }` hashes on the server's loop: nothing else runs meanwhile.
 * - `POST /a/hash/executor` `{ rounds? }` hashes on a worker thread with `runInExecutor`: the loop stays free.
 *
 * Both answer `{ digest, ms, lagSeq }`, where `lagSeq` is the latest lag sample when the hash finished: the
 * sample after it covers the end of the run.
 */
export function loopRoutes(router: Router, loop: IOLoop, sampler: LagSampler): void {
  router.route('GET', '/a/loop/lag', (req) => {
    const since = Number(queryOf(req).get('since') ?? 0);
    return { seq: sampler.seq, samples: sampler.since(Number.isFinite(since) ? since : 0) };
  });

  router.route('POST', '/a/hash/inline', function* hashInline(req) {
    const rounds = parseRounds((yield* readJSON(req)).rounds);
    const start = loop.time();
    // Blocks the loop for the whole hash: exactly what the page warns against.
    const digest = hashPassword(PASSWORD, rounds);
    return { digest, rounds, ms: loop.time() - start, lagSeq: sampler.seq };
  });

  router.route('POST', '/a/hash/executor', function* hashInExecutor(req) {
    const rounds = parseRounds((yield* readJSON(req)).rounds);
    const start = loop.time();
    // The loop's default executor: a pool of worker threads, shut down by loop.close().
    const digest = yield* loop.runInExecutor(null, hashTask, PASSWORD, rounds);
    return { digest, rounds, ms: loop.time() - start, lagSeq: sampler.seq };
  });
}

function parseRounds(value: unknown): number {
  if (value === undefined) return DEFAULT_ROUNDS;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_ROUNDS) {
    throw new HTTPError(400, `rounds must be a whole number from 1 to ${MAX_ROUNDS}`);
  }
  return value;
}
