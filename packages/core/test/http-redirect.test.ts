import { HTTPClientError, HTTPHeaders, HTTPRequest, redirectRequest, shouldFollowRedirect } from '@gust/core';
import { describe, expect, it } from 'vitest';

const FROM = 'http://127.0.0.1:8000/start#frag';
const location = new HTTPHeaders({ Location: '/next' });

describe('shouldFollowRedirect', () => {
  it('follows 301, 302, 303, 307 and 308 with a Location while redirects are left', () => {
    const request = new HTTPRequest(FROM);
    for (const code of [301, 302, 303, 307, 308])
      expect(shouldFollowRedirect(request, code, location)).toBe(true);
    for (const code of [200, 300, 304, 305, 404])
      expect(shouldFollowRedirect(request, code, location)).toBe(false);
    expect(shouldFollowRedirect(request, 302, new HTTPHeaders())).toBe(false);
    expect(shouldFollowRedirect(new HTTPRequest(FROM, { maxRedirects: 0 }), 302, location)).toBe(false);
    expect(shouldFollowRedirect(new HTTPRequest(FROM, { followRedirects: false }), 302, location)).toBe(
      false,
    );
  });
});

describe('redirectRequest', () => {
  it('resolves Location against the URL, inherits the fragment and counts down maxRedirects', () => {
    const next = redirectRequest(new HTTPRequest(FROM, { requestTimeout: 1234 }), 302, '/next?x=1');
    expect(next.url).toBe('http://127.0.0.1:8000/next?x=1#frag');
    expect(next.maxRedirects).toBe(4);
    expect(next.requestTimeout).toBe(1234);
    expect(redirectRequest(new HTTPRequest(FROM), 302, '/n#own').url).toBe('http://127.0.0.1:8000/n#own');
  });

  it('turns POST into GET on 301/302 and anything but HEAD into GET on 303, dropping the body', () => {
    const post = () =>
      new HTTPRequest(FROM, {
        method: 'POST',
        body: 'a=1',
        headers: { 'Content-Type': 'text/plain', 'Content-Encoding': 'identity', 'X-Keep': '1' },
      });
    for (const code of [301, 302, 303]) {
      const next = redirectRequest(post(), code, '/n');
      expect(next.method).toBe('GET');
      expect(next.body).toBeUndefined();
      expect(next.headers.has('Content-Type')).toBe(false);
      expect(next.headers.has('Content-Encoding')).toBe(false);
      expect(next.headers.get('X-Keep')).toBe('1');
    }
    const put = new HTTPRequest(FROM, { method: 'PUT', bodyProducer: () => {} });
    expect(redirectRequest(put, 301, '/n').method).toBe('PUT');
    const seeOther = redirectRequest(put, 303, '/n');
    expect(seeOther.method).toBe('GET');
    expect(seeOther.bodyProducer).toBeUndefined();
    expect(redirectRequest(new HTTPRequest(FROM, { method: 'HEAD' }), 303, '/n').method).toBe('HEAD');
  });

  it('keeps method and body on 307 and 308', () => {
    for (const code of [307, 308]) {
      const next = redirectRequest(new HTTPRequest(FROM, { method: 'POST', body: 'a=1' }), code, '/n');
      expect(next.method).toBe('POST');
      expect(next.body).toBe('a=1');
      expect(next.headers.get('Content-Type')).toBe('application/x-www-form-urlencoded');
    }
  });

  it('drops credentials when the origin changes, and keeps them when it does not', () => {
    const request = new HTTPRequest(FROM, {
      authUsername: 'Aladdin',
      authPassword: 'open sesame',
      headers: { Cookie: 'c=1', 'Proxy-Authorization': 'Basic eA==', Host: 'example.com', 'X-Keep': '1' },
    });
    const same = redirectRequest(request, 302, '/n');
    expect(same.headers.get('Authorization')).toBe('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
    expect(same.headers.get('Cookie')).toBe('c=1');
    expect(same.headers.has('Host')).toBe(false);
    for (const target of ['http://127.0.0.1:8001/n', 'https://127.0.0.1:8000/n', 'http://localhost:8000/n']) {
      const cross = redirectRequest(request, 302, target);
      expect(cross.headers.has('Authorization')).toBe(false);
      expect(cross.headers.has('Cookie')).toBe(false);
      expect(cross.headers.has('Proxy-Authorization')).toBe(false);
      expect(cross.authUsername).toBeUndefined();
      expect(cross.authPassword).toBeUndefined();
      expect(cross.headers.get('X-Keep')).toBe('1');
    }
  });

  it('refuses non-http(s) and invalid targets with an HTTPClientError carrying the code', () => {
    for (const target of ['file:///etc/passwd', 'javascript:alert(1)', 'ftp://127.0.0.1/x', 'data:,x']) {
      let error: unknown;
      try {
        redirectRequest(new HTTPRequest(FROM), 301, target);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(HTTPClientError);
      expect((error as HTTPClientError).code).toBe(301);
      expect((error as HTTPClientError).message).toMatch(/Refusing to follow a redirect/);
    }
    expect(() => redirectRequest(new HTTPRequest(FROM), 302, 'http://[bad')).toThrow(
      /Invalid redirect Location/,
    );
  });
});
