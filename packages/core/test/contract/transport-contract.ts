import type { Transport } from '@gust/core';
import { describe } from 'vitest';
import { setUpContract } from './transport-contract-context.js';
import { describeExchange } from './transport-contract-exchange.js';
import { describeFlow } from './transport-contract-flow.js';

export { eventually, rejection } from './transport-contract-context.js';

/**
 * The behaviour every {@link Transport} must show behind `AsyncHTTPClient`, against real `node:http`
 * servers on 127.0.0.1: bodies and headers, errors and `raiseError`, callbacks, basic auth, redirects and
 * their security rules, `maxClients` queueing and its timeout, cancellation, streaming, uploads,
 * `maxBodySize`, gzip, timeouts and connection failures.
 * @param name - shown in the test names.
 * @param makeTransport - a fresh transport for each test.
 */
export function describeTransportContract(name: string, makeTransport: () => Transport): void {
  describe(`Transport contract: ${name}`, () => {
    const ctx = setUpContract(makeTransport);
    describeExchange(ctx);
    describeFlow(ctx);
  });
}
