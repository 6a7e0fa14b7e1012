/**
 * Capability checks and host globals, reached from one place so that core stays platform-neutral and
 * tests can see what core depends on. Globals are read at call time, so fake timers and polyfills apply.
 *
 * @module
 */

interface HostGlobals {
  setImmediate?: (fn: () => void) => unknown;
  clearImmediate?: (handle: unknown) => void;
  MessageChannel?: typeof MessageChannel;
  FinalizationRegistry?: typeof FinalizationRegistry;
  WorkerGlobalScope?: unknown;
  importScripts?: unknown;
  document?: unknown;
  XMLHttpRequest?: unknown;
  process?: { versions?: { node?: string } };
}

const host = globalThis as unknown as HostGlobals;

/**
 * True in Node.js (and runtimes that present themselves as Node).
 * @example
 * if (isNode) console.log('install @gust/node-adapter for the synchronous HTTPClient');
 */
export const isNode: boolean = /* @__PURE__ */ detectNode();

function detectNode(): boolean {
  return typeof host.process?.versions?.node === 'string';
}

/**
 * True inside a browser Web Worker (dedicated, shared or service worker).
 * @example
 * const client = isWebWorker() ? new HTTPClient() : undefined; // synchronous fetches are fine in a worker
 */
export function isWebWorker(): boolean {
  return typeof host.importScripts === 'function' && host.WorkerGlobalScope !== undefined;
}

/**
 * True on a browser's main thread: a document exists and this is not a worker.
 * @example
 * if (isBrowserMainThread()) console.log('use AsyncHTTPClient: a synchronous fetch would freeze the page');
 */
export function isBrowserMainThread(): boolean {
  return !isNode && host.document !== undefined && !isWebWorker();
}

/** Monotonic milliseconds: `performance.now()` where it exists (every supported runtime). */
export function monotonicNow(): number {
  return performance.now();
}

/**
 * Schedules `fn` on a later turn of the host's event loop (a macrotask), after pending I/O callbacks
 * where the host distinguishes them: `setImmediate` in Node, a `MessageChannel` message in browsers,
 * `setTimeout(0)` elsewhere. Tornado's `IOLoop.add_callback` runs callbacks on the next loop iteration too.
 */
export function scheduleMacrotask(fn: () => void): void {
  if (typeof host.setImmediate === 'function') host.setImmediate(fn);
  else if (typeof host.MessageChannel === 'function') {
    if (channelQueue.push(fn) === 1) {
      if (channel === undefined) {
        channel = new host.MessageChannel();
        channel.port1.onmessage = drainChannel;
      }
      channel.port2.postMessage(undefined);
    }
  } else setTimeout(fn);
}

// One MessageChannel serves all macrotasks scheduled in a browser; its queue is drained FIFO, one
// message per scheduled batch, so that other tasks (input, rendering, timers) can run between batches.
const channelQueue: Array<() => void> = [];
let channel: MessageChannel | undefined;

function drainChannel(): void {
  for (const fn of channelQueue.splice(0)) {
    try {
      fn();
    } catch (error) {
      // Rethrow on a fresh task so the host reports it, without stopping the rest of the batch.
      setTimeout(() => {
        throw error;
      });
    }
  }
}

const resolved = Promise.resolve();

/**
 * Queues `fn` as a microtask through a resolved native promise. In Node, `queueMicrotask` wraps every
 * callback in an `AsyncResource`, which costs more than the Future work it schedules; a promise reaction
 * does not. `fn` must not throw (callers catch and log).
 */
export function scheduleMicrotask(fn: () => void): void {
  resolved.then(fn);
}

/** The host's `FinalizationRegistry`, or `undefined` where the runtime has none. */
export function finalizationRegistry(): typeof FinalizationRegistry | undefined {
  return host.FinalizationRegistry;
}
