import { HTTPHeaders, trustedHeaders } from '@gust/core';
import { describe, expect, it } from 'vitest';

describe('HTTPHeaders', () => {
  it('looks names up case-insensitively and shows them in Http-Header-Case', () => {
    const headers = new HTTPHeaders({ 'content-TYPE': 'text/plain' });
    expect(headers.get('Content-Type')).toBe('text/plain');
    expect(headers.has('CONTENT-type')).toBe(true);
    expect([...headers]).toEqual([['Content-Type', 'text/plain']]);
  });

  it('keeps several values per name: get joins them with a comma, getList returns each', () => {
    const headers = new HTTPHeaders();
    headers.add('Set-Cookie', 'a=1');
    headers.add('set-cookie', 'b=2');
    expect(headers.get('Set-Cookie')).toBe('a=1,b=2');
    expect(headers.getList('SET-COOKIE')).toEqual(['a=1', 'b=2']);
    expect([...headers]).toEqual([
      ['Set-Cookie', 'a=1'],
      ['Set-Cookie', 'b=2'],
    ]);
  });

  it('replaces every value with set and removes them with delete', () => {
    const headers = new HTTPHeaders([
      ['X-A', '1'],
      ['X-A', '2'],
    ]);
    headers.set('x-a', '3');
    expect(headers.getList('X-A')).toEqual(['3']);
    expect(headers.delete('X-A')).toBe(true);
    expect(headers.delete('X-A')).toBe(false);
    expect(headers.get('X-A')).toBeUndefined();
    expect(headers.getList('X-A')).toEqual([]);
  });

  it('builds from records with arrays, pairs, fetch Headers and other HTTPHeaders (copied)', () => {
    const fromRecord = new HTTPHeaders({ Accept: ['a', 'b'], Skip: undefined, 'Content-Length': 3 });
    expect(fromRecord.getList('accept')).toEqual(['a', 'b']);
    expect(fromRecord.has('skip')).toBe(false);
    expect(fromRecord.get('content-length')).toBe('3');
    const fromFetch = new HTTPHeaders(new Headers({ 'X-Y': 'z' }));
    expect(fromFetch.get('x-y')).toBe('z');
    const copy = new HTTPHeaders(fromRecord);
    copy.add('Accept', 'c');
    expect(fromRecord.getList('Accept')).toEqual(['a', 'b']);
    expect(fromRecord.copy().getList('Accept')).toEqual(['a', 'b']);
  });

  it('rejects CR, LF and NUL in values and non-token names', () => {
    const headers = new HTTPHeaders();
    for (const value of ['a\r\nX-Injected: 1', 'a\nb', 'a\rb', 'a\0b']) {
      expect(() => headers.add('X-A', value)).toThrow(TypeError);
      expect(() => headers.set('X-A', value)).toThrow(/CR, LF and NUL are not allowed/);
    }
    for (const name of ['Bad Name', 'X:Y', 'X\r\nY', 'X\0', '']) {
      expect(() => headers.add(name, 'v')).toThrow(/Invalid header name/);
    }
    expect(() => new HTTPHeaders({ 'X-A': 'a\nb' })).toThrow(TypeError);
    expect(headers.has('X-A')).toBe(false);
  });

  it('parses a header block with CRLF or LF lines and folded continuations', () => {
    const headers = HTTPHeaders.parse(
      'Content-Type: text/html\r\nSet-Cookie: a=1\r\nSet-Cookie:b=2\nX-Long: first\r\n  second\r\n\r\n',
    );
    expect(headers.get('content-type')).toBe('text/html');
    expect(headers.getList('set-cookie')).toEqual(['a=1', 'b=2']);
    expect(headers.get('x-long')).toBe('first second');
  });

  it('refuses a header block with a line without a colon or a leading continuation', () => {
    expect(() => HTTPHeaders.parse('no colon here\r\n')).toThrow(/no colon/);
    expect(() => HTTPHeaders.parse(' folded: first\r\n')).toThrow(/whitespace/);
  });

  it('prints as a header block', () => {
    const headers = new HTTPHeaders({ 'x-a': '1' });
    headers.add('X-B', '2');
    expect(headers.toString()).toBe('X-A: 1\r\nX-B: 2\r\n');
  });
});

describe('trustedHeaders', () => {
  it('reads its source only when the headers are first used', () => {
    let reads = 0;
    const source = {
      *[Symbol.iterator](): Iterator<[string, string]> {
        reads++;
        yield ['content-type', 'text/plain'];
        yield ['set-cookie', 'a=1'];
        yield ['set-cookie', 'b=2'];
      },
    };
    const headers = trustedHeaders(source);
    expect(reads).toBe(0);
    expect(headers.getList('Set-Cookie')).toEqual(['a=1', 'b=2']);
    expect(headers.get('Content-Type')).toBe('text/plain');
    expect(reads).toBe(1);
  });
});
