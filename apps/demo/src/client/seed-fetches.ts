// The seed's three asynchronous styles (Tornado's guide "Asynchronous and non-Blocking I/O"), exactly as
// the README shows them, run in the browser by page 1. The synchronous one runs on the server
// (src/server/synchronous-fetch.ts): a browser page cannot block its main thread.
import { AsyncHTTPClient, coroutine, Future, type HTTPResponse } from '@gust/core';

export function asynchronousFetch(url: string, callback: (body: Uint8Array) => void): void {
  const httpClient = new AsyncHTTPClient();
  function handleResponse(response: HTTPResponse): void {
    callback(response.body);
  }
  httpClient.fetch(url, { callback: handleResponse });
}

export function asyncFetchFuture(url: string): Future<HTTPResponse> {
  const httpClient = new AsyncHTTPClient();
  const myFuture = new Future<HTTPResponse>();
  const fetchFuture = httpClient.fetch(url);
  fetchFuture.addDoneCallback((f) => myFuture.setResult(f.result()));
  return myFuture;
}

export const fetchCoroutine = coroutine(function* (url: string) {
  const httpClient = new AsyncHTTPClient();
  const response = yield* httpClient.fetch(url);
  return response.body;
});
