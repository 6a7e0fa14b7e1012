/** What `task-worker.cjs` sends for an error thrown by a task. @internal */
export type SerializedError =
  | { thrown: unknown }
  | {
      name: string;
      message: string;
      stack?: string;
      props: Record<string, unknown>;
      cause?: SerializedError;
    };

const BUILTIN: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/**
 * Rebuilds an error thrown in a worker: same name, message, own data properties (`code`, `errno`, …) and
 * cause, and the worker's stack, so the trace points into the task's module. Built-in error types keep
 * their class; any other becomes an `Error` with the original `name`.
 * @internal
 */
export function reviveError(data: SerializedError): unknown {
  if ('thrown' in data) return data.thrown;
  const Ctor = BUILTIN[data.name] ?? Error;
  const error =
    data.cause === undefined
      ? new Ctor(data.message)
      : new Ctor(data.message, { cause: reviveError(data.cause) });
  if (error.name !== data.name) {
    Object.defineProperty(error, 'name', { value: data.name, writable: true, configurable: true });
  }
  for (const [key, value] of Object.entries(data.props)) {
    if (key !== 'name' && key !== 'message' && key !== 'stack')
      (error as unknown as Record<string, unknown>)[key] = value;
  }
  if (data.stack !== undefined) {
    Object.defineProperty(error, 'stack', { value: data.stack, writable: true, configurable: true });
  }
  return error;
}
