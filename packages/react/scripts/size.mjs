// Size budget of @gust/react: what it adds on top of @gust/core, minified and gzipped. Bundles the
// sources with esbuild (@gust/core and React external, as an app's bundler would share them) and fails if
// the result grows past the budget.
//
//   node scripts/size.mjs
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const BUDGET = 1536; // bytes: 1.5 KB min+gzip

const result = await build({
  entryPoints: [new URL('../src/index.ts', import.meta.url).pathname],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  jsx: 'automatic',
  external: ['@gust/core', 'react', 'react/*', 'react-dom', 'react-dom/*'],
  write: false,
  logLevel: 'silent',
});
const code = result.outputFiles[0].contents;
const gzipped = gzipSync(code, { level: 9 }).length;
const line = `@gust/react: ${code.length} B minified, ${gzipped} B min+gzip (budget ${BUDGET} B)`;
if (gzipped > BUDGET) {
  console.error(`${line}: over budget by ${gzipped - BUDGET} B`);
  process.exitCode = 1;
} else {
  console.log(line);
}
