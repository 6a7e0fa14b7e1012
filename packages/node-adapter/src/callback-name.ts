/**
 * The name that log messages use for a callback: its function name, or `'anonymous'`.
 * Tornado logs `repr(callback)`; a JavaScript function's useful part of that is its name.
 * @internal
 */
export function callbackName(fn: unknown): string {
  if (typeof fn !== 'function') return String(fn);
  return fn.name === '' ? 'anonymous' : fn.name;
}
