// Checks the published shape of every package in packages/*: packs it as npm would publish it, then runs
// publint (package.json fields, exports, files) and @arethetypeswrong/cli (types resolve under node10,
// node16 from ESM and from CJS, and bundler resolution) on that tarball, and checks that the tarball holds
// the build and nothing else. Fails on any error or publint warning. Needs a build (`turbo run build`).
//
//   node scripts/check-packages.mjs                 every package
//   node scripts/check-packages.mjs core react      only these (directory names under packages/)
//
// attw runs with its default (strict) profile: the packages declare `main`/`types` next to `exports`, so
// even node10 resolution finds their types, and no rule is ignored.
//
// The `"@gust/source": "./src/index.ts"` export condition points at a file that is not published. It is
// kept on purpose: it lets the workspace resolve packages to their TypeScript sources without a build, no
// consumer enables a condition of that name, and publint skips file checks under custom conditions for
// exactly this reason. This script checks that it stays the first condition and points at src/index.ts,
// so that nothing else ever depends on unpublished files.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const root = fileURLToPath(new URL('..', import.meta.url));
const attw = join(root, 'node_modules/.bin/attw');
const only = process.argv.slice(2);
const packageDirs = readdirSync(join(root, 'packages'))
  .filter((name) => existsSync(join(root, 'packages', name, 'package.json')))
  .filter((name) => only.length === 0 || only.includes(name))
  .map((name) => join(root, 'packages', name));

// Files a tarball may hold besides dist/: what npm always adds.
const ALWAYS_PACKED = /^(?:package\.json|README\.md|LICENSE(?:\.md)?|CHANGELOG\.md)$/;

function pack(dir, destination) {
  const output = execFileSync(
    'npm',
    ['pack', '--json', '--ignore-scripts', '--pack-destination', destination],
    {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const [info] = JSON.parse(output);
  return { tarball: join(destination, info.filename), files: info.files.map((f) => f.path) };
}

function checkSourceCondition(pkg) {
  const problems = [];
  const main = pkg.exports?.['.'];
  if (main !== undefined && typeof main === 'object' && '@gust/source' in main) {
    if (Object.keys(main)[0] !== '@gust/source') problems.push('"@gust/source" must be the first condition');
    if (main['@gust/source'] !== './src/index.ts')
      problems.push('"@gust/source" must point at ./src/index.ts');
  }
  for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
    if (subpath !== '.' && JSON.stringify(target).includes('@gust/source')) {
      problems.push(`only "." may carry the "@gust/source" condition, not "${subpath}"`);
    }
  }
  return problems;
}

/**
 * Files that the built code loads by URL next to itself (`new URL('./worker.mjs', import.meta.url)`: worker
 * entries, which bundlers do not follow) and that are not in the tarball.
 */
function missingSiblings(dir, files) {
  const missing = new Set();
  for (const file of files.filter((name) => /^dist\/[^/]+\.[cm]?js$/.test(name))) {
    const code = readFileSync(join(dir, file), 'utf8');
    // esbuild prints string literals in double quotes; single-quoted ones are inside messages or comments.
    for (const [, sibling] of code.matchAll(/new URL\(\s*"\.\/([^"]+)"/g)) {
      if (!files.includes(`dist/${sibling}`)) missing.add(`dist/${sibling}`);
    }
  }
  return [...missing];
}

async function checkPackage(dir, scratch) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const problems = [];
  if (!existsSync(join(dir, 'dist'))) {
    return [`${pkg.name}: no dist/ — build first (npx turbo run build)`];
  }

  const { tarball, files } = pack(dir, scratch);
  const stray = files.filter((file) => !file.startsWith('dist/') && !ALWAYS_PACKED.test(file));
  if (stray.length > 0) problems.push(`the tarball holds files outside dist/: ${stray.join(', ')}`);
  if (files.some((file) => /\.test(?:-d)?\.[cm]?[jt]sx?$/.test(file)))
    problems.push('the tarball holds tests');
  problems.push(...checkSourceCondition(pkg));
  for (const missing of missingSiblings(dir, files)) {
    problems.push(
      `dist code loads ${missing} by URL, but the tarball does not hold it (copy it in the build)`,
    );
  }

  const bytes = readFileSync(tarball);
  const { messages } = await publint({
    level: 'suggestion',
    strict: true,
    pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
  });
  for (const message of messages) {
    const line = `publint ${message.type}: ${formatMessage(message, pkg) ?? message.code}`;
    if (message.type === 'suggestion') console.log(`  ${line}`);
    else problems.push(line);
  }

  try {
    execFileSync(
      attw,
      [tarball, '--format', 'table-flipped', '--no-emoji', '--no-color', '--no-definitely-typed'],
      {
        cwd: dir,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  } catch (error) {
    problems.push(`arethetypeswrong:\n${error.stdout ?? ''}${error.stderr ?? ''}`.trimEnd());
  }

  console.log(
    `${problems.length === 0 ? 'ok  ' : 'FAIL'} ${pkg.name}@${pkg.version}: ${files.length} files packed`,
  );
  return problems.map((problem) => `${pkg.name}: ${problem}`);
}

const scratch = mkdtempSync(join(tmpdir(), 'gust-check-packages-'));
let failures = [];
try {
  for (const dir of packageDirs) failures = failures.concat(await checkPackage(dir, scratch));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
if (packageDirs.length === 0) failures.push(`no package matches ${only.join(', ')}`);
if (failures.length > 0) {
  console.error(`\n${failures.join('\n')}`);
  process.exitCode = 1;
} else {
  console.log('publint and arethetypeswrong: every package passes');
}
