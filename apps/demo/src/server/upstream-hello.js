// The "upstream" resource that the four fetch styles get: plain JavaScript because the upstream worker
// thread loads it as it is (no TypeScript loader runs in workers). Types: upstream-hello.d.ts.

/** Longest artificial delay a request may ask for, in milliseconds. */
export const MAX_DELAY = 5000;

/** The delay asked for by `?delay=` (milliseconds, clamped to 0…MAX_DELAY; 250 when absent or invalid). */
export function helloDelay(param) {
  const delay = Number(param ?? 250);
  return Number.isFinite(delay) ? Math.min(Math.max(0, Math.round(delay)), MAX_DELAY) : 250;
}

/** The body of the upstream answer. */
export function helloText(delay, where) {
  return `Hello from the upstream server (${where}), after ${delay} ms`;
}
