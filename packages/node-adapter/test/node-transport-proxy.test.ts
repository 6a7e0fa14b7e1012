import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import { createServer as createTLSServer, type Server as TLSServer } from 'node:https';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { AsyncHTTPClient, type HTTPClientError } from '@gust/core';
import { NodeTransport } from '@gust/node-adapter';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../core/test/contract/test-server.ts';
import { rejection } from '../../core/test/contract/transport-contract.ts';
import { FakeResolver } from './fixtures/fake-resolver.ts';

const CERT = readFileSync(new URL('./fixtures/tls/cert.pem', import.meta.url), 'utf8');
const KEY = readFileSync(new URL('./fixtures/tls/key.pem', import.meta.url), 'utf8');
const CREDENTIALS = `Basic ${Buffer.from('proxy-user:proxy secret').toString('base64')}`;

interface ProxySeen {
  method: string;
  url: string;
  proxyAuthorization: string | undefined;
}

/**
 * A tiny HTTP proxy on 127.0.0.1: forwards absolute-form requests and opens CONNECT tunnels, recording
 * each; `www.example.com` is sent to 127.0.0.1 (the proxy resolves names, never the client); `refuse`
 * answers 407 to everything.
 */
async function startProxy(): Promise<{
  port: number;
  seen: ProxySeen[];
  refuse: boolean;
  close(): Promise<void>;
}> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  const state = { refuse: false };
  const seen: ProxySeen[] = [];
  const local = (host: string): string => (host === 'www.example.com' ? '127.0.0.1' : host);
  const record = (req: IncomingMessage): void => {
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      proxyAuthorization: req.headers['proxy-authorization'],
    });
  };
  const server: Server = createServer((req, res) => {
    record(req);
    if (state.refuse) {
      res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="test"' });
      res.end('who are you?');
      return;
    }
    const target = new URL(req.url ?? '');
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const upstream = request(
      {
        host: local(target.hostname),
        port: target.port,
        path: target.pathname + target.search,
        method: req.method,
        headers,
      },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connection', track);
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    record(req);
    track(client);
    if (state.refuse) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const [host = '', port = ''] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), local(host), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    track(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    get refuse() {
      return state.refuse;
    },
    set refuse(value: boolean) {
      state.refuse = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('NodeTransport through an HTTP proxy', () => {
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let target: TestServer;
  let tlsTarget: TLSServer;
  let tlsPort: number;
  const tlsSockets = new Set<Socket>();
  let transport: NodeTransport;
  let client: AsyncHTTPClient;

  beforeAll(async () => {
    proxy = await startProxy();
    target = await startTestServer({
      '/hello': (req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({ host: req.headers.host, proxyAuthorization: req.headers['proxy-authorization'] }),
        );
      },
    });
    tlsTarget = createTLSServer({ key: KEY, cert: CERT }, (_req, res) =>
      res.end('secure through the tunnel'),
    );
    tlsTarget.on('connection', (socket: Socket) => {
      tlsSockets.add(socket);
      socket.on('close', () => tlsSockets.delete(socket));
    });
    await new Promise<void>((resolve) => tlsTarget.listen(0, '127.0.0.1', resolve));
    tlsPort = (tlsTarget.address() as AddressInfo).port;
  });

  afterAll(async () => {
    for (const socket of tlsSockets) socket.destroy();
    await Promise.all([
      proxy.close(),
      target.close(),
      new Promise<void>((resolve) => tlsTarget.close(() => resolve())),
    ]);
  });

  beforeEach(() => {
    proxy.seen.length = 0;
    proxy.refuse = false;
    // Only the proxy's own name may be resolved: any other lookup fails the test.
    transport = new NodeTransport({ resolver: new FakeResolver({ 'proxy.test': ['127.0.0.1'] }) });
    client = new AsyncHTTPClient({ forceInstance: true, transport });
  });

  afterEach(async () => {
    client.close();
    await transport.close({ force: true });
  });

  const viaProxy = { proxyHost: 'proxy.test', proxyUsername: 'proxy-user', proxyPassword: 'proxy secret' };

  it('sends an http: URL to the proxy in absolute form, with Proxy-Authorization', async () => {
    const response = await client.fetch(target.url('/hello'), { ...viaProxy, proxyPort: proxy.port });
    expect(response.code).toBe(200);
    expect(proxy.seen).toEqual([
      { method: 'GET', url: target.url('/hello'), proxyAuthorization: CREDENTIALS },
    ]);
    // The target saw its own Host, and the proxy kept the credentials meant for it.
    expect(response.json()).toEqual({ host: `127.0.0.1:${target.port}` });
    expect(target.requests).toHaveLength(1);
  });

  it('leaves name resolution of the target to the proxy', async () => {
    const response = await client.fetch(`http://www.example.com:${target.port}/hello`, {
      ...viaProxy,
      proxyPort: proxy.port,
    });
    expect(response.json().host).toBe(`www.example.com:${target.port}`);
    expect(proxy.seen[0]?.url).toBe(`http://www.example.com:${target.port}/hello`);
  });

  it('tunnels an https: URL with CONNECT and verifies the server through the tunnel', async () => {
    const response = await client.fetch(`https://127.0.0.1:${tlsPort}/`, {
      ...viaProxy,
      proxyPort: proxy.port,
      caCerts: CERT,
    });
    expect(response.text).toBe('secure through the tunnel');
    expect(proxy.seen).toEqual([
      { method: 'CONNECT', url: `127.0.0.1:${tlsPort}`, proxyAuthorization: CREDENTIALS },
    ]);
  });

  it('returns the proxy’s 407 for an http: URL as an HTTP error', async () => {
    proxy.refuse = true;
    const error = (await rejection(
      client.fetch(target.url('/hello'), { proxyHost: 'proxy.test', proxyPort: proxy.port }),
    )) as HTTPClientError;
    expect(error.code).toBe(407);
    expect(error.response?.text).toBe('who are you?');
    expect(proxy.seen[0]?.proxyAuthorization).toBeUndefined();
  });

  it('fails with 599 naming the proxy when it refuses a tunnel', async () => {
    proxy.refuse = true;
    const error = (await rejection(
      client.fetch(`https://127.0.0.1:${tlsPort}/`, {
        proxyHost: 'proxy.test',
        proxyPort: proxy.port,
        caCerts: CERT,
      }),
    )) as HTTPClientError;
    expect(error.code).toBe(599);
    expect(error.message).toMatch(
      new RegExp(`proxy proxy\\.test:${proxy.port} refused the tunnel to 127\\.0\\.0\\.1:${tlsPort}: 407`),
    );
  });

  it('fails with 599 when proxyHost has no proxyPort', async () => {
    const error = (await rejection(
      client.fetch(target.url('/hello'), { proxyHost: 'proxy.test' }),
    )) as HTTPClientError;
    expect(error.code).toBe(599);
    expect(error.message).toMatch(/proxyHost "proxy\.test" needs a proxyPort/);
  });
});
