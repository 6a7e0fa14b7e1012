import { HTTPRequest } from '@gust/core';
import { describe, expect, it } from 'vitest';

const URL_ = 'http://127.0.0.1:8080/path?q=1';

describe('HTTPRequest', () => {
  it("applies Tornado's defaults (in milliseconds)", () => {
    const request = new HTTPRequest(URL_);
    expect(request).toMatchObject({
      url: URL_,
      method: 'GET',
      body: undefined,
      authMode: 'basic',
      connectTimeout: 20_000,
      requestTimeout: 20_000,
      followRedirects: true,
      maxRedirects: 5,
      decompressResponse: true,
      allowNonstandardMethods: false,
      validateCert: true,
      allowIpv6: true,
      expect100Continue: false,
      maxBodySize: 104_857_600,
    });
    expect([...request.headers]).toEqual([]);
  });

  it('refuses a bad URL, a relative URL outside a browser and non-http(s) schemes', () => {
    expect(() => new HTTPRequest('not a url')).toThrow(/Invalid URL "not a url"/);
    expect(() => new HTTPRequest('/relative')).toThrow(/pass an absolute http/);
    expect(() => new HTTPRequest('ftp://example.com/')).toThrow(/Unsupported URL scheme "ftp:"/);
    expect(() => new HTTPRequest('file:///etc/passwd')).toThrow(TypeError);
    expect(() => new HTTPRequest(42 as unknown as string)).toThrow(/takes a URL string/);
  });

  it('accepts URL objects', () => {
    expect(new HTTPRequest(new URL(URL_)).url).toBe(URL_);
  });

  it('refuses unknown methods unless allowNonstandardMethods, with a hint for lower case', () => {
    expect(() => new HTTPRequest(URL_, { method: 'FETCH' })).toThrow(
      /Unknown HTTP method "FETCH".*allowNonstandardMethods/,
    );
    expect(() => new HTTPRequest(URL_, { method: 'post', body: '' })).toThrow(/did you mean "POST"/);
    expect(new HTTPRequest(URL_, { method: 'PROPFIND', allowNonstandardMethods: true }).method).toBe(
      'PROPFIND',
    );
    expect(() => new HTTPRequest(URL_, { method: 'BAD METHOD', allowNonstandardMethods: true })).toThrow(
      /Invalid HTTP method/,
    );
  });

  it("applies Tornado's body rules", () => {
    expect(() => new HTTPRequest(URL_, { method: 'POST' })).toThrow(/A body is required for method POST/);
    expect(() => new HTTPRequest(URL_, { method: 'PUT' })).toThrow(/required for method PUT/);
    expect(() => new HTTPRequest(URL_, { body: 'x' })).toThrow(/A body is not allowed for method GET/);
    expect(() => new HTTPRequest(URL_, { method: 'DELETE', body: 'x' })).toThrow(
      /not allowed for method DELETE/,
    );
    expect(() => new HTTPRequest(URL_, { method: 'POST', body: 'x', bodyProducer: () => {} })).toThrow(
      /body and bodyProducer may not both be specified/,
    );
    expect(new HTTPRequest(URL_, { method: 'POST', body: '' }).body).toBe('');
    expect(new HTTPRequest(URL_, { method: 'PATCH', bodyProducer: () => {} }).bodyProducer).toBeTypeOf(
      'function',
    );
    expect(new HTTPRequest(URL_, { body: 'x', allowNonstandardMethods: true }).body).toBe('x');
    expect(() => new HTTPRequest(URL_, { method: 'POST', body: 42 as unknown as string })).toThrow(
      /body must be a string, a Uint8Array or URLSearchParams/,
    );
  });

  it('sends POST bodies as a form by default and turns URLSearchParams into a form body', () => {
    expect(new HTTPRequest(URL_, { method: 'POST', body: 'a=1' }).headers.get('Content-Type')).toBe(
      'application/x-www-form-urlencoded',
    );
    const json = new HTTPRequest(URL_, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(json.headers.get('Content-Type')).toBe('application/json');
    const form = new HTTPRequest(URL_, { method: 'PUT', body: new URLSearchParams({ a: '1', b: 'x y' }) });
    expect(form.body).toBe('a=1&b=x+y');
    expect(form.headers.get('Content-Type')).toBe('application/x-www-form-urlencoded');
    expect(new HTTPRequest(URL_, { method: 'PUT', body: 'x' }).headers.has('Content-Type')).toBe(false);
  });

  it('sets Authorization for basic auth, from options or from user info that it strips from the URL', () => {
    const expected = 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==';
    expect(
      new HTTPRequest(URL_, { authUsername: 'Aladdin', authPassword: 'open sesame' }).headers.get(
        'Authorization',
      ),
    ).toBe(expected);
    const fromUrl = new HTTPRequest('http://Aladdin:open%20sesame@127.0.0.1:8080/');
    expect(fromUrl.headers.get('Authorization')).toBe(expected);
    expect(fromUrl.url).toBe('http://127.0.0.1:8080/');
    expect(fromUrl.authUsername).toBe('Aladdin');
    expect(fromUrl.authPassword).toBe('open sesame');
    const both = new HTTPRequest('http://url:user@127.0.0.1/', { authUsername: 'opt' });
    expect(both.authUsername).toBe('opt');
    expect(both.authPassword).toBe('');
    expect(both.url).toBe('http://127.0.0.1/');
    // UTF-8, as Tornado encodes it.
    expect(new HTTPRequest(URL_, { authUsername: 'é', authPassword: '' }).headers.get('Authorization')).toBe(
      `Basic ${btoa('\u00c3\u00a9:')}`,
    );
  });

  it('refuses digest and other auth modes', () => {
    expect(() => new HTTPRequest(URL_, { authMode: 'digest' as 'basic' })).toThrow(
      /only 'basic' is supported/,
    );
  });

  it('sets If-Modified-Since and User-Agent', () => {
    const request = new HTTPRequest(URL_, {
      ifModifiedSince: new Date(Date.UTC(1994, 10, 6, 8, 49, 37)),
      userAgent: 'ua/1',
    });
    expect(request.headers.get('If-Modified-Since')).toBe('Sun, 06 Nov 1994 08:49:37 GMT');
    expect(request.headers.get('User-Agent')).toBe('ua/1');
    expect(() => new HTTPRequest(URL_, { ifModifiedSince: Number.NaN })).toThrow(/ifModifiedSince/);
  });

  it('refuses CR, LF and NUL in headers', () => {
    expect(() => new HTTPRequest(URL_, { headers: { 'X-A': 'a\r\nX-Injected: 1' } })).toThrow(
      /CR, LF and NUL are not allowed/,
    );
    expect(() => new HTTPRequest(URL_, { userAgent: 'a\nb' })).toThrow(TypeError);
  });

  it('refuses misspelt options and values of the wrong type or range', () => {
    expect(() => new HTTPRequest(URL_, { requestTimout: 5 } as never)).toThrow(
      /Unknown HTTPRequest option "requestTimout"/,
    );
    expect(() => new HTTPRequest(URL_, { requestTimeout: -1 })).toThrow(RangeError);
    expect(() => new HTTPRequest(URL_, { connectTimeout: '5' as unknown as number })).toThrow(/milliseconds/);
    expect(() => new HTTPRequest(URL_, { maxRedirects: 1.5 })).toThrow(/maxRedirects/);
    expect(() => new HTTPRequest(URL_, { maxBodySize: 0 })).toThrow(/maxBodySize/);
    expect(() => new HTTPRequest(URL_, { followRedirects: 'yes' as unknown as boolean })).toThrow(
      /true or false/,
    );
    expect(() => new HTTPRequest(URL_, { streamingCallback: 'x' as never })).toThrow(/must be a function/);
    expect(() => new HTTPRequest(URL_, { proxyPort: 70_000 })).toThrow(/proxyPort/);
    expect(() => new HTTPRequest(URL_, { signal: {} as AbortSignal })).toThrow(/AbortSignal/);
    expect(() => new HTTPRequest(URL_, null as never)).toThrow(/options must be an object/);
  });

  it('accepts 0 and Infinity as "no timeout"', () => {
    const request = new HTTPRequest(URL_, { connectTimeout: 0, requestTimeout: Number.POSITIVE_INFINITY });
    expect(request.connectTimeout).toBe(0);
    expect(request.requestTimeout).toBe(Number.POSITIVE_INFINITY);
  });
});
