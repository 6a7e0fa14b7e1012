// Smoke test of what gets published: loads each package's built dist/ (never its sources) and checks a few
// real behaviours, as an application would see them.
//
// - Node, ESM (`import()`) and CommonJS (`require()`): @gust/core runs coroutines, sleeps, cancels (the
//   body's finally runs) and fetches from a loopback server; the two copies recognise each other's Futures
//   and errors; @gust/node-adapter installs its IOLoop, fetches through the installed transport and runs a
//   task on a worker thread (the copied dist/task-worker.cjs); @gust/react renders hooks on the server.
// - A browser: @gust/core and @gust/react bundle for the browser from dist (no Node built-ins), and the core
//   bundle runs a coroutine and a fetch in Debian's Chromium (skipped with a message if it is missing).
// - The demo's browser bundle (apps/demo/dist/client, written by the demo's `vite build`) contains gust
//   (skipped with a message until the demo is built).
//
// Needs a build first: `turbo run build`. Run: node scripts/smoke-dist.mjs
//
// The checks run in a child process with a time limit: a synchronous fetch that never returns blocks its
// thread, where no timer of the same process could report it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

const TIME_LIMIT = 180_000;
if (!process.argv.includes('--child')) {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child'], {
    stdio: 'inherit',
    timeout: TIME_LIMIT,
    killSignal: 'SIGKILL',
  });
  if (child.error !== undefined || child.signal !== null) {
    console.error(
      `smoke-dist: killed after ${TIME_LIMIT / 1000} s (${child.error?.message ?? child.signal})`,
    );
    process.exit(1);
  }
  process.exit(child.status ?? 1);
}

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const CHROMIUM = '/usr/bin/chromium';
const PACKAGES = ['@gust/core', '@gust/node-adapter', '@gust/react'];

let failures = 0;
let passes = 0;

async function check(name, fn) {
  try {
    await fn();
    passes++;
    console.log(`ok   ${name}`);
  } catch (error) {
    failures++;
    console.error(`FAIL ${name}\n     ${error?.stack ?? error}`);
  }
}

