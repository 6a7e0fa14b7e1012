import { copyFile } from 'node:fs/promises';
import { defineConfig } from 'tsup';

// The Node server: `dist/server/main.js` is what `npm start` runs; `dist/server/server.js` exports
// `startServer` for the long-poll benchmark. The workspace packages stay external (their built `dist`).
export default defineConfig({
  entry: { main: 'src/server/main.ts', server: 'src/server/server.ts' },
  outDir: 'dist/server',
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  clean: true,
  dts: false,
  // Worker threads load these by file name, as they are: copied next to the bundle, not bundled.
  onSuccess: async () => {
    for (const file of ['hash-password.js', 'upstream-worker.js', 'upstream-hello.js']) {
      await copyFile(`src/server/${file}`, `dist/server/${file}`);
    }
  },
});
