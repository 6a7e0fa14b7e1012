import type { AsyncHTTPClient, Future } from '@gust/core';

const JSON_HEADERS = { 'Content-Type': 'application/json' };

/**
 * POSTs `data` as JSON to the demo server and gives the parsed answer. Relative paths resolve against the
 * page, as with `fetch()`. A non-2xx answer rejects with `HTTPClientError`; its message is in the body's
 * `error` field, which {@link errorMessage} extracts.
 */
export function postJSON<T>(
  client: AsyncHTTPClient,
  path: string,
  data: unknown,
  options: { requestTimeout?: number } = {},
): Future<T> {
  return client
    .fetch(path, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(data), ...options })
    .then((response) => response.json() as T);
}

/** A short message for an error of the demo's APIs: the server's `{ error }` when there is one. */
export function errorMessage(error: unknown): string {
  const response = (error as { response?: { text?: string } } | null)?.response;
  if (response?.text) {
    try {
      const parsed = JSON.parse(response.text) as { error?: unknown };
      if (typeof parsed.error === 'string') return parsed.error;
    } catch {
      // not JSON: fall through to the error's own message
    }
  }
  return error instanceof Error ? error.message : String(error);
}
