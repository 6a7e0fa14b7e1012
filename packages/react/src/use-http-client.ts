'use client';
import { AsyncHTTPClient } from '@gust/core';
import { useContext } from 'react';
import { HTTPClientContext } from './gust-provider.js';

/**
 * The `AsyncHTTPClient` of the nearest {@link GustProvider}, or the shared client of the current loop
 * (`new AsyncHTTPClient()`) when there is none. Use it inside `useCoroutine` / `useFuture` bodies.
 * @remarks Tornado: `AsyncHTTPClient()` returns the shared instance; the provider lets a tree override it.
 * @example
 * const client = useHTTPClient();
 * const { data } = useCoroutine(function* () {
 *   return (yield* client.fetch(`/api/users/${id}`)).json();
 * }, [id]);
 */
export function useHTTPClient(): AsyncHTTPClient {
  return useContext(HTTPClientContext) ?? new AsyncHTTPClient();
}
