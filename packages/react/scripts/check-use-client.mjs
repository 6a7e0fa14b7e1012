// Fails unless every JavaScript file of the build starts with the 'use client' directive, which React
// Server Components frameworks need to treat @gust/react as client code (tsup keeps only the entry's).
//
//   node scripts/check-use-client.mjs          builds with the package's tsup config into a temporary
//                                              directory (no .d.ts) and checks that
//   node scripts/check-use-client.mjs dist     checks an existing build
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** The string directives at the top of `code` (the directive prologue), after comments and a hashbang. */
export function directives(code) {
  const found = [];
  let rest = code.replace(/^#![^\n]*\n/, '');
  for (;;) {
    rest = rest.replace(/^(?:\s+|\/\/[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/, '');
    const match = /^(['"])([^'"\\\n]*)\1[ \t]*(?:;|\n|$)/.exec(rest);
    if (match === null) return found;
    found.push(match[2]);
    rest = rest.slice(match[0].length);
  }
}

async function check(dir) {
  const files = (await readdir(dir)).filter((name) => /\.(?:c|m)?js$/.test(name));
  if (files.length === 0) throw new Error(`no JavaScript files in ${dir}: build the package first`);
  const missing = [];
  for (const name of files) {
    const code = await readFile(join(dir, name), 'utf8');
    if (!directives(code).includes('use client')) missing.push(name);
  }
  if (missing.length > 0) {
    throw new Error(
      `'use client' is missing at the top of ${missing.join(', ')} in ${dir}: keep it as the first ` +
        'statement of src/index.ts (esbuild keeps only the directives of the entry file)',
    );
  }
  return files;
}

async function main() {
  const given = process.argv[2];
  if (given !== undefined) {
    const files = await check(resolve(given));
    console.log(`'use client' present in ${files.join(', ')}`);
    return;
  }
  const outDir = await mkdtemp(join(tmpdir(), 'gust-react-use-client-'));
  const cwd = process.cwd();
  try {
    process.chdir(packageDir);
    const { build } = await import('tsup');
    await build({ outDir, dts: false, sourcemap: false, clean: false, silent: true });
    const files = await check(outDir);
    console.log(`'use client' present in a fresh build: ${files.join(', ')}`);
  } finally {
    process.chdir(cwd);
    await rm(outDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
