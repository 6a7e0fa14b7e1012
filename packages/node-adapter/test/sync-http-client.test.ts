import { createHook } from 'node:async_hooks';
import {
  HTTPClient,
  HTTPClientError,
  HTTPStreamClosedError,
  HTTPTimeoutError,
  isHTTPClientError,
  setSyncHTTPBackend,
} from '@gust/core';
import { install, NodeSyncHTTPBackend, type Uninstall } from '@gust/node-adapter';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../../core/test/contract/test-server.ts';
import {
  bundleGust,
  type GustBundle,
  type ServerProcess,
  startServerProcess,
} from './fixtures/sync-worker.ts';
import { waitFor } from './helpers.ts';

const decode = (body: Uint8Array) => new TextDecoder().decode(body);

/** Counts worker threads started and ended while the test runs. */
function watchWorkers(): { started: number; alive: number; stop(): void } {
  const ids = new Set<number>();
  const counts = {
    started: 0,
    get alive() {
      return ids.size;
    },
    stop: () => hook.disable(),
  };
  const hook = createHook({
    init(id, type) {
      if (type !== 'WORKER') return;
      counts.started++;
      ids.add(id);
    },
    destroy(id) {
      ids.delete(id);
    },
  });
  hook.enable();
  return counts;
}

async function eventuallyAsync(condition: () => Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('HTTPClient on Node (NodeSyncHTTPBackend)', () => {
  let server: ServerProcess;
  let bundle: GustBundle;
  let uninstall: Uninstall;

  beforeAll(async () => {
    [server, bundle] = await Promise.all([startServerProcess(), bundleGust()]);
    uninstall = install({ syncHTTPClient: { gustModule: bundle.gustModule } });
  });

  afterAll(async () => {
    uninstall();
    await server.close();
    await bundle.remove();
  });

  it("runs the seed's synchronous fetch exactly as written in the README", () => {
    function synchronousFetch(url: string): Uint8Array {
      const client = new HTTPClient();
      const response = client.fetch(url);
      return response.body;
    }
    expect(decode(synchronousFetch(server.url('/hello')))).toBe('Hello, world');
  });

  it('blocks the calling thread until the response is there', async () => {
    const client = new HTTPClient();
    let timerRan = false;
    const timer = setTimeout(() => {
      timerRan = true;
    }, 0);
    const start = performance.now();
    const response = client.fetch(server.url('/slow?ms=200'));
    const elapsed = performance.now() - start;
    expect(timerRan).toBe(false);
    expect(response.text).toBe('slow');
    expect(response.code).toBe(200);
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(response.requestTime).toBeGreaterThanOrEqual(190);
    // startTime is on this thread's clock, within the blocking call.
    expect(response.startTime).toBeGreaterThanOrEqual(start);
    expect(response.startTime).toBeLessThanOrEqual(start + elapsed);
    clearTimeout(timer);
  });

  it('throws an HTTPClientError that carries the response for a non-2xx code, and returns it with raiseError: false', () => {
    const client = new HTTPClient();
    const error = thrown(() => client.fetch(server.url('/status?code=404')));
    expect(error).toBeInstanceOf(HTTPClientError);
    expect((error as HTTPClientError).code).toBe(404);
    expect((error as HTTPClientError).message).toBe('HTTP 404: Not Found');
    expect((error as HTTPClientError).response?.text).toBe('status body');
    const response = client.fetch(server.url('/status?code=503'), { raiseError: false });
    expect(response.code).toBe(503);
    expect(response.error).toBeInstanceOf(HTTPClientError);
    expect(response.headers.get('Content-Type')).toBe('text/plain');
  });

  it('throws 599 for a refused connection, also with raiseError: false', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/`;
    const error = thrown(() => new HTTPClient().fetch(url, { raiseError: false }));
    expect(isHTTPClientError(error)).toBe(true);
    expect((error as HTTPClientError).code).toBe(599);
    expect((error as HTTPClientError).message).toMatch(/Connection refused/);
  });

  it('throws HTTPTimeoutError "Timeout during request" after requestTimeout', () => {
    const start = performance.now();
    const error = thrown(() => new HTTPClient().fetch(server.url('/hang'), { requestTimeout: 300 }));
    expect(performance.now() - start).toBeGreaterThanOrEqual(290);
    expect(error).toBeInstanceOf(HTTPTimeoutError);
    expect((error as HTTPTimeoutError).message).toBe('Timeout during request');
    expect((error as HTTPTimeoutError).phase).toBe('request');
  });

  it('throws HTTPStreamClosedError when the server closes the connection', () => {
    expect(thrown(() => new HTTPClient().fetch(server.url('/destroy')))).toBeInstanceOf(
      HTTPStreamClosedError,
    );
  });

  it('follows redirects, sends bodies and decompresses like the asynchronous client', () => {
    const client = new HTTPClient();
    const redirected = client.fetch(server.url('/redirect?code=302&to=/hello'));
    expect(redirected.text).toBe('Hello, world');
    expect(redirected.effectiveUrl).toBe(server.url('/hello'));
    const posted = client.fetch(server.url('/echo'), {
      method: 'POST',
      body: 'a=1',
      authUsername: 'Aladdin',
      authPassword: 'open sesame',
    });
    expect(posted.json()).toMatchObject({
      method: 'POST',
      body: 'a=1',
      headers: { authorization: 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==' },
    });
    const gzip = client.fetch(server.url('/gzip'));
    expect(gzip.text).toBe('z'.repeat(5000));
    expect(thrown(() => client.fetch(server.url('/gzip'), { maxBodySize: 1000 }))).toMatchObject({
      code: 599,
      message: expect.stringMatching(/maxBodySize \(1000 bytes\)/),
    });
  });

  it('calls headerCallback and streamingCallback on the calling thread, in order', () => {
    const events: string[] = [];
    const response = new HTTPClient().fetch(server.url('/stream'), {
      headerCallback: (line) => events.push(`header ${line.trim()}`),
      streamingCallback: (chunk) => events.push(`chunk ${decode(chunk)}`),
    });
    expect(events[0]).toBe('header HTTP/1.1 200 OK');
    expect(events).toContain('header Content-Type: text/plain');
    expect(
      events
        .filter((e) => e.startsWith('chunk'))
        .map((e) => e.slice(6))
        .join(''),
    ).toBe('first;second');
    const kinds = events.map((e) => e.split(' ')[0]);
    expect(kinds.indexOf('chunk')).toBeGreaterThan(kinds.lastIndexOf('header'));
    expect(response.body).toHaveLength(0);
  });

  it('fails with the exception a streamingCallback throws, and the next fetch still works', () => {
    const client = new HTTPClient();
    const boom = new Error('consumer failed');
    const error = thrown(() =>
      client.fetch(server.url('/stream'), {
        streamingCallback: () => {
          throw boom;
        },
      }),
    );
    expect(error).toBe(boom);
    expect(client.fetch(server.url('/hello')).text).toBe('Hello, world');
  });

  it('refuses a bodyProducer with a 599 that says why', () => {
    const error = thrown(() =>
      new HTTPClient().fetch(server.url('/echo'), {
        method: 'POST',
        bodyProducer: async (write) => write('x'),
      }),
    );
    expect((error as HTTPClientError).code).toBe(599);
    expect((error as HTTPClientError).message).toMatch(/cannot stream a bodyProducer/);
  });

  it('throws TypeError for invalid arguments before anything is sent', () => {
    expect(() => new HTTPClient().fetch('ftp://example.com/')).toThrow(TypeError);
  });

  describe('its worker thread', () => {
    let backend: NodeSyncHTTPBackend | undefined;
    let previous: ReturnType<typeof setSyncHTTPBackend>;

    afterEach(() => {
      backend?.close();
      backend = undefined;
    });

    it('starts with the first fetch, ends with close(), and the next fetch starts a new one', async () => {
      const workers = watchWorkers();
      try {
        backend = new NodeSyncHTTPBackend({ gustModule: bundle.gustModule });
        const client = new HTTPClient({ backend });
        expect(workers.started).toBe(0);
        const before = await server.stats();
        expect(client.fetch(server.url('/hello')).code).toBe(200);
        expect(client.fetch(server.url('/hello')).code).toBe(200);
        expect(workers.started).toBe(1);
        // The two fetches shared one keep-alive connection of the worker's transport.
        expect((await server.stats()).connections - before.connections).toBe(1);
        client.close();
        expect(() => client.fetch(server.url('/hello'))).toThrow(/closed HTTPClient/);
        await waitFor(() => workers.alive === 0);
        // Ending the worker closed its connection.
        await eventuallyAsync(
          async () => (await server.stats()).closedConnections > before.closedConnections,
        );
        expect(new HTTPClient({ backend }).fetch(server.url('/hello')).code).toBe(200);
        expect(workers.started).toBe(2);
      } finally {
        workers.stop();
      }
    });

    it('imports workerSetup first: an OverrideResolver there sends www.example.com to the server', async () => {
      const setup = await bundle.writeModule(
        'setup-override.mjs',
        "import { DefaultResolver, OverrideResolver, Resolver } from './gust.mjs';\n" +
          "Resolver.configure(new OverrideResolver(new DefaultResolver(), { 'www.example.com': '127.0.0.1' }));\n",
      );
      backend = new NodeSyncHTTPBackend({ gustModule: bundle.gustModule, workerSetup: setup });
      const response = new HTTPClient({ backend }).fetch(`http://www.example.com:${server.port}/hello`);
      expect(response.text).toBe('Hello, world');
      expect((await server.stats()).requests.at(-1)?.host).toBe(`www.example.com:${server.port}`);
    });

    it('sends hostnameMapping to the worker transport', () => {
      backend = new NodeSyncHTTPBackend({
        gustModule: bundle.gustModule,
        transport: { hostnameMapping: { 'api.example.com': '127.0.0.1' } },
      });
      const response = new HTTPClient({ backend }).fetch(`http://api.example.com:${server.port}/hello`);
      expect(response.text).toBe('Hello, world');
    });

    it('fails with a 599 naming the cause when the worker cannot load gust', async () => {
      const broken = await bundle.writeModule('broken.mjs', "throw new Error('no gust here');\n");
      backend = new NodeSyncHTTPBackend({ gustModule: broken });
      const error = thrown(() => new HTTPClient({ backend }).fetch(server.url('/hello')));
      expect((error as HTTPClientError).code).toBe(599);
      expect((error as HTTPClientError).message).toMatch(/worker thread failed: no gust here/);
    });

    it('is what install() registers, and uninstall ends it', async () => {
      const workers = watchWorkers();
      try {
        const undo = install({ syncHTTPClient: { gustModule: bundle.gustModule } });
        expect(new HTTPClient().fetch(server.url('/hello')).code).toBe(200);
        expect(workers.alive).toBe(1);
        undo();
        await waitFor(() => workers.alive === 0);
      } finally {
        workers.stop();
      }
      previous = setSyncHTTPBackend(undefined);
      setSyncHTTPBackend(previous);
      expect(previous).toBeInstanceOf(NodeSyncHTTPBackend);
    });
  });
});
