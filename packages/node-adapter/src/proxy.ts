import type { Socket } from 'node:net';
import { HTTPClientError, type HTTPRequest } from '@gust/core';

/** An HTTP proxy, from a request's `proxyHost`, `proxyPort`, `proxyUsername` and `proxyPassword`. */
export interface ProxySettings {
  host: string;
  port: number;
  /** The `Proxy-Authorization` value, if credentials were given. */
  authorization: string | undefined;
  /** Identifies the proxy and its credentials in a pool key. */
  key: string;
}

/** The largest proxy answer to a CONNECT that is read before giving up on it. */
const MAX_TUNNEL_HEAD = 16 * 1024;

/**
 * The proxy of `request`, or `undefined` if it has none.
 * @throws HTTPClientError (599) for `proxyHost` without `proxyPort`, as Tornado's curl transport needs both.
 * @internal
 */
export function proxyOf(request: HTTPRequest): ProxySettings | undefined {
  const host = request.proxyHost;
  if (host === undefined || host === '') return undefined;
  const port = request.proxyPort;
  if (port === undefined) {
    throw new HTTPClientError(599, `proxyHost "${host}" needs a proxyPort`);
  }
  const username = request.proxyUsername;
  const authorization =
    username === undefined
      ? undefined
      : `Basic ${Buffer.from(`${username}:${request.proxyPassword ?? ''}`, 'utf8').toString('base64')}`;
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return { host: bare, port, authorization, key: `${bare}\n${port}\n${authorization ?? ''}` };
}

/**
 * Asks the proxy connected on `socket` for a tunnel to `authority` (`host:port`) with `CONNECT`, and calls
 * `done()` once it answered 2xx (the socket then carries the tunnel), or `done(error)` otherwise.
 * Tornado's curl transport tunnels `https:` URLs the same way (and sends `http:` ones to the proxy as is).
 * @internal
 */
export function openTunnel(
  socket: Socket,
  proxy: ProxySettings,
  authority: string,
  done: (error?: Error) => void,
): void {
  let head = Buffer.alloc(0);
  let finished = false;
  const finish = (error?: Error): void => {
    if (finished) return;
    finished = true;
    socket.removeListener('data', onData);
    socket.removeListener('error', onError);
    socket.removeListener('end', onEnd);
    // Stop the flowing mode the 'data' listener started: whoever reads the tunnel next reads from here.
    socket.pause();
    done(error);
  };
  const onError = (error: Error): void => finish(error);
  const onEnd = (): void =>
    finish(
      new HTTPClientError(599, `The proxy ${proxy.host}:${proxy.port} closed the connection during CONNECT`),
    );
  const onData = (chunk: Buffer): void => {
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end === -1) {
      if (head.length > MAX_TUNNEL_HEAD) {
        finish(
          new HTTPClientError(
            599,
            `The proxy ${proxy.host}:${proxy.port} sent an oversized answer to CONNECT`,
          ),
        );
      }
      return;
    }
    const statusLine = head.toString('latin1', 0, head.indexOf('\r\n'));
    const match = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine);
    const rest = head.subarray(end + 4);
    if (match === null) {
      finish(
        new HTTPClientError(599, `The proxy ${proxy.host}:${proxy.port} sent an invalid answer to CONNECT`),
      );
      return;
    }
    const code = Number(match[1]);
    if (code < 200 || code > 299) {
      finish(
        new HTTPClientError(
          599,
          `The proxy ${proxy.host}:${proxy.port} refused the tunnel to ${authority}: ${code} ${match[2] ?? ''}`.trimEnd(),
        ),
      );
      return;
    }
    // Bytes after the proxy's answer already belong to the tunnel (a server that speaks first).
    if (rest.length > 0) socket.unshift(rest);
    finish();
  };
  socket.on('data', onData);
  socket.once('error', onError);
  socket.once('end', onEnd);
  let request = `CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n`;
  if (proxy.authorization !== undefined) request += `Proxy-Authorization: ${proxy.authorization}\r\n`;
  socket.write(`${request}\r\n`);
}
