import { pbkdf2Sync } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { ClientRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoServer, startServer } from '../src/server/server.js';
import { bundleGustForWorkers, call, delay, waitFor } from './helpers.js';

const hash = (rounds: number) =>
  pbkdf2Sync('correct horse battery staple', 'gust-demo-salt', rounds, 32, 'sha256').toString('hex');

describe('startServer', () => {
  let demo: DemoServer;
  let clientDir: string;
  let gust: Awaited<ReturnType<typeof bundleGustForWorkers>>;
  const url = (path: string) => `${demo.url}${path}`;

  beforeAll(async () => {
    clientDir = await mkdtemp(join(tmpdir(), 'gust-demo-client-'));
    await mkdir(join(clientDir, 'assets'));
    await writeFile(join(clientDir, 'index.html'), '<!doctype html><div id="root"></div>');
    await writeFile(join(clientDir, 'assets', 'app-1234.js'), 'console.log(1)');
    gust = await bundleGustForWorkers();
    demo = await startServer({
      port: 0,
      clientDir,
      install: { syncHTTPClient: { gustModule: gust.gustModule } },
    });
  });

  afterAll(async () => {
    await demo?.close();
    await rm(clientDir, { recursive: true, force: true });
    await gust?.remove();
  });

  describe('static files', () => {
    it('serves the client: index.html at /, hashed assets cached for a year', async () => {
      const index = await call(url('/'));
      expect(index.status).toBe(200);
      expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(index.text).toContain('<div id="root">');
      const asset = await call(url('/assets/app-1234.js'));
      expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(asset.headers['cache-control']).toContain('immutable');
      expect(asset.text).toBe('console.log(1)');
    });

    it('answers 404 for unknown files and API paths, and never leaves the client directory', async () => {
      expect((await call(url('/nope.js'))).status).toBe(404);
      expect((await call(url('/%2e%2e/%2e%2e/package.json'))).status).toBe(404);
      expect((await call(url('/%E0%A4%A'))).status).toBe(400);
      const api = await call(url('/a/nothing'));
      expect(api.status).toBe(404);
      expect(api.json).toEqual({ error: 'no route /a/nothing' });
    });

    it('answers 405 with Allow for a wrong method', async () => {
      const answer = await call(url('/a/message/new'));
      expect(answer.status).toBe(405);
      expect(answer.headers.allow).toBe('POST');
    });
  });

  describe('chat API', () => {
    it('answers a newcomer at once with the history and a cursor', async () => {
      const posted = await call(url('/a/message/new'), { data: { author: 'ada', body: 'hello, room' } });
      expect(posted.status).toBe(200);
      expect(posted.json).toMatchObject({ author: 'ada', body: 'hello, room' });
      const update = await call(url('/a/message/updates'), { data: { cursor: null } });
      expect(update.status).toBe(200);
      expect(update.json.messages.at(-1)).toEqual(posted.json);
      expect(update.json.cursor).toBe(posted.json.id);
    });

    it('holds polls until a message is posted, then answers every one of them', async () => {
      const { cursor } = (await call(url('/a/message/updates'), { data: { cursor: null } })).json;
      const polls = Array.from({ length: 20 }, () => call(url('/a/message/updates'), { data: { cursor } }));
      await waitFor(() => demo.room.waiting === 20, 5000, '20 held polls');
      await delay(50);
      expect(demo.room.waiting).toBe(20);
      const sent = performance.now();
      const posted = await call(url('/a/message/new'), { data: { body: 'wake up' } });
      const answers = await Promise.all(polls);
      for (const answer of answers) {
        expect(answer.status).toBe(200);
        expect(answer.json).toEqual({ messages: [posted.json], cursor: posted.json.id });
        expect(answer.at).toBeGreaterThan(sent);
      }
      expect(demo.room.waiting).toBe(0);
    });

    it('delivers what was posted between two polls on the next poll', async () => {
      const { cursor } = (await call(url('/a/message/updates'), { data: { cursor: null } })).json;
      await call(url('/a/message/new'), { data: { body: 'one' } });
      await call(url('/a/message/new'), { data: { body: 'two' } });
      const next = await call(url('/a/message/updates'), { data: { cursor } });
      expect(next.json.messages.map((m: { body: string }) => m.body)).toEqual(['one', 'two']);
    });

    it('stops waiting when the client disconnects', async () => {
      const { cursor } = (await call(url('/a/message/updates'), { data: { cursor: null } })).json;
      let held: ClientRequest | undefined;
      const poll = call(url('/a/message/updates'), { data: { cursor }, onRequest: (req) => (held = req) });
      const failed = poll.catch((error: Error) => error);
      await waitFor(() => demo.room.waiting === 1, 5000, 'a held poll');
      held!.destroy();
      expect(await failed).toBeInstanceOf(Error);
      await waitFor(() => demo.room.waiting === 0 && demo.active === 0, 5000, 'the poll to be cancelled');
    });

    it('rejects bad input with 400 and the reason', async () => {
      const cases: Array<[string, { data?: unknown; body?: string }, RegExp]> = [
        ['/a/message/new', { data: { body: '' } }, /1 to 2000 characters/],
        ['/a/message/new', { body: '{not json' }, /not valid JSON/],
        ['/a/message/new', { body: '[1]' }, /must be a JSON object/],
        ['/a/message/updates', { data: { cursor: 7 } }, /cursor must be/],
      ];
      for (const [path, options, reason] of cases) {
        const answer = await call(url(path), { method: 'POST', ...options });
        expect(answer.status).toBe(400);
        expect(answer.json.error).toMatch(reason);
      }
      const huge = await call(url('/a/message/new'), { data: { body: 'x'.repeat(20_000) } });
      expect(huge.status).toBe(413);
    });
  });

  describe('four styles API', () => {
    it('serves the upstream resource after its delay, without blocking: three at once take about one delay', async () => {
      const start = performance.now();
      const answers = await Promise.all([1, 2, 3].map(() => call(url('/upstream/hello?delay=300'))));
      const elapsed = performance.now() - start;
      for (const answer of answers) {
        expect(answer.status).toBe(200);
        expect(answer.text).toBe('Hello from the upstream server (demo server), after 300 ms');
      }
      expect(elapsed).toBeGreaterThanOrEqual(299);
      expect(elapsed).toBeLessThan(800);
    });

    it('runs the synchronous style on the server with HTTPClient, blocking its loop meanwhile', async () => {
      const start = performance.now();
      const sync = call(url('/a/styles/sync'), { data: { delay: 400 } });
      await delay(150);
      // Sent while the server waits on the synchronous fetch: answered only after it.
      const other = call(url('/upstream/hello?delay=0'));
      const [syncAnswer, otherAnswer] = await Promise.all([sync, other]);
      expect(syncAnswer.status).toBe(200);
      expect(syncAnswer.json.text).toBe('Hello from the upstream server (worker thread), after 400 ms');
      expect(syncAnswer.json.ms).toBeGreaterThanOrEqual(399);
      expect(syncAnswer.at - start).toBeGreaterThanOrEqual(399);
      expect(otherAnswer.at).toBeGreaterThan(syncAnswer.at - 5);
      expect(otherAnswer.at - start).toBeGreaterThanOrEqual(399);
    });
  });

  describe('loop API', () => {
    it('samples the loop lag every 250 ms', async () => {
      const first = (await call(url('/a/loop/lag?since=0'))).json;
      await delay(600);
      const later = (await call(url(`/a/loop/lag?since=${first.seq}`))).json;
      expect(later.seq).toBeGreaterThanOrEqual(first.seq + 2);
      expect(later.samples.length).toBeGreaterThanOrEqual(2);
      expect(later.samples[0].seq).toBe(first.seq + 1);
      for (const sample of later.samples) {
        expect(sample).toEqual({
          seq: expect.any(Number),
          at: expect.any(Number),
          max: expect.any(Number),
          p50: expect.any(Number),
          p99: expect.any(Number),
        });
      }
    });

    it('hashes inline on the loop: a request sent meanwhile waits, and the lag shows the block', async () => {
      const rounds = 1_500_000;
      const start = performance.now();
      const hashed = call(url('/a/hash/inline'), { data: { rounds } });
      await delay(150);
      const lag = call(url('/a/loop/lag?since=0'));
      const [hashAnswer, lagAnswer] = await Promise.all([hashed, lag]);
      expect(hashAnswer.status).toBe(200);
      expect(hashAnswer.json.digest).toBe(hash(rounds));
      expect(lagAnswer.at).toBeGreaterThan(hashAnswer.at - 5);
      const ms = hashAnswer.json.ms as number;
      expect(hashAnswer.at - start).toBeGreaterThanOrEqual(ms);
      // The sample after lagSeq covers the end of the hash.
      let samples: Array<{ seq: number; max: number }> = [];
      for (let i = 0; i < 30 && samples.length === 0; i++) {
        samples = (await call(url(`/a/loop/lag?since=${hashAnswer.json.lagSeq}`))).json.samples;
        if (samples.length === 0) await delay(100);
      }
      expect(samples[0]!.max).toBeGreaterThanOrEqual(ms * 0.8);
    });

    it('hashes in runInExecutor off the loop: the same digest, and requests meanwhile are answered first', async () => {
      const rounds = 1_500_000;
      const hashed = call(url('/a/hash/executor'), { data: { rounds } });
      await delay(150);
      const lag = call(url('/a/loop/lag?since=0'));
      const [hashAnswer, lagAnswer] = await Promise.all([hashed, lag]);
      expect(hashAnswer.status).toBe(200);
      expect(hashAnswer.json.digest).toBe(hash(rounds));
      expect(lagAnswer.at).toBeLessThan(hashAnswer.at);
    });

    it('refuses a bad number of rounds', async () => {
      for (const rounds of [0, 1.5, '10', 30_000_000]) {
        const answer = await call(url('/a/hash/inline'), { data: { rounds } });
        expect(answer.status).toBe(400);
        expect(answer.json.error).toBe('rounds must be a whole number from 1 to 20000000');
      }
    });
  });
});

describe('DemoServer.close', () => {
  it('answers held polls with 503, stops listening and leaves nothing running', async () => {
    const demo = await startServer({ port: 0 });
    const { cursor } = (await call(`${demo.url}/a/message/updates`, { data: { cursor: null } })).json;
    const poll = call(`${demo.url}/a/message/updates`, { data: { cursor } });
    await waitFor(() => demo.room.waiting === 1, 5000, 'a held poll');
    await demo.close();
    const answer = await poll;
    expect(answer.status).toBe(503);
    expect(answer.json).toEqual({ error: 'the server is shutting down' });
    expect(demo.room.waiting).toBe(0);
    await expect(call(`${demo.url}/`)).rejects.toThrow(/ECONNREFUSED/);
    expect(demo.close()).toBe(demo.close());
  });
});
