import { HTTPHeaders } from './http-headers.js';
import {
  type BodyProducer,
  bool,
  checkBody,
  checkDate,
  checkPort,
  checkSignal,
  count,
  duration,
  type HTTPRequestOptions,
  OPTION_NAMES,
  optionalFunction,
  optionalString,
  REQUEST_DEFAULTS,
} from './http-request-options.js';

const STANDARD_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
]);
// Tornado's simple_httpclient: these methods need a body and the others must not have one.
const BODY_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH']);
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FORM = 'application/x-www-form-urlencoded';
const encoder = new TextEncoder();

let initOf: (request: HTTPRequest) => { url: string | URL; options: HTTPRequestOptions };

/**
 * One HTTP request: a URL and its options (see {@link HTTPRequestOptions} for each option and default),
 * validated when it is built, so that a bad request fails where it is written, not later in a transport.
 * Headers derived from options are added here, as Tornado adds them before sending: `Authorization` (from
 * `authUsername`/`authPassword` or user info in the URL, which is removed from `url`), `If-Modified-Since`,
 * `User-Agent`, and `Content-Type: application/x-www-form-urlencoded` for a POST without one.
 * Fields are read-only; `headers` can still be changed.
 * @remarks Tornado: `tornado.httpclient.HTTPRequest`; durations are milliseconds, and the body checks that
 * Tornado makes when sending are made at construction.
 * @throws TypeError for a bad or non-http(s) URL, an unknown or misspelt option, an unknown method, a body
 * on a method that takes none (or none on POST/PUT/PATCH), CR/LF/NUL in a header, or a value of the wrong type;
 * RangeError for a negative timeout, `maxRedirects` or `maxBodySize`.
 * @example
 * const request = new HTTPRequest('https://example.com/api', { method: 'POST', body: JSON.stringify(data),
 *   headers: { 'Content-Type': 'application/json' }, requestTimeout: 5000 });
 */
export class HTTPRequest {
  /** The absolute URL, without user info. */
  readonly url: string;
  /** The method, upper-case: `'GET'` unless the options said otherwise. */
  readonly method: string;
  /** The headers to send, including those derived from options (`Authorization`, `User-Agent`, ...). */
  readonly headers: HTTPHeaders;
  /** The body as given; form fields (`URLSearchParams`) are turned into their string. */
  readonly body: string | Uint8Array | undefined;
  /** {@inheritDoc HTTPRequestOptions.bodyProducer} */
  readonly bodyProducer: BodyProducer | undefined;
  /** {@inheritDoc HTTPRequestOptions.authUsername} */
  readonly authUsername: string | undefined;
  /** {@inheritDoc HTTPRequestOptions.authPassword} */
  readonly authPassword: string | undefined;
  /** {@inheritDoc HTTPRequestOptions.authMode} */
  readonly authMode: 'basic';
  /** {@inheritDoc HTTPRequestOptions.connectTimeout} */
  readonly connectTimeout: number;
  /** {@inheritDoc HTTPRequestOptions.requestTimeout} */
  readonly requestTimeout: number;
  /** The date sent as `If-Modified-Since`, if any. */
  readonly ifModifiedSince: Date | undefined;
  /** {@inheritDoc HTTPRequestOptions.followRedirects} */
  readonly followRedirects: boolean;
  /** {@inheritDoc HTTPRequestOptions.maxRedirects} */
  readonly maxRedirects: number;
  /** {@inheritDoc HTTPRequestOptions.userAgent} */
  readonly userAgent: string | undefined;
  /** {@inheritDoc HTTPRequestOptions.decompressResponse} */
  readonly decompressResponse: boolean;
  /** {@inheritDoc HTTPRequestOptions.streamingCallback} */
  readonly streamingCallback: ((chunk: Uint8Array) => void) | undefined;
  /** {@inheritDoc HTTPRequestOptions.headerCallback} */
  readonly headerCallback: ((line: string) => void) | undefined;
  /** {@inheritDoc HTTPRequestOptions.proxyHost} */
  readonly proxyHost: string | undefined;
  /** {@inheritDoc HTTPRequestOptions.proxyPort} */
  readonly proxyPort: number | undefined;
  /** {@inheritDoc HTTPRequestOptions.proxyUsername} */
  readonly proxyUsername: string | undefined;
  /** {@inheritDoc HTTPRequestOptions.proxyPassword} */
  readonly proxyPassword: string | undefined;
  /** {@inheritDoc HTTPRequestOptions.allowNonstandardMethods} */
  readonly allowNonstandardMethods: boolean;
  /** {@inheritDoc HTTPRequestOptions.validateCert} */
  readonly validateCert: boolean;
  /** {@inheritDoc HTTPRequestOptions.caCerts} */
  readonly caCerts: string | undefined;
  /** {@inheritDoc HTTPRequestOptions.clientKey} */
  readonly clientKey: string | undefined;
  /** {@inheritDoc HTTPRequestOptions.clientCert} */
  readonly clientCert: string | undefined;
  /** {@inheritDoc HTTPRequestOptions.allowIpv6} */
  readonly allowIpv6: boolean;
  /** {@inheritDoc HTTPRequestOptions.expect100Continue} */
  readonly expect100Continue: boolean;
  /** {@inheritDoc HTTPRequestOptions.maxBodySize} */
  readonly maxBodySize: number;
  /** {@inheritDoc HTTPRequestOptions.signal} */
  readonly signal: AbortSignal | undefined;
  #input: string | URL;
  #options: HTTPRequestOptions;

