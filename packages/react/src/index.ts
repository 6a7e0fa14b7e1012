// @gust/react — the public API. What this file does not export is private.

/**
 * React bindings for gust: `useFuture`, `useCoroutine` and `useFutureSuspense`, and `GustProvider` /
 * `useHTTPClient` to inject the HTTP client. Every file is marked `'use client'`.
 * @packageDocumentation
 * @module @gust/react
 */

'use client';

export type { GustProviderProps } from './gust-provider.js';
export { GustProvider } from './gust-provider.js';
export type { UseCoroutineOptions, UseCoroutineResult } from './use-coroutine.js';
export { useCoroutine } from './use-coroutine.js';
export type { UseFutureResult } from './use-future.js';
export { useFuture } from './use-future.js';
export { useFutureSuspense } from './use-future-suspense.js';
export { useHTTPClient } from './use-http-client.js';
