import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../tools/vitest.shared.ts';

/**
 * Two projects: the React tests under jsdom with React's development build (act, StrictMode checks), and
 * `*.prod.test.tsx` with `NODE_ENV=production`, so React loads its production build (render counts as
 * users see them; `act` is unavailable there). The SSR test picks the node environment in its docblock.
 */
export default mergeConfig(
  shared,
  defineConfig({
    test: {
      projects: [
        {
          extends: true,
          test: {
            name: 'react',
            environment: 'jsdom',
            include: ['test/**/*.test.{ts,tsx}'],
            exclude: ['test/**/*.prod.test.tsx'],
          },
        },
        {
          extends: true,
          // Compile JSX for the production runtime (jsx, not jsxDEV), as an app's production build does.
          oxc: { jsx: { runtime: 'automatic', development: false } },
          test: {
            name: 'production',
            environment: 'jsdom',
            include: ['test/**/*.prod.test.tsx'],
            env: { NODE_ENV: 'production' },
          },
        },
      ],
    },
  }),
);
