import { HTTPClientError, HTTPHeaders, HTTPRequest, HTTPResponse, HTTPTimeoutError } from '@gust/core';
import { describe, expect, it } from 'vitest';

const request = new HTTPRequest('http://127.0.0.1/r');

describe('HTTPResponse', () => {
  it('joins body chunks into bytes and decodes text and JSON once', () => {
    const encoder = new TextEncoder();
    const response = new HTTPResponse(request, 200, {
      body: [encoder.encode('{"a":'), encoder.encode('[1,"é"]}')],
    });
    expect(response.body).toEqual(encoder.encode('{"a":[1,"é"]}'));
    expect(response.body).toBe(response.body);
    expect(response.text).toBe('{"a":[1,"é"]}');
    expect(response.json()).toEqual({ a: [1, 'é'] });
    expect(response.error).toBeUndefined();
    expect(() => response.rethrow()).not.toThrow();
  });

  it('decodes text with the charset of Content-Type', () => {
    const headers = new HTTPHeaders({ 'Content-Type': 'text/plain; charset=ISO-8859-1' });
    const response = new HTTPResponse(request, 200, {
      headers,
      body: new Uint8Array([0x63, 0x61, 0x66, 0xe9]),
    });
    expect(response.text).toBe('café');
    const unknown = new HTTPHeaders({ 'Content-Type': 'text/plain; charset=x-unknown' });
    expect(new HTTPResponse(request, 200, { headers: unknown, body: 'ok' }).text).toBe('ok');
  });

  it('defaults to an empty body, the standard reason and the request URL', () => {
    const response = new HTTPResponse(request, 204);
    expect(response.body).toHaveLength(0);
    expect(response.text).toBe('');
    expect(response.reason).toBe('No Content');
    expect(response.effectiveUrl).toBe('http://127.0.0.1/r');
    expect(response.request).toBe(request);
    expect(response.timeInfo).toEqual({ queue: 0, connect: undefined, firstByte: undefined, total: 0 });
  });

  it('gets an HTTPClientError for any code outside 200-299 that rethrow() throws', () => {
    for (const code of [199, 301, 404, 500]) {
      const response = new HTTPResponse(request, code, { reason: 'Custom' });
      expect(response.error).toBeInstanceOf(HTTPClientError);
      expect((response.error as HTTPClientError).code).toBe(code);
      expect((response.error as HTTPClientError).response).toBe(response);
      expect(() => response.rethrow()).toThrow(`HTTP ${code}: Custom`);
    }
  });

  it('keeps an error it is given', () => {
    const error = new HTTPTimeoutError('Timeout during request');
    const response = new HTTPResponse(request, 599, { error });
    expect(response.error).toBe(error);
    expect(response.reason).toBe('Unknown');
    expect(() => response.rethrow()).toThrow(error);
  });

  it('throws SyntaxError from json() for a body that is not JSON', () => {
    expect(() => new HTTPResponse(request, 200, { body: 'nope' }).json()).toThrow(SyntaxError);
  });
});
