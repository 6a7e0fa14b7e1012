import {
  GustError,
  HTTPClientError,
  HTTPRequest,
  HTTPResponse,
  HTTPStreamClosedError,
  HTTPTimeoutError,
  isGustError,
  isHTTPClientError,
  isHTTPStreamClosedError,
  isHTTPTimeoutError,
  isTimeoutError,
} from '@gust/core';
import { describe, expect, it } from 'vitest';

describe('HTTPClientError', () => {
  it("reads like Tornado's str(): HTTP <code>: <message or reason>", () => {
    expect(new HTTPClientError(404).message).toBe('HTTP 404: Not Found');
    expect(new HTTPClientError(599).message).toBe('HTTP 599: Unknown');
    expect(new HTTPClientError(500, 'Database down').message).toBe('HTTP 500: Database down');
    expect(new HTTPClientError(404).name).toBe('HTTPClientError');
  });

  it('keeps its code, response and cause', () => {
    const response = new HTTPResponse(new HTTPRequest('http://127.0.0.1/'), 200);
    const cause = new Error('socket');
    const error = new HTTPClientError(502, undefined, response, { cause });
    expect(error.code).toBe(502);
    expect(error.response).toBe(response);
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(GustError);
  });

  it('is recognised by its guard, as are its subclasses, from any copy of the package', () => {
    const foreign = { [Symbol.for('gust.HTTPClientError')]: true };
    expect(isHTTPClientError(foreign)).toBe(true);
    expect(isHTTPClientError(new HTTPTimeoutError())).toBe(true);
    expect(isHTTPClientError(new HTTPStreamClosedError())).toBe(true);
    expect(isGustError(new HTTPClientError(404))).toBe(true);
    expect(isHTTPClientError(new Error('x'))).toBe(false);
  });
});

describe('HTTPTimeoutError', () => {
  it('has code 599, the bare message naming the phase, and the phase', () => {
    const error = new HTTPTimeoutError('Timeout in request queue', { phase: 'queue' });
    expect(error.code).toBe(599);
    expect(error.message).toBe('Timeout in request queue');
    expect(error.phase).toBe('queue');
    expect(error.name).toBe('HTTPTimeoutError');
    expect(String(error)).toBe('HTTPTimeoutError: Timeout in request queue');
    expect(new HTTPTimeoutError().message).toBe('Timeout');
  });

  it('is told apart by its guard (and is not a core TimeoutError)', () => {
    expect(isHTTPTimeoutError(new HTTPTimeoutError())).toBe(true);
    expect(isHTTPTimeoutError(new HTTPStreamClosedError())).toBe(false);
    expect(isHTTPTimeoutError(new HTTPClientError(599))).toBe(false);
    expect(isTimeoutError(new HTTPTimeoutError())).toBe(false);
  });
});

describe('HTTPStreamClosedError', () => {
  it('has code 599 and the message "Stream closed" by default', () => {
    const error = new HTTPStreamClosedError();
    expect(error.code).toBe(599);
    expect(error.message).toBe('Stream closed');
    expect(isHTTPStreamClosedError(error)).toBe(true);
    expect(isHTTPStreamClosedError(new HTTPTimeoutError())).toBe(false);
  });
});
