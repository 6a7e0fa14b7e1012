import { setCurrentLoop } from '@gust/core';
import { IOLoop } from './ioloop.js';

/** Options of {@link install}. */
export interface InstallOptions {
  /** The loop to make core's current loop. @default `IOLoop.current()` */
  loop?: IOLoop;
}

/** Undoes what {@link install} did, in reverse order. Calling it twice is harmless. */
export type Uninstall = () => void;

// One step per piece of Node wiring. Each applies itself and returns its undo. Later steps (the undici
// transport for AsyncHTTPClient, the configured Resolver, the synchronous HTTPClient) join this list.
type InstallStep = (options: InstallOptions) => () => void;

const steps: InstallStep[] = [
  function installLoop(options) {
    const previous = setCurrentLoop(options.loop ?? IOLoop.current());
    return () => {
      setCurrentLoop(previous);
    };
  },
];

/**
 * Wires gust to Node in one call: makes `IOLoop.current()` (or `options.loop`) core's current loop, so that
 * coroutines, `sleep`, `withTimeout`, locks and queues schedule on it. Returns a function that undoes it.
 * Later versions also configure the Node HTTP transport, the resolver and the synchronous `HTTPClient` here.
 * @remarks Tornado needs no such step: its `IOLoop` is the loop. In gust, core is platform-neutral and
 * this is where the Node pieces are plugged in.
 * @example
 * import { install } from '@gust/node-adapter';
 * const uninstall = install();
 */
export function install(options: InstallOptions = {}): Uninstall {
  const undo: Array<() => void> = [];
  for (const step of steps) undo.push(step(options));
  let done = false;
  return () => {
    if (done) return;
    done = true;
    for (let i = undo.length - 1; i >= 0; i--) undo[i]!();
  };
}
