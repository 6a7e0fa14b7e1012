import { HTTPClientError } from './http-errors.js';
import type { HTTPHeaders } from './http-headers.js';
import { HTTPRequest, requestOptionsOf } from './http-request.js';

/**
 * The status codes that are redirects a client follows.
 * @example
 * if (REDIRECT_CODES.has(response.code)) console.log('redirected to', response.headers.get('Location'));
 */
export const REDIRECT_CODES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

// Headers that carry credentials for the origin: a modern client never sends them to another origin.
const CREDENTIAL_HEADERS = ['Authorization', 'Cookie', 'Proxy-Authorization'];
// Headers that describe the body, dropped with it when a redirect turns the request into a GET.
const BODY_HEADERS = ['Content-Length', 'Content-Type', 'Content-Encoding', 'Transfer-Encoding'];

/**
 * True if the response `code`/`headers` to `request` is a redirect that should be followed: redirects are
 * enabled, some of `maxRedirects` are left, the code is 301, 302, 303, 307 or 308, and there is a `Location`.
 * @remarks Tornado: `_HTTPConnection._should_follow_redirect`.
 * @example
 * if (shouldFollowRedirect(request, 302, headers)) next = redirectRequest(request, 302, headers.get('Location')!);
 */
export function shouldFollowRedirect(request: HTTPRequest, code: number, headers: HTTPHeaders): boolean {
  return (
    request.followRedirects && request.maxRedirects > 0 && REDIRECT_CODES.has(code) && headers.has('Location')
  );
}

/**
 * The request to send after a redirect, following Tornado's rules and the security rules of modern clients:
 * - `Location` is resolved against the request URL (a missing fragment is inherited, RFC 9110);
 * - 303 turns any method but HEAD into GET, 301 and 302 turn POST into GET; when the method changes the body
 *   (or `bodyProducer`) and its `Content-Length`, `Content-Type`, `Content-Encoding` and `Transfer-Encoding`
 *   headers are dropped; 307 and 308 keep method and body;
 * - `Host` is dropped; `maxRedirects` goes down by one;
 * - when the origin (scheme, host, port) changes, `Authorization`, `Cookie`, `Proxy-Authorization` and
 *   `authUsername`/`authPassword` are dropped.
 * @throws HTTPClientError with the redirect's `code` if `Location` is not a valid URL or not http(s):
 * such redirects are refused, never followed.
 * @remarks Tornado: the redirect branch of `_HTTPConnection.finish`; Tornado keeps credentials across origins.
 * @example
 * const next = redirectRequest(request, 303, 'https://example.com/done');
 */
export function redirectRequest(request: HTTPRequest, code: number, location: string): HTTPRequest {
  const previous = new URL(request.url);
  let next: URL;
  try {
    next = new URL(location, previous);
  } catch {
    throw new HTTPClientError(
      code,
      `Invalid redirect Location ${JSON.stringify(location)} from ${request.url}`,
    );
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    throw new HTTPClientError(
      code,
      `Refusing to follow a redirect to ${JSON.stringify(next.href)}: only http: and https: redirects are followed`,
    );
  }
  if (next.hash === '' && previous.hash !== '') next.hash = previous.hash;

  const options = requestOptionsOf(request);
  const headers = options.headers as HTTPHeaders;
  headers.delete('Host');
  const method = request.method;
  if ((code === 303 && method !== 'HEAD') || ((code === 301 || code === 302) && method === 'POST')) {
    options.method = 'GET';
    options.body = undefined;
    options.bodyProducer = undefined;
    for (const name of BODY_HEADERS) headers.delete(name);
  }
  if (next.origin !== previous.origin) {
    for (const name of CREDENTIAL_HEADERS) headers.delete(name);
    options.authUsername = undefined;
    options.authPassword = undefined;
  }
  options.maxRedirects = request.maxRedirects - 1;
  return new HTTPRequest(next, options);
}
