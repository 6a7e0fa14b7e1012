import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';

const TASK_BRAND = Symbol.for('gust.Task');

/**
 * A function that an executor can run on a worker thread: named by the URL of its module and the name of
 * its export, because a worker cannot receive a closure. `A` and `R` are the argument and result types
 * (for type checking only).
 * @example
 * const url = new URL('./hash.js', import.meta.url);
 * export const hashTask: Task<[password: string], string> = defineTask(url, 'hash');
 */
export interface Task<A extends unknown[] = any[], R = unknown> {
  /** `file:` URL of the module (an ES module or CommonJS file that the worker can load without a loader). */
  readonly url: string;
  /** The export to call. */
  readonly name: string;
  /** @internal Carries the types; never set. */
  readonly __signature?: (...args: A) => R;
}

/**
 * Names a task for `runInExecutor` / `ThreadPoolExecutor.submit`: the export `exportName` of the module at
 * `module` (a `file:` URL, usually `new URL('./hash.js', import.meta.url)`, or an absolute path). The module
 * is loaded in the worker on first use; it must be JavaScript the worker can load as it is (no TypeScript
 * loader runs there). The function gets the arguments and returns the result (or a promise) by structured
 * clone, so both must be cloneable; an error it throws rejects the caller's Future with the same name,
 * message, `code`, `cause` and the worker's stack.
 *
 * Pass the function's type to type the arguments and result: `defineTask<typeof hash>(url, 'hash')`.
 * @typeParam F - the type of the task function, which gives the task its argument and result types.
 * @throws TypeError for a relative path, a non-`file:` URL or an empty export name.
 * @remarks Tornado has no counterpart: `run_in_executor` takes any callable because Python threads share
 * memory; Node worker threads do not.
 * @example
 * import type { hash } from './hash.js';
 * export const hashTask = defineTask<typeof hash>(new URL('./hash.js', import.meta.url), 'hash');
 */
export function defineTask<F extends (...args: any[]) => unknown = (...args: any[]) => unknown>(
  module: URL | string,
  exportName = 'default',
): Task<Parameters<F>, Awaited<ReturnType<F>>> {
  const url = toFileURL(module);
  if (typeof exportName !== 'string' || exportName === '') {
    throw new TypeError('defineTask(module, exportName): exportName must be a non-empty string');
  }
  return Object.freeze({ url, name: exportName, [TASK_BRAND]: true }) as Task<
    Parameters<F>,
    Awaited<ReturnType<F>>
  >;
}

/**
 * True for a {@link Task} made by `defineTask` (from any copy of the package).
 * @example
 * if (!isTask(task)) throw new TypeError('expected a task made by defineTask()');
 */
export function isTask(value: unknown): value is Task {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[TASK_BRAND] === true
  );
}

function toFileURL(module: URL | string): string {
  if (module instanceof URL) {
    if (module.protocol !== 'file:') {
      throw new TypeError(`defineTask needs a file: URL for the task module, got ${module.href}`);
    }
    return module.href;
  }
  if (typeof module === 'string') {
    if (module.startsWith('file:')) return new URL(module).href;
    if (isAbsolute(module)) return pathToFileURL(module).href;
  }
  throw new TypeError(
    `defineTask needs the task module as a file: URL or an absolute path, got ${JSON.stringify(module)}; ` +
      "use new URL('./task.js', import.meta.url)",
  );
}
