// `npm start`: builds what the demo needs (the workspace packages' dist, the React client and the demo
// server, through turbo, which skips what is already up to date), then serves the demo on
// http://localhost:8888 (PORT and HOST override) until Ctrl-C.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
console.log('gust demo: building the packages and the demo (first run takes a few seconds)…');
const build = spawnSync(
  'npx',
  ['turbo', 'run', 'build', '--filter=@gust/demo...', '--output-logs=errors-only'],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
  },
);
if (build.error !== undefined || build.status !== 0) {
  console.error('gust demo: the build failed (see above); nothing was started.');
  process.exit(build.status ?? 1);
}

// The server runs in this process, so Ctrl-C reaches its graceful shutdown directly.
await import(new URL('../apps/demo/dist/server/main.js', import.meta.url).href);
