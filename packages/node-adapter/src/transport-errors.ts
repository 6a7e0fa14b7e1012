import { HTTPClientError, HTTPStreamClosedError, HTTPTimeoutError, isHTTPClientError } from '@gust/core';

const TLS_ADVICE: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'the certificate chain ends in an untrusted self-signed certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the certificate is not signed by a trusted authority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the certificate is not signed by a trusted authority',
  CERT_HAS_EXPIRED: 'the certificate has expired',
  CERT_NOT_YET_VALID: 'the certificate is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate is for another host name',
};

/**
 * A TLS failure while connecting to `host`, as an `HTTPClientError` (599) that says what was wrong and
 * which options change it.
 * @internal
 */
export function tlsFailure(error: Error, host: string): HTTPClientError {
  const code = String((error as { code?: unknown }).code ?? '');
  const what = TLS_ADVICE[code];
  const message =
    what === undefined
      ? `TLS handshake with ${host} failed: ${error.message}`
      : `TLS certificate verification failed for ${host}: ${what} (${code}); ` +
        'pass the CA that signed it in caCerts, or validateCert: false to skip verification';
  return new HTTPClientError(599, message, undefined, { cause: error });
}

/**
 * What a failure of undici (or of a socket, or of the connector) means for the exchange: an
 * `HTTPClientError` naming the phase. `inBody` is true once the response headers have arrived.
 * @internal
 */
export function exchangeFailure(error: unknown, inBody: boolean): HTTPClientError {
  if (isHTTPClientError(error)) return error;
  const code = (error as { code?: unknown } | undefined)?.code;
  const detail = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'ECONNREFUSED':
      return new HTTPClientError(599, `Connection refused (${detail})`, undefined, { cause: error });
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new HTTPClientError(599, `Host unreachable (${detail})`, undefined, { cause: error });
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return new HTTPTimeoutError('Timeout while connecting', { phase: 'connect', cause: error });
    case 'UND_ERR_DESTROYED':
      return new HTTPClientError(599, 'NodeTransport was closed', undefined, { cause: error });
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return new HTTPStreamClosedError(`Stream closed (${detail})`, { cause: error });
  }
  if (inBody) return new HTTPStreamClosedError(`Stream closed (${detail})`, { cause: error });
  return new HTTPClientError(599, detail, undefined, { cause: error });
}
