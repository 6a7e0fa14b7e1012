/**
 * The one place every report of the library goes through: exceptions nobody retrieved, errors in
 * callbacks, the blocking watchdog. Console by default; replace it with {@link setLogger}.
 */
export interface Logger {
  error(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  info(message: string, ...details: unknown[]): void;
  debug(message: string, ...details: unknown[]): void;
}

const consoleLogger: Logger = {
  error: (message, ...details) => console.error(message, ...details),
  warn: (message, ...details) => console.warn(message, ...details),
  info: (message, ...details) => console.info(message, ...details),
  debug: (message, ...details) => console.debug(message, ...details),
};

let current: Logger = consoleLogger;

/**
 * gust's logger. Calls are forwarded to the implementation set with {@link setLogger} at call time, so
 * modules may keep a reference to this object. Tornado: the `tornado.application` / `app_log` logger.
 * @example
 * logger.warn('slow callback', { ms: 120 });
 */
export const logger: Logger = {
  error: (message, ...details) => current.error(message, ...details),
  warn: (message, ...details) => current.warn(message, ...details),
  info: (message, ...details) => current.info(message, ...details),
  debug: (message, ...details) => current.debug(message, ...details),
};

/**
 * Replaces the logger implementation; returns the previous one so tests can restore it.
 * Pass `undefined` to go back to the console.
 * @example
 * const previous = setLogger({ error: report, warn: report, info() {}, debug() {} });
 */
export function setLogger(impl: Logger | undefined): Logger {
  const previous = current;
  current = impl ?? consoleLogger;
  return previous;
}
