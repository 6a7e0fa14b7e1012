import { CancelledError } from './errors.js';
import { unsupported } from './fetch-transport.js';
import type { SyncHTTPBackend } from './http-client.js';
import { HTTPClientError, HTTPTimeoutError } from './http-errors.js';
import { HTTPHeaders } from './http-headers.js';
import type { HTTPRequest } from './http-request.js';
import { shortestTimeout, timeoutDelay } from './http-request-options.js';
import { HTTPResponse } from './http-response.js';
import { currentLoop } from './loop.js';

/**
 * @internal The synchronous backend of {@link HTTPClient} in a browser Web Worker: one synchronous
 * `XMLHttpRequest` per fetch (allowed in workers, with binary responses and timeouts). The browser follows
 * redirects itself, so `followRedirects: false` fails when a redirect happens; a `bodyProducer` cannot be
 * awaited and fails; the body arrives at once, so `streamingCallback` gets it as one chunk; the options
 * that `FetchTransport` cannot honour in a browser fail the same way. The timeout is
 * `min(connectTimeout, requestTimeout)`; XHR cannot tell the phases apart.
 */
export class XHRSyncBackend implements SyncHTTPBackend {
  fetch(request: HTTPRequest): HTTPResponse {
    const loop = currentLoop();
    const start = loop.time();
    const fail = (error: Error): HTTPResponse =>
      new HTTPResponse(request, 599, {
        error,
        requestTime: loop.time() - start,
        startTime: start,
        timeInfo: { total: loop.time() - start },
      });
    const problem =
      unsupported(request, true) ??
      (request.bodyProducer !== undefined
        ? 'a synchronous request cannot wait for a bodyProducer'
        : undefined);
    if (problem !== undefined) {
      return fail(
        new HTTPClientError(
          599,
          `HTTPClient (synchronous XMLHttpRequest) cannot honour this request: ${problem}`,
        ),
      );
    }
    if (request.signal?.aborted === true)
      return fail(new CancelledError('The request was aborted before it started'));
    const XHR = (globalThis as { XMLHttpRequest?: typeof XMLHttpRequest }).XMLHttpRequest;
    if (XHR === undefined)
      return fail(new HTTPClientError(599, 'XMLHttpRequest is not available in this worker'));

    const xhr = new XHR();
    xhr.open(request.method, request.url, false);
    xhr.responseType = 'arraybuffer';
    const total = timeoutDelay(request.requestTimeout);
    const timeout = shortestTimeout(request);
    if (timeout !== undefined) xhr.timeout = timeout;
    for (const [name, value] of request.headers) xhr.setRequestHeader(name, value);
    try {
      xhr.send(request.body === undefined ? null : (request.body as XMLHttpRequestBodyInit));
    } catch (error) {
      if ((error as { name?: unknown }).name === 'TimeoutError') {
        const phase = timeout === total ? 'request' : 'connect';
        return fail(
          new HTTPTimeoutError(phase === 'request' ? 'Timeout during request' : 'Timeout while connecting', {
            phase,
            cause: error,
          }),
        );
      }
      const detail = error instanceof Error ? error.message : String(error);
      return fail(new HTTPClientError(599, `Network error: ${detail}`, undefined, { cause: error }));
    }
    if (xhr.status === 0) {
      return fail(
        new HTTPClientError(
          599,
          'Network error (a browser does not say why: the server may be unreachable, or CORS, mixed content or TLS blocked it)',
        ),
      );
    }
    const effectiveUrl = xhr.responseURL || request.url;
    if (
      !(request.followRedirects && request.maxRedirects > 0) &&
      effectiveUrl !== request.url.split('#')[0]
    ) {
      return fail(
        new HTTPClientError(
          599,
          `The server redirected ${request.url} to ${effectiveUrl}, and XMLHttpRequest always follows redirects: ` +
            'followRedirects: false (or maxRedirects: 0) cannot be honoured here',
        ),
      );
    }
    let body = new Uint8Array(xhr.response as ArrayBuffer);
    if (body.length > request.maxBodySize) {
      return fail(
        new HTTPClientError(599, `Response body is larger than maxBodySize (${request.maxBodySize} bytes)`),
      );
    }
    const headers = HTTPHeaders.parse(xhr.getAllResponseHeaders());
    try {
      const headerCallback = request.headerCallback;
      if (headerCallback !== undefined) {
        headerCallback(`HTTP/1.1 ${xhr.status} ${xhr.statusText}\r\n`);
        for (const [name, value] of headers) headerCallback(`${name}: ${value}\r\n`);
        headerCallback('\r\n');
      }
      if (request.streamingCallback !== undefined) {
        request.streamingCallback(body);
        body = new Uint8Array(0);
      }
    } catch (error) {
      return fail(error instanceof Error ? error : new HTTPClientError(599, String(error)));
    }
    const end = loop.time();
    return new HTTPResponse(request, xhr.status, {
      reason: xhr.statusText,
      headers,
      body,
      effectiveUrl,
      requestTime: end - start,
      startTime: start,
      timeInfo: { total: end - start },
    });
  }
}
