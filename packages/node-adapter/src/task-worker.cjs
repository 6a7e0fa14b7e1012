'use strict';
// Runs inside a ThreadPoolExecutor worker (loaded by piscina, which require()s it; plain CommonJS so that
// no TypeScript loader is needed). It loads a task's module, calls the named export with the arguments
// spread, and answers with an envelope: a thrown error is sent as plain data so that its name, code and
// cause survive the thread boundary (structured clone keeps only the built-in error types' names).

const modules = new Map();

function load(url) {
  let loading = modules.get(url);
  if (loading === undefined) {
    loading = import(url);
    modules.set(url, loading);
    loading.catch(() => modules.delete(url));
  }
  return loading;
}

async function runTask(message) {
  const { url, name, args } = message;
  try {
    const module = await load(url);
    const fn = module[name];
    if (typeof fn !== 'function') {
      throw new TypeError(`task module ${url} has no exported function "${name}" (found ${typeof fn})`);
    }
    return { ok: true, value: await fn(...args) };
  } catch (error) {
    return { ok: false, error: serializeError(error, 0) };
  }
}

function serializeError(error, depth) {
  if (!(error instanceof Error)) {
    try {
      return { thrown: structuredClone(error) };
    } catch {
      return { thrown: String(error) };
    }
  }
  const props = {};
  for (const key of Object.keys(error)) {
    const value = error[key];
    const type = typeof value;
    if (key !== 'cause' && (value === null || type === 'string' || type === 'number' || type === 'boolean')) {
      props[key] = value;
    }
  }
  const data = { name: error.name, message: error.message, stack: error.stack, props };
  if ('cause' in error && depth < 4) data.cause = serializeError(error.cause, depth + 1);
  return data;
}

module.exports = { runTask };
