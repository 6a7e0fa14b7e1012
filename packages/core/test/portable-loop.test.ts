import { PortableLoop } from '@gust/core';
import { describeLoopContract } from './contract/loop-contract.ts';

// PortableLoop trusts setTimeout, whose libuv clock counts whole milliseconds: a timer can fire up to 1 ms
// before its delay has passed on performance.now(). IOLoop re-checks deadlines on time() and needs no slack.
describeLoopContract('PortableLoop', () => new PortableLoop());
