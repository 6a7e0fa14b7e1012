import { createHook } from 'node:async_hooks';
import { afterAll } from 'vitest';

/**
 * Fails a test file that leaves handles open: timers, sockets, servers, child processes or workers that the
 * file created and did not close. Every such resource created while the file runs is tracked through
 * async_hooks until it is destroyed; what is still alive (and, for timers, still ref'd) after a short grace
 * period at the end of the file is reported. Resources that existed before the file started (vitest's own)
 * are never counted.
 */
const WATCHED = new Set([
  'Timeout',
  'Immediate',
  'TCPWRAP',
  'TCPSERVERWRAP',
  'TLSWRAP',
  'UDPWRAP',
  'PIPEWRAP',
  'PIPESERVERWRAP',
  'PROCESSWRAP',
  'WORKER',
  'MESSAGEPORT',
]);

interface Tracked {
  type: string;
  resource: { hasRef?: () => boolean };
}

const alive = new Map<number, Tracked>();
let tracking = false;

const hook = createHook({
  init(asyncId, type, _trigger, resource) {
    if (tracking && WATCHED.has(type))
      alive.set(asyncId, { type, resource: resource as Tracked['resource'] });
  },
  destroy(asyncId) {
    alive.delete(asyncId);
  },
});

/**
 * The socket a TLS wrap belongs to. A TLSWRAP is not a libuv handle: its destroy hook fires only when it
 * is garbage-collected, which never happens while this file holds it; its socket says whether it is closed.
 */
function ownerOf(resource: object): { destroyed?: boolean } | undefined {
  const symbol = Object.getOwnPropertySymbols(resource).find((s) => s.description === 'owner_symbol');
  return symbol === undefined ? undefined : (resource as Record<symbol, { destroyed?: boolean }>)[symbol];
}

function leaked(): string[] {
  const counts = new Map<string, number>();
  for (const { type, resource } of alive.values()) {
    // An unref'd handle does not keep the process alive (vitest's own hook timers are unref'd).
    if (typeof resource.hasRef === 'function' && !resource.hasRef()) continue;
    if (type === 'TLSWRAP' && ownerOf(resource)?.destroyed === true) continue;
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  return [...counts].map(([type, n]) => `${n} × ${type}`);
}

// Start tracking now, before the test file is imported, so that handles opened at its top level count.
tracking = true;
hook.enable();

afterAll(async () => {
  tracking = false;
  const deadline = Date.now() + 1000;
  let left = leaked();
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    left = leaked();
  }
  hook.disable();
  alive.clear();
  if (left.length > 0) {
    throw new Error(`Test file left handles open after it finished: ${left.join(', ')}`);
  }
});
