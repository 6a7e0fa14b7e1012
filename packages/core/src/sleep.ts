import { Future } from './future.js';
import { currentLoop } from './loop.js';

/**
 * A Future fulfilled after `ms` milliseconds on the current loop. Cancelling it clears its timer.
 * @remarks Tornado: `tornado.gen.sleep(duration)`, in seconds; gust takes milliseconds.
 * @example
 * yield sleep(100);
 */
export function sleep(ms: number): Future<void> {
  if (typeof ms !== 'number' || Number.isNaN(ms)) {
    throw new TypeError(`sleep(ms) takes a number of milliseconds, got ${String(ms)}`);
  }
  const loop = currentLoop();
  const future = new Future<void>({ onCancel: () => loop.cancelTimer(handle) });
  const handle = loop.callLater(ms, () => {
    if (!future.done()) future.setResult(undefined);
  });
  return future;
}
