import type { ServerResponse } from 'node:http';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { AsyncHTTPClient, type HTTPClientError } from '@gust/core';
import { NodeTransport } from '@gust/node-adapter';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../core/test/contract/test-server.ts';
import { rejection } from '../../core/test/contract/transport-contract.ts';

const TEXT = 'gust '.repeat(2000);
const MIB = 1024 * 1024;
// One gzip member of 1 MiB of zeros is about 1 KiB; a body of BOMB_MEMBERS of them inflates to that many MiB.
const BOMB_MEMBER = gzipSync(Buffer.alloc(MIB));
const BOMB_MEMBERS = 16_384;

function send(res: ServerResponse, encoding: string, body: Buffer): void {
  res.writeHead(200, {
    'Content-Encoding': encoding,
    'Content-Length': body.length,
    'Content-Type': 'text/plain',
  });
  res.end(body);
}

describe('NodeTransport decompression', () => {
  let server: TestServer;
  let transport: NodeTransport;
  let client: AsyncHTTPClient;
  const bomb = { written: 0, finished: false, closed: false };

  beforeAll(async () => {
    server = await startTestServer({
      '/gzip': (_req, res) => send(res, 'gzip', gzipSync(TEXT)),
      '/deflate': (_req, res) => send(res, 'deflate', deflateSync(TEXT)),
      '/deflate-raw': (_req, res) => send(res, 'deflate', deflateRawSync(TEXT)),
      '/br': (_req, res) => send(res, 'br', brotliCompressSync(TEXT)),
      '/corrupt': (_req, res) => send(res, 'gzip', Buffer.from('this is not gzip at all')),
      '/bomb': (_req, res) => {
        // 16 GiB once inflated, in about 16 MiB on the wire (more than the kernel's socket buffers hold),
        // written as fast as the client reads.
        res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Type': 'application/octet-stream' });
        let sent = 0;
        const pump = (): void => {
          while (sent < BOMB_MEMBERS) {
            sent++;
            bomb.written += BOMB_MEMBER.length;
            if (!res.write(BOMB_MEMBER)) {
              res.once('drain', pump);
              return;
            }
          }
          bomb.finished = true;
          res.end();
        };
        res.on('close', () => {
          bomb.closed = true;
        });
        pump();
      },
    });
  });

  afterAll(async () => {
    await server.close();
  });

  beforeEach(() => {
    transport = new NodeTransport();
    client = new AsyncHTTPClient({ forceInstance: true, transport });
  });

  afterEach(async () => {
    client.close();
    await transport.close({ force: true });
  });

  for (const path of ['/gzip', '/deflate', '/deflate-raw', '/br']) {
    it(`decompresses ${path.slice(1)} and asks for gzip, deflate and br`, async () => {
      const response = await client.fetch(server.url(path));
      expect(response.text).toBe(TEXT);
      expect(server.requests[0]?.headers['accept-encoding']).toBe('gzip, deflate, br');
      server.requests.length = 0;
      // As in Tornado, the encoding the transport removed is reported under another name.
      expect(response.headers.get('Content-Encoding')).toBeUndefined();
      expect(response.headers.get('X-Consumed-Content-Encoding')).toBe(
        path === '/br' ? 'br' : path.slice(1, 5) === 'defl' ? 'deflate' : 'gzip',
      );
    });
  }

  it('neither asks for nor decodes compression with decompressResponse: false', async () => {
    server.requests.length = 0;
    const response = await client.fetch(server.url('/gzip'), { decompressResponse: false });
    expect(server.requests[0]?.headers['accept-encoding']).toBeUndefined();
    expect(response.headers.get('Content-Encoding')).toBe('gzip');
    expect(Buffer.from(response.body).equals(gzipSync(TEXT))).toBe(true);
  });

  it('fails with 599 when the body cannot be decompressed', async () => {
    const error = (await rejection(client.fetch(server.url('/corrupt')))) as HTTPClientError;
    expect(error.code).toBe(599);
    expect(error.message).toMatch(/Cannot decompress the gzip response body/);
  });

  it('refuses a gzip bomb at maxBodySize on decompressed bytes, and stops reading it early', async () => {
    let streamed = 0;
    const start = performance.now();
    const error = (await rejection(
      client.fetch(server.url('/bomb'), {
        maxBodySize: 8 * MIB,
        streamingCallback: (chunk) => {
          streamed += chunk.length;
        },
      }),
    )) as HTTPClientError;
    expect(error.code).toBe(599);
    expect(error.message).toMatch(/larger than maxBodySize \(8388608 bytes\)/);
    // No more than the limit reached the caller, and inflating stopped right there (inflating it all would
    // take minutes): the client dropped the connection before the server could send half of it.
    expect(streamed).toBeLessThanOrEqual(8 * MIB);
    expect(performance.now() - start).toBeLessThan(5000);
    await expect.poll(() => bomb.closed).toBe(true);
    expect(bomb.finished).toBe(false);
    expect(bomb.written).toBeLessThan((BOMB_MEMBERS * BOMB_MEMBER.length) / 2);
  });
});
