import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AsyncHTTPClient, type HTTPClientError, type HTTPResponse, sleep } from '@gust/core';
import { IOLoop, install, NodeTransport } from '@gust/node-adapter';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually, rejection } from '../../core/test/contract/transport-contract.ts';

interface Seen {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  socket: number;
  /** The request asked for 100-continue and the server answered it. */
  continued: boolean;
}

/** A node:http server that numbers its connections and answers 100-continue unless the path says no. */
async function startServer(): Promise<{
  port: number;
  seen: Seen[];
  connections: { opened: number; closed: Set<number>; open: Set<Socket> };
  url(path: string): string;
  close(): Promise<void>;
}> {
  const seen: Seen[] = [];
  const connections = { opened: 0, closed: new Set<number>(), open: new Set<Socket>() };
  const ids = new WeakMap<Socket, number>();
  const handle = (
    req: import('node:http').IncomingMessage,
    res: import('node:http').ServerResponse,
    continued: boolean,
  ) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
        socket: ids.get(req.socket) ?? -1,
        continued,
      });
      if (req.url === '/hang') return;
      const delay = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('ms') ?? 0);
      const timer = setTimeout(() => res.end('ok'), delay);
      res.on('close', () => clearTimeout(timer));
    });
  };
  const server: Server = createServer((req, res) => handle(req, res, false));
  server.on('checkContinue', (req, res) => {
    if (req.url === '/refuse') {
      seen.push({
        method: req.method ?? '',
        path: req.url,
        headers: req.headers,
        body: '',
        socket: -1,
        continued: false,
      });
      res.writeHead(417, { Connection: 'close' });
      res.end('no body wanted');
      return;
    }
    res.writeContinue();
    handle(req, res, true);
  });
  server.on('connection', (socket: Socket) => {
    const id = ++connections.opened;
    ids.set(socket, id);
    connections.open.add(socket);
    socket.on('close', () => {
      connections.closed.add(id);
      connections.open.delete(socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    seen,
    connections,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of connections.open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('NodeTransport', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let transport: NodeTransport;
  let client: AsyncHTTPClient;

  beforeAll(async () => {
    server = await startServer();
  });

  afterAll(async () => {
    await server.close();
  });

  beforeEach(() => {
    server.seen.length = 0;
    transport = new NodeTransport();
    client = new AsyncHTTPClient({ forceInstance: true, transport });
  });

  afterEach(async () => {
    client.close();
    await transport.close({ force: true });
    await eventually(() => server.connections.open.size === 0);
  });

  it('keeps connections alive between requests to the same origin', async () => {
    for (let i = 0; i < 6; i++) await client.fetch(server.url(`/n${i}`));
    // undici lets a connection rest for one loop turn after a response before reusing it (a server may
    // close it right after): back-to-back requests alternate between two connections.
    expect(new Set(server.seen.map((s) => s.socket)).size).toBeLessThanOrEqual(2);
    await sleep(20);
    const used = new Set(server.seen.map((s) => s.socket));
    await client.fetch(server.url('/rested'));
    expect(used.has(server.seen.at(-1)?.socket as number)).toBe(true);
    expect(server.connections.closed.size).toBe(0);
  });

  it('closes the connection of an aborted exchange, and the next request opens a new one', async () => {
    const hanging = client.fetch(server.url('/hang'));
    await eventually(() => server.seen.length === 1);
    const socket = server.seen[0]?.socket as number;
    expect(server.connections.closed.has(socket)).toBe(false);
    hanging.cancel();
    await eventually(() => server.connections.closed.has(socket));
    await client.fetch(server.url('/after'));
    expect(server.seen[1]?.socket).not.toBe(socket);
  });

  it('bounds connections per origin with maxConnectionsPerOrigin', async () => {
    client.close();
    await transport.close();
    transport = new NodeTransport({ maxConnectionsPerOrigin: 1 });
    client = new AsyncHTTPClient({ forceInstance: true, transport, maxClients: 3 });
    await Promise.all([1, 2, 3].map((n) => client.fetch(server.url(`/slow?ms=30&n=${n}`))));
    expect(new Set(server.seen.map((s) => s.socket)).size).toBe(1);
  });

  it('sends its User-Agent unless the request has one, and a Host header as given', async () => {
    await client.fetch(server.url('/ua'));
    await client.fetch(server.url('/ua'), { userAgent: 'seed/1.0', headers: { Host: 'virtual.example' } });
    expect(server.seen[0]?.headers['user-agent']).toBe('gust');
    expect(server.seen[1]?.headers['user-agent']).toBe('seed/1.0');
    expect(server.seen[1]?.headers.host).toBe('virtual.example');
  });

  it('sends the body only after 100 Continue with expect100Continue', async () => {
    const response = await client.fetch(server.url('/upload'), {
      method: 'PUT',
      body: 'payload',
      expect100Continue: true,
    });
    expect(response.code).toBe(200);
    expect(server.seen[0]).toMatchObject({ body: 'payload', continued: true });
    expect(server.seen[0]?.headers.expect).toBe('100-continue');
  });

  it('streams a bodyProducer after 100 Continue', async () => {
    await client.fetch(server.url('/upload'), {
      method: 'POST',
      expect100Continue: true,
      bodyProducer: async (write) => {
        await write('a');
        await sleep(10);
        await write('b');
      },
    });
    expect(server.seen[0]).toMatchObject({ body: 'ab', continued: true });
  });

  it('never sends the body when the server answers Expect with a final status', async () => {
    const error = (await rejection(
      client.fetch(server.url('/refuse'), { method: 'POST', body: 'secret', expect100Continue: true }),
    )) as HTTPClientError;
    expect(error.code).toBe(417);
    expect(error.response?.text).toBe('no body wanted');
    expect(server.seen).toHaveLength(1);
    expect(server.seen[0]?.body).toBe('');
  });

  it('lets a finished response go although its cancelled timeout still waits in the IOLoop', async () => {
    const loop = new IOLoop();
    const uninstall = install({ loop });
    try {
      const ioClient = new AsyncHTTPClient({ forceInstance: true, transport });
      // A request still running keeps the loop's timer heap from being emptied (cancelled timers stay
      // in it until their deadline: lazy deletion, as in Tornado).
      const hanging = ioClient.fetch(server.url('/hang'));
      let response: HTTPResponse | undefined = await ioClient.fetch(server.url('/done'));
      const body = new WeakRef(response.body);
      response = undefined;
      await sleep(10);
      globalThis.gc?.();
      expect(body.deref()).toBeUndefined();
      hanging.cancel();
      ioClient.close();
    } finally {
      uninstall();
      await loop.close();
    }
  });

  it('fails the exchanges in flight with close({ force: true }), also those with expect100Continue', async () => {
    const plain = client.fetch(server.url('/hang'));
    const expecting = client.fetch(server.url('/hang'), {
      method: 'PUT',
      body: 'x',
      expect100Continue: true,
    });
    await eventually(() => server.seen.length === 2);
    await transport.close({ force: true });
    for (const fetched of [plain, expecting]) {
      const error = (await rejection(fetched)) as HTTPClientError;
      expect(error.code).toBe(599);
      expect(error.message).toBe('HTTP 599: NodeTransport was closed');
    }
  });

  it('refuses exchanges once closed', async () => {
    await transport.close();
    const error = (await rejection(client.fetch(server.url('/late')))) as HTTPClientError;
    expect(error.code).toBe(599);
    expect(error.message).toMatch(/NodeTransport is closed/);
  });

  it('rejects invalid options at construction', () => {
    expect(() => new NodeTransport({ maxConnectionsPerOrigin: 0 })).toThrow(RangeError);
    expect(() => new NodeTransport({ keepAliveTimeout: -1 })).toThrow(RangeError);
    expect(() => new NodeTransport({ hostnameMapping: { 'a:b:c:d': 'x' } })).toThrow(TypeError);
  });
});
