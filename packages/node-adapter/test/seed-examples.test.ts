import { AsyncHTTPClient, HTTPClientError, type HTTPResponse } from '@gust/core';
import { install, type Uninstall } from '@gust/node-adapter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The README's four functions, as core's seed test checks them against the README.
import {
  asyncFetchFuture,
  asynchronousFetch,
  fetchCoroutine,
  synchronousFetch,
} from '../../core/test/fixtures/seed-examples.ts';
import {
  bundleGust,
  type GustBundle,
  type ServerProcess,
  startServerProcess,
} from './fixtures/sync-worker.ts';

const decode = (body: Uint8Array) => new TextDecoder().decode(body);

// The four styles of the seed on Node, after the one documented install() call: the asynchronous ones
// run on NodeTransport (the server sees its User-Agent, not Node fetch's), the synchronous one on its
// worker thread. The server runs in another process, since the synchronous fetch blocks this thread.
describe('seed examples on Node', () => {
  let server: ServerProcess;
  let bundle: GustBundle;
  let uninstall: Uninstall;

  beforeAll(async () => {
    [server, bundle] = await Promise.all([startServerProcess(), bundleGust()]);
    // Tests run gust from its TypeScript sources, which a worker thread cannot load: give it a bundle.
    uninstall = install({ syncHTTPClient: { gustModule: bundle.gustModule } });
  });

  afterAll(async () => {
    new AsyncHTTPClient().close();
    uninstall();
    await server.close();
    await bundle.remove();
  });

  it('fetches synchronously (synchronousFetch) on the worker thread', () => {
    expect(decode(synchronousFetch(server.url('/hello')))).toBe('Hello, world');
    expect(() => synchronousFetch(server.url('/missing'))).toThrow(HTTPClientError);
  });

  it('fetches with a callback argument (asynchronousFetch)', async () => {
    const body = await new Promise<Uint8Array>((resolve) => asynchronousFetch(server.url('/hello'), resolve));
    expect(decode(body)).toBe('Hello, world');
  });

  it('fetches with a Future (asyncFetchFuture)', async () => {
    const future = asyncFetchFuture(server.url('/hello'));
    expect(future.done()).toBe(false);
    const response: HTTPResponse = await future;
    expect(response.code).toBe(200);
    expect(decode(response.body)).toBe('Hello, world');
  });

  it('fetches with a coroutine (fetchCoroutine), and reports a failure as an exception', async () => {
    expect(decode(await fetchCoroutine(server.url('/hello')))).toBe('Hello, world');
    await expect(fetchCoroutine(server.url('/missing'))).rejects.toBeInstanceOf(HTTPClientError);
  });

  it('sends every one of them through NodeTransport', async () => {
    const { requests } = await server.stats();
    expect(requests).toHaveLength(6);
    expect(new Set(requests.map((r) => r.userAgent))).toEqual(new Set(['gust']));
  });
});
