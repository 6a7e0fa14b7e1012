import {
  HTTPClient,
  HTTPClientError,
  HTTPRequest,
  HTTPResponse,
  HTTPTimeoutError,
  InvalidStateError,
  type SyncHTTPBackend,
  setSyncHTTPBackend,
} from '@gust/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { XHRSyncBackend } from '../src/xhr-sync-backend.js';

/** A backend that answers from a table, recording the requests. */
class TableBackend implements SyncHTTPBackend {
  requests: HTTPRequest[] = [];
  fetch(request: HTTPRequest): HTTPResponse {
    this.requests.push(request);
    const path = new URL(request.url).pathname;
    if (path === '/refused')
      return new HTTPResponse(request, 599, { error: new HTTPClientError(599, 'Connection refused') });
    const code = path === '/missing' ? 404 : 200;
    return new HTTPResponse(request, code, { body: `body of ${path}` });
  }
}

afterEach(() => {
  setSyncHTTPBackend(undefined);
  vi.unstubAllGlobals();
});

describe('HTTPClient', () => {
  it('says to install the Node adapter when used in Node without it', () => {
    expect(() => new HTTPClient()).toThrow(InvalidStateError);
    expect(() => new HTTPClient()).toThrow(/call install\(\) from @gust\/node-adapter/);
  });

  it('uses the backend registered with setSyncHTTPBackend', () => {
    const backend = new TableBackend();
    expect(setSyncHTTPBackend(backend)).toBeUndefined();
    const client = new HTTPClient();
    const response = client.fetch('http://127.0.0.1/hello');
    expect(response.code).toBe(200);
    expect(response.text).toBe('body of /hello');
    expect(backend.requests[0]?.url).toBe('http://127.0.0.1/hello');
    expect(setSyncHTTPBackend(undefined)).toBe(backend);
  });

  it('throws an HTTPClientError for a non-2xx response unless raiseError is false', () => {
    const client = new HTTPClient({ backend: new TableBackend() });
    let thrown: unknown;
    try {
      client.fetch('http://127.0.0.1/missing');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HTTPClientError);
    expect((thrown as HTTPClientError).code).toBe(404);
    expect((thrown as HTTPClientError).response?.text).toBe('body of /missing');
    expect(client.fetch('http://127.0.0.1/missing', { raiseError: false }).code).toBe(404);
  });

  it('always throws a failure without a response (599)', () => {
    const client = new HTTPClient({ backend: new TableBackend() });
    expect(() => client.fetch('http://127.0.0.1/refused', { raiseError: false })).toThrow(
      'HTTP 599: Connection refused',
    );
  });

  it('builds requests with its defaults and validates arguments', () => {
    const backend = new TableBackend();
    const client = new HTTPClient({ backend, defaults: { userAgent: 'sync', requestTimeout: 5 } });
    client.fetch('http://127.0.0.1/a', { requestTimeout: 7 });
    expect(backend.requests[0]?.userAgent).toBe('sync');
    expect(backend.requests[0]?.requestTimeout).toBe(7);
    expect(() => client.fetch('http://127.0.0.1/', { method: 'BREW' })).toThrow(/Unknown HTTP method/);
    expect(() => client.fetch(new HTTPRequest('http://127.0.0.1/'), { method: 'GET' })).toThrow(
      /request options cannot be given with an HTTPRequest/,
    );
  });

  it('refuses to fetch once closed', () => {
    const client = new HTTPClient({ backend: new TableBackend() });
    client.close();
    expect(() => client.fetch('http://127.0.0.1/')).toThrow(/closed HTTPClient/);
  });
});

interface FakeXHRScript {
  status?: number;
  statusText?: string;
  headers?: string;
  body?: string;
  responseURL?: string;
  sendError?: { name: string; message: string };
}

/** Installs a synchronous XMLHttpRequest double that answers with `script` and records what it was asked. */
function fakeXHR(script: FakeXHRScript) {
  const seen: {
    open?: unknown[];
    headers: Array<[string, string]>;
    body?: unknown;
    timeout?: number;
    responseType?: string;
  } = { headers: [] };
  class FakeXMLHttpRequest {
    status = 0;
    statusText = '';
    response: ArrayBuffer | null = null;
    responseURL = '';
    timeout = 0;
    responseType = '';
    open(...args: unknown[]): void {
      seen.open = args;
    }
    setRequestHeader(name: string, value: string): void {
      seen.headers.push([name, value]);
    }
    send(body: unknown): void {
      seen.body = body;
      seen.timeout = this.timeout;
      seen.responseType = this.responseType;
      if (script.sendError !== undefined) {
        throw Object.assign(new Error(script.sendError.message), { name: script.sendError.name });
      }
      this.status = script.status ?? 200;
      this.statusText = script.statusText ?? 'OK';
      this.response = new TextEncoder().encode(script.body ?? '').buffer;
      this.responseURL = script.responseURL ?? (seen.open?.[1] as string);
    }
    getAllResponseHeaders(): string {
      return script.headers ?? '';
    }
  }
  vi.stubGlobal('XMLHttpRequest', FakeXMLHttpRequest);
  return seen;
}

