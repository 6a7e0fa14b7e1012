import { copyFile } from 'node:fs/promises';
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // The worker-thread entry is plain CommonJS loaded by file name, so it is copied, not bundled.
  onSuccess: async () => {
    await copyFile('src/task-worker.cjs', 'dist/task-worker.cjs');
    // The synchronous HTTPClient's worker (sync-http-backend.ts), loaded by file name too.
    await copyFile('src/sync-http-worker.mjs', 'dist/sync-http-worker.mjs');
  },
});
