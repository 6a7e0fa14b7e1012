import { defineConfig } from 'vitest/config';

/**
 * Shared vitest settings for every workspace package.
 * - `@gust/source` resolves workspace packages to their TypeScript sources, so tests need no prior build.
 * - The setup file fails a test file that leaves timers, sockets or servers open, and vitest itself fails the
 *   run on any unhandled rejection.
 */
export default defineConfig({
  resolve: { conditions: ['@gust/source'] },
  ssr: { resolve: { conditions: ['@gust/source'] } },
  test: {
    setupFiles: [new URL('./vitest.setup.ts', import.meta.url).pathname],
    pool: 'forks',
    execArgv: ['--expose-gc'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    dangerouslyIgnoreUnhandledErrors: false,
  },
});
