import { rmSync } from 'node:fs';
import { defineConfig } from 'tsup';

// ESM is emitted file by file (no bundling), so that with `"sideEffects": false` an application's bundler
// drops every module it does not use: `import { Future, coroutine }` pulls in the Future, the runner and
// what they import, not the HTTP client or the queues. One bundled file would keep every class with a
// static block and every top-level call in it. CommonJS (Node's `require`) stays one bundled file.
// The declarations are bundled from the one entry into `index.d.ts` and `index.d.cts`.
export default defineConfig(() => {
  // The two builds below run in parallel into dist/: clean it once here, since tsup's `clean` in either
  // build could delete what the other one has already written.
  rmSync('dist', { recursive: true, force: true });
  return [
    {
      entry: ['src/**/*.ts'],
      format: ['esm'],
      bundle: false,
      dts: { entry: 'src/index.ts' },
      sourcemap: true,
      target: 'es2022',
    },
    {
      entry: ['src/index.ts'],
      format: ['cjs'],
      dts: true,
      sourcemap: true,
      target: 'es2022',
    },
  ];
});
