import { HTTPClient } from '@gust/core';

/**
 * The seed's first style, as in the README: a synchronous fetch that blocks the thread until the
 * response is in. Here it runs on the demo server's thread, so while it waits the server serves nobody.
 * @remarks Tornado: `synchronous_fetch` in the guide *Asynchronous and non-Blocking I/O*.
 */
export function synchronousFetch(url: string): Uint8Array {
  const httpClient = new HTTPClient();
  const response = httpClient.fetch(url);
  return response.body;
}
