'use client';
import type { AsyncHTTPClient } from '@gust/core';
import { createContext, type ReactNode } from 'react';

/** @internal The client injected by the nearest {@link GustProvider}. */
export const HTTPClientContext = createContext<AsyncHTTPClient | undefined>(undefined);

/**
 * Props of {@link GustProvider}.
 * @example
 * const client = new AsyncHTTPClient({ forceInstance: true });
 * const props: GustProviderProps = { client, children: <App /> };
 * render(<GustProvider {...props} />);
 */
export interface GustProviderProps {
  /** The client that `useHTTPClient()` returns below this provider. */
  client: AsyncHTTPClient;
  /** The tree that sees `client`. */
  children?: ReactNode;
}

/**
 * Injects an `AsyncHTTPClient` for the components below it: `useHTTPClient()` returns `client`. Tests,
 * servers and apps use it to give components a private client (its own transport, defaults or
 * `maxClients`) instead of the shared one.
 * @remarks Tornado has no UI layer; this stands in for `AsyncHTTPClient.configure` at the scope of a tree.
 * @example
 * <GustProvider client={new AsyncHTTPClient({ forceInstance: true })}>
 *   <App />
 * </GustProvider>
 */
export function GustProvider({ client, children }: GustProviderProps) {
  // `.Provider` rather than React 19's `<Context value>` so that React 18 works too.
  return <HTTPClientContext.Provider value={client}>{children}</HTTPClientContext.Provider>;
}
