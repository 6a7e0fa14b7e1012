/**
 * An error a request handler throws to answer with a given HTTP status: the router sends
 * `{ error: message }` with that status instead of a 500.
 * @remarks Tornado: `tornado.web.HTTPError(status_code, log_message)`.
 * @example
 * if (typeof body !== 'string') throw new HTTPError(400, 'body must be a string');
 */
export class HTTPError extends Error {
  override name = 'HTTPError';
  /** The HTTP status code to answer with. */
  readonly status: number;

  constructor(status: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.status = status;
  }
}
