import { readFileSync } from 'node:fs';
import { AsyncHTTPClient, HTTPClientError, type HTTPResponse, InvalidStateError } from '@gust/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './contract/test-server.js';
import {
  asyncFetchFuture,
  asynchronousFetch,
  fetchCoroutine,
  synchronousFetch,
} from './fixtures/seed-examples.js';

const decode = (body: Uint8Array) => new TextDecoder().decode(body);

describe('seed examples', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      '/hello': (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('Hello, world');
      },
    });
  });

  afterAll(async () => {
    new AsyncHTTPClient().close();
    await server.close();
  });

  it('appear in the README exactly as they are tested', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Fetching'), readme.indexOf('## Packages'));
    const source = readFileSync(new URL('./fixtures/seed-examples.ts', import.meta.url), 'utf8');
    const blocks = source
      .slice(source.indexOf('\nexport '))
      .split(/\n(?=export )/)
      .map((block) => block.trim().replace(/^export /, ''))
      .filter((block) => block !== '');
    expect(blocks).toHaveLength(4);
    expect(section).toContain(
      source.slice(source.indexOf('import {'), source.indexOf('\n', source.indexOf('import {'))),
    );
    for (const block of blocks) expect(section).toContain(block);
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

  it('delivers the body of an error response to the callback instead of throwing', async () => {
    const body = await new Promise<Uint8Array>((resolve) =>
      asynchronousFetch(server.url('/missing'), resolve),
    );
    expect(decode(body)).toBe('no route /missing');
  });

  it('fetches synchronously only where a backend exists: in Node, after installing the Node adapter', () => {
    // The Web Worker run is in http-client-chromium.test.ts; the Node run comes with @gust/node-adapter.
    expect(() => synchronousFetch(server.url('/hello'))).toThrow(InvalidStateError);
    expect(() => synchronousFetch(server.url('/hello'))).toThrow(/install\(\) from @gust\/node-adapter/);
  });
});
