'use client';

// @gust/react — the public API. What this file does not export is private.

export type { GustProviderProps } from './gust-provider.js';
export { GustProvider } from './gust-provider.js';
export type { UseCoroutineOptions, UseCoroutineResult } from './use-coroutine.js';
export { useCoroutine } from './use-coroutine.js';
export type { UseFutureResult } from './use-future.js';
export { useFuture } from './use-future.js';
export { useFutureSuspense } from './use-future-suspense.js';
export { useHTTPClient } from './use-http-client.js';
