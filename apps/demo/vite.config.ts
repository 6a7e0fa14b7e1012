import { defaultClientConditions, defineConfig } from 'vite';

/**
 * The React client: `vite build` writes `dist/client`, which the demo server serves. Workspace packages
 * are bundled from their TypeScript sources (the `@gust/source` condition), so the client never depends on
 * the packages having been built first; the bundle is the same code either way.
 */
export default defineConfig({
  root: new URL('./src/client', import.meta.url).pathname,
  base: '/',
  resolve: { conditions: ['@gust/source', ...defaultClientConditions] },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: new URL('./dist/client', import.meta.url).pathname,
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    reportCompressedSize: false,
    rolldownOptions: {
      onwarn(warning, warn) {
        // @gust/react's files start with 'use client' for server-component frameworks; a client bundle
        // has no use for the directive, so losing it is expected.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  logLevel: 'warn',
});
