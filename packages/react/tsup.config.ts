import { defineConfig } from 'tsup';

// The entry (src/index.ts) starts with 'use client': esbuild keeps the directive of the entry file at the
// top of each output (after "use strict" in CJS) and drops those of the modules it inlines.
// `scripts/check-use-client.mjs` fails the build check if it ever goes missing.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
