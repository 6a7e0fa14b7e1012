import { NodeTransport } from '@gust/node-adapter';
import { afterAll } from 'vitest';
import { describeTransportContract } from '../../core/test/contract/transport-contract.ts';

const transports: NodeTransport[] = [];

describeTransportContract('NodeTransport', () => {
  const transport = new NodeTransport();
  transports.push(transport);
  return transport;
});

afterAll(async () => {
  await Promise.all(transports.map((transport) => transport.close({ force: true })));
});