  static {
    initOf = (request) => ({ url: request.#input, options: request.#options });
  }

  /**
   * @param url - an absolute http(s) URL; in a browser a relative one is resolved against the page.
   * @param options - see {@link HTTPRequestOptions}.
   */
  constructor(url: string | URL, options: HTTPRequestOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError('HTTPRequest options must be an object');
    }
    for (const key in options) {
      if (!OPTION_NAMES.has(key)) throw new TypeError(`Unknown HTTPRequest option "${key}"`);
    }
    this.#input = url;
    this.#options = options;
    const o = options;
    const parsed = parseURL(url);
    let authUsername = optionalString('authUsername', o.authUsername);
    let authPassword = optionalString('authPassword', o.authPassword);
    if (authUsername === undefined && (parsed.username !== '' || parsed.password !== '')) {
      // Tornado takes credentials from the URL when auth_username is not given; we also strip them from
      // `url`, where fetch() would refuse them and logs would show them.
      authUsername = decodeURIComponent(parsed.username);
      authPassword = decodeURIComponent(parsed.password);
    }
    if (parsed.username !== '' || parsed.password !== '') {
      parsed.username = '';
      parsed.password = '';
    }
    this.url = parsed.href;

    const allowNonstandardMethods = bool('allowNonstandardMethods', o.allowNonstandardMethods);
    const method = o.method ?? REQUEST_DEFAULTS.method;
    if (typeof method !== 'string' || !TOKEN.test(method)) {
      throw new TypeError(`Invalid HTTP method ${JSON.stringify(method)}: a method is a token such as "GET"`);
    }
    if (!allowNonstandardMethods && !STANDARD_METHODS.has(method)) {
      const upper = method.toUpperCase();
      const hint = STANDARD_METHODS.has(upper)
        ? `methods are case-sensitive; did you mean "${upper}"?`
        : 'pass allowNonstandardMethods: true to send it anyway';
      throw new TypeError(`Unknown HTTP method "${method}": ${hint}`);
    }
    this.method = method;

    const headers = new HTTPHeaders(o.headers);
    const body = checkBody(o.body);
    const bodyProducer = optionalFunction('bodyProducer', o.bodyProducer);
    if (body !== undefined && bodyProducer !== undefined) {
      throw new TypeError('body and bodyProducer may not both be specified');
    }
    if (!allowNonstandardMethods) {
      const expected = BODY_METHODS.has(method);
      const present = body !== undefined || bodyProducer !== undefined;
      if (expected && !present) {
        throw new TypeError(
          `A body is required for method ${method} (use body: '' for an empty one, or allowNonstandardMethods: true)`,
        );
      }
      if (present && !expected) {
        throw new TypeError(
          `A body is not allowed for method ${method} (unless allowNonstandardMethods is true)`,
        );
      }
    }
    this.body = typeof body === 'object' && !(body instanceof Uint8Array) ? body.toString() : body;
    this.bodyProducer = bodyProducer;

    const authMode = o.authMode ?? REQUEST_DEFAULTS.authMode;
    if (authMode !== 'basic') {
      throw new TypeError(
        `Unsupported authMode ${JSON.stringify(authMode)}: only 'basic' is supported ` +
          '(Tornado offers digest only with curl); set an Authorization header for other schemes',
      );
    }
    this.authMode = authMode;
    this.authUsername = authUsername;
    this.authPassword = authUsername !== undefined ? (authPassword ?? '') : authPassword;
    this.connectTimeout = duration('connectTimeout', o.connectTimeout, REQUEST_DEFAULTS.connectTimeout);
    this.requestTimeout = duration('requestTimeout', o.requestTimeout, REQUEST_DEFAULTS.requestTimeout);
    this.ifModifiedSince = checkDate(o.ifModifiedSince);
    this.followRedirects = bool('followRedirects', o.followRedirects, REQUEST_DEFAULTS.followRedirects);
    this.maxRedirects = count('maxRedirects', o.maxRedirects, REQUEST_DEFAULTS.maxRedirects);
    this.userAgent = optionalString('userAgent', o.userAgent);
    this.decompressResponse = bool(
      'decompressResponse',
      o.decompressResponse,
      REQUEST_DEFAULTS.decompressResponse,
    );
    this.streamingCallback = optionalFunction('streamingCallback', o.streamingCallback);
    this.headerCallback = optionalFunction('headerCallback', o.headerCallback);
    this.proxyHost = optionalString('proxyHost', o.proxyHost);
    this.proxyPort = checkPort(o.proxyPort);
    this.proxyUsername = optionalString('proxyUsername', o.proxyUsername);
    this.proxyPassword = optionalString('proxyPassword', o.proxyPassword);
    this.allowNonstandardMethods = allowNonstandardMethods;
    this.validateCert = bool('validateCert', o.validateCert, REQUEST_DEFAULTS.validateCert);
    this.caCerts = optionalString('caCerts', o.caCerts);
    this.clientKey = optionalString('clientKey', o.clientKey);
    this.clientCert = optionalString('clientCert', o.clientCert);
    this.allowIpv6 = bool('allowIpv6', o.allowIpv6, REQUEST_DEFAULTS.allowIpv6);
    this.expect100Continue = bool(
      'expect100Continue',
      o.expect100Continue,
      REQUEST_DEFAULTS.expect100Continue,
    );
    const maxBodySize = o.maxBodySize ?? REQUEST_DEFAULTS.maxBodySize;
    if (typeof maxBodySize !== 'number' || !(maxBodySize > 0)) {
      throw new RangeError(`maxBodySize must be a positive number of bytes, got ${String(maxBodySize)}`);
    }
    this.maxBodySize = maxBodySize;
    this.signal = checkSignal(o.signal);

    if (authUsername !== undefined)
      headers.set('Authorization', basicAuth(authUsername, this.authPassword ?? ''));
    if (this.ifModifiedSince !== undefined)
      headers.set('If-Modified-Since', this.ifModifiedSince.toUTCString());
    if (this.userAgent !== undefined) headers.set('User-Agent', this.userAgent);
    if ((method === 'POST' || o.body instanceof URLSearchParams) && !headers.has('Content-Type')) {
      headers.set('Content-Type', FORM);
    }
    this.headers = headers;
  }
}

/**
 * @internal Every resolved option of `request`, with a copy of its headers: what a redirect starts from.
 * User info was moved into `authUsername`/`authPassword` by the constructor, so the URL is not needed.
 */
export function requestOptionsOf(request: HTTPRequest): HTTPRequestOptions {
  const { url: _url, ...options } = request;
  return { ...options, headers: request.headers.copy() } as HTTPRequestOptions;
}

/**
 * @internal `options` with `defaults` filling the options it does not set (Tornado's `_RequestProxy`).
 * Headers are merged, the request's own winning name by name; in Tornado a request's headers shadow the
 * defaults' headers entirely.
 */
export function mergeOptions(defaults: HTTPRequestOptions, options: HTTPRequestOptions): HTTPRequestOptions {
  const merged: HTTPRequestOptions = { ...defaults, ...options };
  if (defaults.headers !== undefined && options.headers !== undefined) {
    const headers = new HTTPHeaders(defaults.headers);
    const own = new HTTPHeaders(options.headers);
    for (const [name] of own) headers.delete(name);
    for (const [name, value] of own) headers.add(name, value);
    merged.headers = headers;
  }
  return merged;
}

/** @internal `request` rebuilt with `defaults` filling the options it was not given. */
export function withDefaults(request: HTTPRequest, defaults: HTTPRequestOptions): HTTPRequest {
  const { url, options } = initOf(request);
  return new HTTPRequest(url, mergeOptions(defaults, { ...options, headers: request.headers }));
}

function parseURL(url: string | URL): URL {
  if (typeof url !== 'string' && !(url instanceof URL)) {
    throw new TypeError(`HTTPRequest takes a URL string, got ${typeof url}`);
  }
  // A browser resolves relative URLs against the page, as fetch() does; elsewhere a URL must be absolute.
  const base = (globalThis as { location?: { href?: unknown } }).location?.href;
  let parsed: URL;
  try {
    parsed = new URL(url, typeof base === 'string' ? base : undefined);
  } catch {
    throw new TypeError(
      `Invalid URL ${JSON.stringify(String(url))}: pass an absolute http:// or https:// URL`,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(
      `Unsupported URL scheme "${parsed.protocol}" in ${JSON.stringify(String(url))}: only http: and https: can be fetched`,
    );
  }
  return parsed;
}

function basicAuth(username: string, password: string): string {
  // btoa() takes Latin-1 only; encoding to UTF-8 first matches Tornado's utf8(username) + b":" + ...
  const bytes = encoder.encode(`${username}:${password}`);
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i] as number);
  return `Basic ${btoa(binary)}`;
}