function skip(name, why) {
  console.log(`skip ${name}: ${why}`);
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

function equal(actual, expected, what) {
  assert(Object.is(actual, expected), `${what}: expected ${String(expected)}, got ${String(actual)}`);
}

function withTimeLimit(promise, ms, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/** Where `specifier` resolves from here, for `import` and for `require`. */
function resolved(specifier) {
  return {
    esm: fileURLToPath(import.meta.resolve(specifier)),
    cjs: require.resolve(specifier),
  };
}

// ---- a loopback server that every fetch goes to -------------------------------------------------

const server = createServer((req, res) => {
  const headers = { 'Content-Type': 'text/plain', 'Access-Control-Allow-Origin': '*' };
  if (req.url === '/hello') {
    res.writeHead(200, headers);
    res.end('Hello, world');
  } else {
    res.writeHead(404, headers);
    res.end(`no route ${req.url}`);
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;

/** A loopback server on a worker thread, for the synchronous client, which blocks the main thread. */
async function startServerThread() {
  const worker = new Worker(
    `
    const { createServer } = require('node:http');
    const { parentPort } = require('node:worker_threads');
    const server = createServer((req, res) => {
      res.writeHead(req.url === '/hello' ? 200 : 404, { 'Content-Type': 'text/plain' });
      res.end(req.url === '/hello' ? 'Hello from a thread' : 'no route ' + req.url);
    });
    server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
    parentPort.on('message', () => {
      server.closeAllConnections();
      server.close(() => parentPort.close());
    });
    `,
    { eval: true },
  );
  const port = await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        worker.once('exit', resolve);
        worker.postMessage('close');
      }),
  };
}

// A task module for the worker-thread executor: plain JavaScript, loaded by the worker by URL.
const scratch = mkdtempSync(join(tmpdir(), 'gust-smoke-'));
const taskFile = join(scratch, 'double.mjs');
writeFileSync(taskFile, 'export function double(n) { return n * 2; }\n');

const decode = (bytes) => new TextDecoder().decode(bytes);

try {
  // ---- the build is what gets loaded ----------------------------------------------------------------

  await check('every package resolves to its dist/ for import and for require', () => {
    for (const name of PACKAGES) {
      const { esm, cjs } = resolved(name);
      assert(esm.includes(`${sep}dist${sep}`) && esm.endsWith('.js'), `${name} imports ${esm}`);
      assert(cjs.includes(`${sep}dist${sep}`) && cjs.endsWith('.cjs'), `${name} requires ${cjs}`);
      for (const file of [esm, cjs]) assert(existsSync(file), `${file} is missing: build first`);
    }
  });

  const flavours = {
    esm: {
      core: await import('@gust/core'),
      adapter: await import('@gust/node-adapter'),
      react: await import('@gust/react'),
      React: (await import('react')).default,
      server: await import('react-dom/server'),
    },
    cjs: {
      core: require('@gust/core'),
      adapter: require('@gust/node-adapter'),
      react: require('@gust/react'),
      React: require('react'),
      server: require('react-dom/server'),
    },
  };

  for (const [flavour, { core, adapter, react, React, server: reactServer }] of Object.entries(flavours)) {
    const { AsyncHTTPClient, coroutine, currentLoop, Future, isCancelledError, sleep } = core;

    await check(`${flavour}: @gust/core runs a coroutine that yields a sleep and a Future`, async () => {
      const add = coroutine(function* (a) {
        yield sleep(5);
        const b = yield* Future.resolve(2);
        const [c, d] = yield [Future.resolve(3), sleep(1).then(() => 4)];
        return a + b + c + d;
      });
      const future = add(1);
      assert(future instanceof Future, 'a coroutine returns a Future');
      equal(future.done(), false, 'done() before the sleep');
      equal(await withTimeLimit(future, 5000, 'the coroutine'), 10, 'the coroutine result');
    });

    await check(`${flavour}: @gust/core cancels a coroutine, running its finally`, async () => {
      const steps = [];
      const body = coroutine(function* () {
        try {
          steps.push('start');
          yield sleep(60_000);
          steps.push('not reached');
        } finally {
          steps.push('finally');
        }
      });
      const future = body();
      equal(future.cancel(), true, 'cancel()');
      const outcome = await withTimeLimit(
        future.then(
          () => 'fulfilled',
          (error) => error,
        ),
        5000,
        'the cancelled coroutine',
      );
      assert(isCancelledError(outcome), `a cancelled coroutine rejects with CancelledError, got ${outcome}`);
      equal(future.cancelled(), true, 'cancelled()');
      equal(steps.join(','), 'start,finally', 'the steps');
    });

    await check(`${flavour}: @gust/core AsyncHTTPClient fetches from a loopback server`, async () => {
      equal(new AsyncHTTPClient(), new AsyncHTTPClient(), 'the shared client of the loop');
      const client = new AsyncHTTPClient({ forceInstance: true });
      try {
        const response = await withTimeLimit(client.fetch(`${base}/hello`), 10_000, 'the fetch');
        equal(response.code, 200, 'the response code');
        equal(decode(response.body), 'Hello, world', 'the body');
        const missing = await client.fetch(`${base}/missing`).then(
          () => undefined,
          (error) => error,
        );
        assert(core.isHTTPClientError(missing), `a 404 rejects with HTTPClientError, got ${missing}`);
        equal(missing.code, 404, 'the error code');
      } finally {
        client.close();
      }
    });

    await check(`${flavour}: @gust/node-adapter installs its IOLoop and runs work on it`, async () => {
      const { install, IOLoop, ThreadPoolExecutor, defineTask } = adapter;
      const uninstall = install();
      const executor = new ThreadPoolExecutor({ maxWorkers: 1 });
      try {
        const loop = IOLoop.current();
        equal(currentLoop(), loop, 'core.currentLoop() after install()');
        const order = [];
        loop.addCallback(() => order.push('callback'));
        const main = coroutine(function* () {
          yield sleep(5);
          order.push('slept');
          const client = new AsyncHTTPClient({ forceInstance: true });
          try {
            const response = yield* client.fetch(`${base}/hello`);
            order.push(`fetched ${decode(response.body)}`);
          } finally {
            client.close();
          }
          const double = defineTask(pathToFileURL(taskFile), 'double');
          return yield* executor.submit(double, 21);
        });
        equal(await withTimeLimit(main(), 20_000, 'the IOLoop coroutine'), 42, 'the worker task result');
        equal(order.join(','), 'callback,slept,fetched Hello, world', 'the order of events');
      } finally {
        await executor.shutdown();
        uninstall();
        await IOLoop.current().close();
      }
    });

    await check(`${flavour}: @gust/node-adapter makes the synchronous HTTPClient work in Node`, async () => {
      const { install, IOLoop } = adapter;
      // The calling thread blocks during a synchronous fetch, so the server runs on another thread.
      const other = await startServerThread();
      const uninstall = install();
      try {
        const client = new core.HTTPClient();
        try {
          const response = client.fetch(`${other.base}/hello`, { requestTimeout: 10_000 });
          equal(response.code, 200, 'the response code');
          equal(decode(response.body), 'Hello from a thread', 'the body');
          let thrown;
          try {
            client.fetch(`${other.base}/missing`);
          } catch (error) {
            thrown = error;
          }
          assert(core.isHTTPClientError(thrown) && thrown.code === 404, `a 404 throws, got ${thrown}`);
        } finally {
          client.close();
        }
      } finally {
        uninstall();
        await IOLoop.current().close();
        await other.close();
      }
    });

    await check(`${flavour}: @gust/react renders its hooks on the server`, () => {
      const { GustProvider, useCoroutine, useFuture, useHTTPClient } = react;
      const h = React.createElement;
      const client = new AsyncHTTPClient({ forceInstance: true });
      let started = false;
      function Greeting() {
        const done = useFuture(Future.resolve('ready'));
        const running = useCoroutine(function* () {
          started = true;
          yield sleep(1);
          return 'never during SSR';
        });
        const injected = useHTTPClient() === client;
        return h('p', null, `${done.data}/${running.status}/${running.loading}/${injected}`);
      }
      const html = reactServer.renderToString(h(GustProvider, { client }, h(Greeting)));
      client.close();
      equal(html, '<p>ready/pending/true/true</p>', 'the server-rendered HTML');
      equal(started, false, 'a coroutine started during server rendering');
    });
  }

  await check('the ESM and CommonJS copies recognise each other’s Futures and errors', () => {
    const { esm, cjs } = { esm: flavours.esm.core, cjs: flavours.cjs.core };
    assert(esm.Future !== cjs.Future, 'the two copies are distinct (dual package)');
    assert(esm.isFuture(new cjs.Future()) && cjs.isFuture(new esm.Future()), 'isFuture across copies');
    assert(esm.isCancelledError(new cjs.CancelledError()), 'isCancelledError across copies');
    assert(cjs.isTimeoutError(new esm.TimeoutError()) && cjs.isGustError(new esm.TimeoutError()), 'guards');
    assert(!esm.isTimeoutError(new cjs.CancelledError()), 'a guard does not accept a sibling class');
  });

  // ---- browsers ---------------------------------------------------------------------------------------

  const { build } = await import('esbuild');
  const browserBundles = {};
  await check('@gust/core and @gust/react bundle for the browser from dist/', async () => {
    for (const [name, contents] of [
      ['core', "export * from '@gust/core';"],
      ['react', "export * from '@gust/react';"],
    ]) {
      const result = await build({
        stdin: { contents, resolveDir: root, loader: 'js' },
        bundle: true,
        format: 'iife',
        globalName: 'gust',
        platform: 'browser',
        target: 'es2022',
        external: name === 'react' ? ['react', 'react/*', 'react-dom', 'react-dom/*'] : [],
        metafile: true,
        write: false,
        logLevel: 'silent',
      });
      const inputs = Object.keys(result.metafile.inputs);
      assert(
        inputs.every((file) => !/\/src\//.test(file.replace(/\\/g, '/'))),
        `${name}: bundled sources, not dist`,
      );
      browserBundles[name] = result.outputFiles[0].text;
    }
  });

  if (!existsSync(CHROMIUM)) {
    skip('@gust/core from dist runs in Chromium', `${CHROMIUM} is not installed`);
  } else if (browserBundles.core === undefined) {
    skip('@gust/core from dist runs in Chromium', 'the browser bundle failed');
  } else {
    await check('@gust/core from dist runs a coroutine and a fetch in Chromium', async () => {
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--no-first-run',
        ],
      });
      try {
        const page = await browser.newPage();
        await page.addScriptTag({ content: browserBundles.core });
        const result = await withTimeLimit(
          page.evaluate(async (url) => {
            const { AsyncHTTPClient, coroutine, isBrowserMainThread, moment, sleep } = globalThis.gust;
            const main = coroutine(function* () {
              yield sleep(5);
              yield moment;
              const client = new AsyncHTTPClient({ forceInstance: true });
              try {
                const response = yield* client.fetch(url);
                return `${isBrowserMainThread()} ${response.code} ${response.text}`;
              } finally {
                client.close();
              }
            });
            return await main();
          }, `${base}/hello`),
          20_000,
          'the page',
        );
        equal(result, 'true 200 Hello, world', 'what the page computed');
      } finally {
        await browser.close();
      }
    });
  }

  const demoClient = join(root, 'apps/demo/dist/client');
  if (!existsSync(demoClient)) {
    skip('the demo’s browser bundle contains gust', `${demoClient} does not exist: build the demo first`);
  } else {
    await check('the demo’s browser bundle contains gust', () => {
      const scripts = [];
      const walk = (dir) => {
        for (const entry of readdirSync(dir)) {
          const file = join(dir, entry);
          if (statSync(file).isDirectory()) walk(file);
          else if (/\.m?js$/.test(entry)) scripts.push(readFileSync(file, 'utf8'));
        }
      };
      walk(demoClient);
      assert(scripts.length > 0, `no JavaScript in ${demoClient}`);
      const code = scripts.join('\n');
      // String literals survive minification: the Future's brand and its never-retrieved report.
      for (const marker of ['gust.Future', 'Future exception was never retrieved']) {
        assert(code.includes(marker), `the demo bundle does not contain ${JSON.stringify(marker)}`);
      }
    });
  }
} finally {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(scratch, { recursive: true, force: true });
}

console.log(`\n${passes} passed, ${failures} failed`);
if (failures > 0) process.exitCode = 1;

// Everything above closed what it opened, so the process exits now; if a handle leaked, say which and fail.
setTimeout(() => {
  console.error('smoke-dist: the process did not exit; open handles:', process.getActiveResourcesInfo());
  process.exit(1);
}, 10_000).unref();
