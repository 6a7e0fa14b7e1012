import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { AsyncHTTPClient, type HTTPClientError } from '@gust/core';
import { NodeTransport } from '@gust/node-adapter';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rejection } from '../../core/test/contract/transport-contract.ts';

// A self-signed certificate for CN=localhost with the subject alternative names DNS:localhost and
// IP:127.0.0.1, generated once with
// openssl req -x509 -newkey rsa:2048 -nodes -days 36500 -subj /CN=localhost \
//   -addext subjectAltName=DNS:localhost,IP:127.0.0.1
const CERT_FILE = fileURLToPath(new URL('./fixtures/tls/cert.pem', import.meta.url));
const CERT = readFileSync(CERT_FILE, 'utf8');
const KEY = readFileSync(new URL('./fixtures/tls/key.pem', import.meta.url), 'utf8');

interface Seen {
  servername: string | false | null | undefined;
  peer: string | string[] | undefined;
}

async function startTLSServer(options: { requestCert?: boolean } = {}): Promise<{
  server: Server;
  port: number;
  seen: Seen[];
  close(): Promise<void>;
}> {
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  const server = createServer(
    {
      key: KEY,
      cert: CERT,
      requestCert: options.requestCert ?? false,
      ca: [CERT],
      rejectUnauthorized: options.requestCert ?? false,
    },
    (req, res) => {
      const socket = req.socket as TLSSocket;
      const peer = socket.getPeerCertificate();
      seen.push({ servername: socket.servername, peer: peer?.subject?.CN });
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('secure hello');
    },
  );
  server.on('secureConnection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // Handshakes that fail never become secure connections: track them too, to close them.
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('NodeTransport over TLS', () => {
  let tls: Awaited<ReturnType<typeof startTLSServer>>;
  let mutual: Awaited<ReturnType<typeof startTLSServer>>;
  let transport: NodeTransport;
  let client: AsyncHTTPClient;

  beforeAll(async () => {
    [tls, mutual] = await Promise.all([startTLSServer(), startTLSServer({ requestCert: true })]);
  });

  afterAll(async () => {
    await Promise.all([tls.close(), mutual.close()]);
  });

  afterEach(async () => {
    client.close();
    await transport.close({ force: true });
  });

  function useTransport(options?: ConstructorParameters<typeof NodeTransport>[0]): void {
    transport = new NodeTransport(options);
    client = new AsyncHTTPClient({ forceInstance: true, transport });
  }

  it('rejects a self-signed certificate by default, with an error that says what to do', async () => {
    useTransport();
    const error = (await rejection(client.fetch(`https://127.0.0.1:${tls.port}/`))) as HTTPClientError;
    expect(error.code).toBe(599);
    expect(error.message).toMatch(
      /TLS certificate verification failed for 127\.0\.0\.1: the certificate is self-signed/,
    );
    expect(error.message).toMatch(/caCerts.*validateCert: false/);
    expect(tls.seen).toEqual([]);
  });

  it('accepts it with caCerts, given as PEM text or as a file name (as in Tornado)', async () => {
    useTransport();
    const response = await client.fetch(`https://127.0.0.1:${tls.port}/`, { caCerts: CERT });
    expect(response.code).toBe(200);
    expect(response.text).toBe('secure hello');
    const fromFile = await client.fetch(`https://127.0.0.1:${tls.port}/`, { caCerts: CERT_FILE });
    expect(fromFile.text).toBe('secure hello');
  });

  it('accepts it with validateCert: false', async () => {
    useTransport();
    const response = await client.fetch(`https://127.0.0.1:${tls.port}/`, { validateCert: false });
    expect(response.text).toBe('secure hello');
  });

  it('keeps connections of different TLS settings apart', async () => {
    useTransport();
    expect((await client.fetch(`https://127.0.0.1:${tls.port}/`, { validateCert: false })).code).toBe(200);
    // The connection opened without verification must not serve a request that wants verification.
    const error = (await rejection(client.fetch(`https://127.0.0.1:${tls.port}/`))) as HTTPClientError;
    expect(error.message).toMatch(/self-signed/);
  });

  it('checks the host name: sends it as SNI and refuses a certificate for another name', async () => {
    useTransport({ hostnameMapping: { localhost: '127.0.0.1', 'other.example.com': '127.0.0.1' } });
    const response = await client.fetch(`https://localhost:${tls.port}/`, { caCerts: CERT });
    expect(response.text).toBe('secure hello');
    expect(tls.seen.at(-1)?.servername).toBe('localhost');
    const error = (await rejection(
      client.fetch(`https://other.example.com:${tls.port}/`, { caCerts: CERT }),
    )) as HTTPClientError;
    expect(error.code).toBe(599);
    expect(error.message).toMatch(/for other\.example\.com: the certificate is for another host name/);
  });

  it('presents clientCert and clientKey to a server that asks for a client certificate', async () => {
    useTransport();
    const url = `https://127.0.0.1:${mutual.port}/`;
    const response = await client.fetch(url, { caCerts: CERT, clientCert: CERT, clientKey: KEY });
    expect(response.text).toBe('secure hello');
    expect(mutual.seen.at(-1)?.peer).toBe('localhost');
    const error = (await rejection(client.fetch(url, { caCerts: CERT }))) as HTTPClientError;
    expect(error.code).toBe(599);
    expect(mutual.seen).toHaveLength(1);
  });

  it('fails clearly when caCerts is neither PEM text nor a readable file', async () => {
    useTransport();
    const error = (await rejection(
      client.fetch(`https://127.0.0.1:${tls.port}/`, { caCerts: '/nonexistent/ca.pem' }),
    )) as HTTPClientError;
    expect(error.code).toBe(599);
    expect(error.message).toMatch(/caCerts is neither PEM text nor a readable file/);
  });
});
