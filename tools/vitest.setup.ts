import { afterAll, beforeAll } from 'vitest';

/**
 * Fails a test file that leaves handles open: timers, sockets, servers, child processes or workers that a
 * test started and did not close. Counts are compared per resource type against the state before the file
 * ran, after a short grace period for handles that close on the next turn.
 */
const WATCHED = new Set([
  'Timeout',
  'Immediate',
  'TCPServerWrap',
  'TCPSocketWrap',
  'TLSWrap',
  'UDPWrap',
  'PipeWrap',
  'ProcessWrap',
  'MessagePort',
  'Worker',
  'GetAddrInfoReqWrap',
  'QueryReqWrap',
]);

function count(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) {
    if (WATCHED.has(type)) counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  return counts;
}

function leaked(before: Map<string, number>): string[] {
  const out: string[] = [];
  for (const [type, n] of count()) {
    const extra = n - (before.get(type) ?? 0);
    if (extra > 0) out.push(`${extra} × ${type}`);
  }
  return out;
}

let before = new Map<string, number>();

beforeAll(() => {
  before = count();
});

afterAll(async () => {
  const deadline = Date.now() + 1000;
  let left = leaked(before);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    left = leaked(before);
  }
  // The polling timer above is itself gone by now; anything left belongs to the tests.
  if (left.length > 0) {
    throw new Error(`Test file left handles open after it finished: ${left.join(', ')}`);
  }
});
