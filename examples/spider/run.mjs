// `npm run example:spider`: bundles spider.ts with esbuild (resolving @gust/core to its TypeScript
// sources through the `@gust/source` condition, so no build is needed) and runs its main().
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const entry = fileURLToPath(new URL('./spider.ts', import.meta.url));
const result = await build({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['@gust/source'],
  sourcemap: 'inline',
  write: false,
  logLevel: 'warning',
});
const dir = await mkdtemp(join(tmpdir(), 'gust-spider-'));
const file = join(dir, 'spider.mjs');
try {
  await writeFile(file, result.outputFiles[0].contents);
  process.setSourceMapsEnabled(true);
  const { main } = await import(pathToFileURL(file).href);
  const concurrency = Number(process.argv[2] ?? 3);
  await main({ concurrency });
} finally {
  await rm(dir, { recursive: true, force: true });
}
