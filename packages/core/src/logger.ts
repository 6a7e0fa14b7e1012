/**
 * The one place every report of the library goes through: exceptions nobody retrieved, errors in
 * callbacks, the blocking watchdog. Console by default; replace it with {@link setLogger}.
 * @example
 * setLogger({
 *   error: (message, ...details) => myLog.error({ details }, message),
 *   warn: (message, ...details) => myLog.warn({ details }, message),
 *   info: () => {},
 *   debug: () => {},
 * });
 */
export interface Logger {
  /** Reports a failure: an exception nobody retrieved, a callback that threw. */
  error(message: string, ...details: unknown[]): void;
  /** Reports something suspicious, such as a callback that blocked the loop. */
  warn(message: string, ...details: unknown[]): void;
  /** Reports progress worth knowing. */
  info(message: string, ...details: unknown[]): void;
  /** Reports detail for debugging. */
  debug(message: string, ...details: unknown[]): void;
}

// The console itself is the default: its methods work unbound and are looked up at call time, so spies
// and replacements of console methods still see every report.
let current: Logger = console;

/**
 * gust's logger. Calls are forwarded to the implementation set with {@link setLogger} at call time, so
 * modules may keep a reference to this object. Tornado: the `tornado.application` / `app_log` logger.
 * @example
 * logger.warn('slow callback', { ms: 120 });
 */
export const logger: Logger = {
  error: (...args) => current.error(...args),
  warn: (...args) => current.warn(...args),
  info: (...args) => current.info(...args),
  debug: (...args) => current.debug(...args),
};

/**
 * @internal `logger.error(message, ...details)` as a plain function: modules that only report errors (the
 * Future, the runner's helpers) use it so that a bundle of them does not carry the whole logger object.
 */
export function logError(message: string, ...details: unknown[]): void {
  current.error(message, ...details);
}

/**
 * Replaces the logger implementation; returns the previous one so tests can restore it.
 * Pass `undefined` to go back to the console.
 * @example
 * const previous = setLogger({ error: report, warn: report, info() {}, debug() {} });
 */
export function setLogger(impl: Logger | undefined): Logger {
  const previous = current;
  current = impl ?? console;
  return previous;
}
