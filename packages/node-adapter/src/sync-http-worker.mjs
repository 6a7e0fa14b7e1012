// The worker thread of the synchronous HTTPClient in Node (see sync-http-backend.ts). Plain JavaScript, so
// that no TypeScript loader is needed: it imports gust itself (the packages, or `gustModule`), runs an
// AsyncHTTPClient on NodeTransport, and answers each request on the message port, bumping the shared
// counter and waking the blocked caller with Atomics.notify after every message.
import { workerData } from 'node:worker_threads';

const { port, state, transport: transportOptions, setup, gustModule } = workerData;

function post(message) {
  port.postMessage(message);
  Atomics.add(state, 0, 1);
  Atomics.notify(state, 0);
}

function serializeError(error) {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const data = { name: error.name, message: error.message };
  if (typeof error.code === 'number') data.code = error.code;
  if (typeof error.phase === 'string') data.phase = error.phase;
  const cause = error.cause;
  if (cause instanceof Error) {
    data.cause = { name: cause.name, message: cause.message };
    if (typeof cause.code === 'string') data.cause.code = cause.code;
  }
  return data;
}

// A failure of the worker itself must reach the caller, who is blocked until a message arrives.
function fatal(error) {
  post({ id: -1, type: 'fatal', error: serializeError(error) });
  port.close();
  process.exit(1);
}
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);

/** Bytes that can be posted without cloning a whole shared buffer behind a small view. */
function ownBytes(body) {
  return body.byteOffset === 0 && body.byteLength === body.buffer.byteLength ? body : body.slice();
}

function serializeResponse(response) {
  const body = ownBytes(response.body);
  return {
    message: {
      code: response.code,
      reason: response.reason,
      headers: Array.from(response.headers),
      body,
      effectiveUrl: response.effectiveUrl,
      requestTime: response.requestTime,
      startTime: response.startTime,
      timeOrigin: performance.timeOrigin,
      timeInfo: response.timeInfo,
    },
    transfer: body.byteLength > 0 ? [body.buffer] : [],
  };
}

let core;
let adapter;
try {
  if (gustModule !== undefined) {
    core = adapter = await import(gustModule);
  } else {
    [core, adapter] = await Promise.all([import('@gust/core'), import('@gust/node-adapter')]);
  }
  if (setup !== undefined) await import(setup);
} catch (error) {
  fatal(error);
}

const { AsyncHTTPClient, HTTPRequest } = core;
const client = new AsyncHTTPClient({
  forceInstance: true,
  // The caller waits for one request at a time; a request it gave up on may still be ending.
  maxClients: 2,
  transport: new adapter.NodeTransport(transportOptions),
});
const running = new Map();

function run({ id, url, options, streaming, headerLines }) {
  let request;
  try {
    request = new HTTPRequest(url, {
      ...options,
      streamingCallback: streaming ? (chunk) => post({ id, type: 'chunk', chunk }) : undefined,
      headerCallback: headerLines ? (line) => post({ id, type: 'header', line }) : undefined,
    });
  } catch (error) {
    post({ id, type: 'error', error: serializeError(error), response: undefined });
    return;
  }
  const future = client.fetch(request, { raiseError: false });
  running.set(id, future);
  future.then(
    (response) => {
      running.delete(id);
      const { message, transfer } = serializeResponse(response);
      port.postMessage({ id, type: 'response', response: message }, transfer);
      Atomics.add(state, 0, 1);
      Atomics.notify(state, 0);
    },
    (error) => {
      running.delete(id);
      if (future.cancelled()) return;
      const response = error?.response;
      if (response === undefined) {
        post({ id, type: 'error', error: serializeError(error), response: undefined });
        return;
      }
      const { message, transfer } = serializeResponse(response);
      port.postMessage({ id, type: 'error', error: serializeError(error), response: message }, transfer);
      Atomics.add(state, 0, 1);
      Atomics.notify(state, 0);
    },
  );
}

port.on('message', (message) => {
  if (message.type === 'fetch') run(message);
  else if (message.type === 'abort') running.get(message.id)?.cancel();
});
