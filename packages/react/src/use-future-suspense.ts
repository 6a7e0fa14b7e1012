'use client';
import type { Future } from '@gust/core';
import * as React from 'react';

// React 19's use() suspends on a thenable and reads the status/value/reason fields a gust Future exposes.
// React 18 has no use(); its Suspense takes a thrown thenable instead.
const reactUse = (React as { use?: <T>(usable: PromiseLike<T>) => T }).use;

/**
 * Reads a Future inside `<Suspense>`: returns its result if it is fulfilled, throws its error (a
 * `CancelledError` if it was cancelled) to the nearest error boundary if it failed, and suspends while it is
 * pending. A done Future renders without suspending. In React 19, `use(future)` works the same way.
 *
 * The Future must outlive the render (create it in an event handler, a loader or a cache, not in the
 * suspending component), since the component renders again from scratch when it resumes.
 * @remarks Tornado has no UI layer; this is the React side of `Future.result()`.
 * @throws the Future's error, or `CancelledError`, for an error boundary to catch.
 * @example
 * function User({ future }: { future: Future<User> }) {
 *   const user = useFutureSuspense(future);
 *   return <p>{user.name}</p>;
 * }
 */
export function useFutureSuspense<T>(future: Future<T>): T {
  if (future.done()) return future.result();
  if (reactUse !== undefined) return reactUse(future);
  throw future;
}
