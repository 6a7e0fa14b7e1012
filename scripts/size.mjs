// Bundle-size budgets: bundles each entry of size-budgets.json for the browser with esbuild (minified, ES2022),
// gzips it (level 9, node:zlib) and fails if it is over its `limit`. One source of truth for every
// package's budget; @gust/react's `npm run size` runs this script too.
//
//   node scripts/size.mjs                      every budget, from the built dist/ (run `turbo run build`)
//   node scripts/size.mjs --source             from the TypeScript sources (no build needed)
//   node scripts/size.mjs --only @gust/react   the budgets whose name starts with this
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: args } = parseArgs({
  options: { source: { type: 'boolean', default: false }, only: { type: 'string' } },
});
const { budgets } = JSON.parse(readFileSync(new URL('../size-budgets.json', import.meta.url), 'utf8'));

/** Minified and min+gzip sizes of `budget.entry`, bundled as an application's bundler would. */
async function measure(budget) {
  const external = (budget.external ?? []).flatMap((name) => [name, `${name}/*`]);
  const result = await build({
    stdin: { contents: budget.entry, resolveDir: root, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    // Without the workspace's `@gust/source` condition, '@gust/core' resolves to the published dist.
    conditions: args.source ? ['@gust/source'] : [],
    external,
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;
const selected = budgets.filter((budget) => args.only === undefined || budget.name.startsWith(args.only));
if (selected.length === 0) throw new Error(`no budget in size-budgets.json starts with "${args.only}"`);

let over = 0;
console.log(`bundle sizes, min+gzip, from ${args.source ? 'src (--source)' : 'dist'}:`);
for (const budget of selected) {
  const { minified, gzipped } = await measure(budget);
  const status = gzipped > budget.limit ? 'OVER' : 'ok  ';
  if (gzipped > budget.limit) over++;
  let line = `${status} ${budget.name}: ${kb(gzipped)} (${gzipped} B; ${minified} B minified), limit ${kb(budget.limit)}`;
  if (budget.target !== undefined) {
    line +=
      gzipped > budget.target ? `; target ${kb(budget.target)} not met` : `; target ${kb(budget.target)} met`;
  }
  console.log(line);
}
if (over > 0) {
  console.error(
    `${over} bundle(s) over budget: shrink them, or raise the limit in size-budgets.json with a reason`,
  );
  process.exitCode = 1;
}