describe('XHRSyncBackend', () => {
  const backend = new XHRSyncBackend();

  it('sends a synchronous binary XHR with the method, headers, body and timeout', () => {
    const seen = fakeXHR({
      headers: 'content-type: text/plain\r\nset-cookie: a=1\r\nset-cookie: b=2\r\n',
      body: 'hi',
    });
    const request = new HTTPRequest('http://127.0.0.1/x', {
      method: 'POST',
      body: 'data',
      headers: { 'X-A': '1' },
      connectTimeout: 3000,
      requestTimeout: 5000,
    });
    const response = backend.fetch(request);
    expect(seen.open).toEqual(['POST', 'http://127.0.0.1/x', false]);
    expect(seen.responseType).toBe('arraybuffer');
    expect(seen.timeout).toBe(3000);
    expect(seen.body).toBe('data');
    expect(seen.headers).toContainEqual(['X-A', '1']);
    expect(response.code).toBe(200);
    expect(response.text).toBe('hi');
    expect(response.headers.getList('Set-Cookie')).toEqual(['a=1', 'b=2']);
    expect(response.effectiveUrl).toBe('http://127.0.0.1/x');
  });

  it('maps a timeout to HTTPTimeoutError and a status of 0 to a 599 network error', () => {
    fakeXHR({ sendError: { name: 'TimeoutError', message: 'timed out' } });
    const timedOut = backend.fetch(new HTTPRequest('http://127.0.0.1/', { requestTimeout: 100 }));
    expect(timedOut.code).toBe(599);
    expect(timedOut.error).toBeInstanceOf(HTTPTimeoutError);
    expect(timedOut.error?.message).toBe('Timeout during request');
    fakeXHR({ status: 0 });
    const failed = backend.fetch(new HTTPRequest('http://127.0.0.1/'));
    expect(failed.code).toBe(599);
    expect(failed.error?.message).toMatch(/^HTTP 599: Network error/);
  });

  it('fails when the browser followed a redirect that followRedirects: false forbids', () => {
    fakeXHR({ responseURL: 'http://127.0.0.1/elsewhere' });
    const response = backend.fetch(new HTTPRequest('http://127.0.0.1/start', { followRedirects: false }));
    expect(response.code).toBe(599);
    expect(response.error?.message).toMatch(/always follows redirects: followRedirects: false/);
    fakeXHR({ responseURL: 'http://127.0.0.1/elsewhere' });
    expect(backend.fetch(new HTTPRequest('http://127.0.0.1/start')).effectiveUrl).toBe(
      'http://127.0.0.1/elsewhere',
    );
  });

  it('feeds headerCallback and streamingCallback once the response is in, and enforces maxBodySize', () => {
    fakeXHR({ headers: 'x-a: 1\r\n', body: 'whole body' });
    const lines: string[] = [];
    const chunks: Uint8Array[] = [];
    const response = backend.fetch(
      new HTTPRequest('http://127.0.0.1/', {
        headerCallback: (l) => lines.push(l),
        streamingCallback: (c) => chunks.push(c),
      }),
    );
    expect(lines).toEqual(['HTTP/1.1 200 OK\r\n', 'X-A: 1\r\n', '\r\n']);
    expect(new TextDecoder().decode(chunks[0])).toBe('whole body');
    expect(response.body).toHaveLength(0);
    fakeXHR({ body: 'x'.repeat(20) });
    expect(backend.fetch(new HTTPRequest('http://127.0.0.1/', { maxBodySize: 10 })).error?.message).toMatch(
      /maxBodySize \(10 bytes\)/,
    );
  });

  it('fails clearly on what a browser cannot do, and on a bodyProducer', () => {
    const seen = fakeXHR({});
    for (const [options, message] of [
      [{ headers: { Host: 'h' } }, /Host header/],
      [{ validateCert: false }, /validateCert/],
      [{ decompressResponse: false }, /decompressResponse: false/],
      [{ method: 'POST', bodyProducer: () => {} }, /cannot wait for a bodyProducer/],
    ] as const) {
      const response = backend.fetch(new HTTPRequest('http://127.0.0.1/', options));
      expect(response.code).toBe(599);
      expect(response.error?.message).toMatch(message);
    }
    expect(seen.open).toBeUndefined();
  });

  it('does not send a request whose signal is already aborted', () => {
    const seen = fakeXHR({});
    const response = backend.fetch(new HTTPRequest('http://127.0.0.1/', { signal: AbortSignal.abort() }));
    expect(response.error?.name).toBe('CancelledError');
    expect(seen.open).toBeUndefined();
  });
});
