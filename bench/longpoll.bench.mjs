// The long-poll benchmark (issue 8): the demo's chat server (gust: IOLoop, coroutines, a Condition) and a
// plain node:http server speaking the same protocol, each holding 1,000, 5,000 and 10,000 idle long-polls.
// Figures: server memory per held connection, and the time from posting one message to every poller having
// its answer. Each server runs in its own child process and the polls come from a third one (keep-alive
// off, one socket per poll), so client work never lands on a server's thread. The two servers take turns
// round by round, so that load from elsewhere on the machine hits both alike.
//
// `LONGPOLL_SIZES=10000 LONGPOLL_ROUNDS=1 node --expose-gc bench/longpoll.bench.mjs` runs a subset.
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { printTable } from './harness.mjs';

// biome-ignore lint/suspicious/noUndeclaredEnvVars: a developer's knob for profiling runs, not a build input.
const SIZES = process.env.LONGPOLL_SIZES?.split(',').map(Number) ?? [1_000, 5_000, 10_000];
// biome-ignore lint/suspicious/noUndeclaredEnvVars: a developer's knob for profiling runs, not a build input.
const WAKE_ROUNDS = Number(process.env.LONGPOLL_ROUNDS ?? 7);
const TARGET = 1.25;
const WARM_UP = 500;
// Both servers run with the young generation pinned at its default maximum: V8 otherwise doubles it while
// connections are being opened, and tens of MB of fresh young-generation pages would land in the figure per
// connection at random. longpoll-ipc.mjs fills it before each reading so that it is resident both times.
const SERVER_FLAGS = ['--expose-gc', '--min-semi-space-size=16', '--max-semi-space-size=16'];
const SERVERS = {
  plain: new URL('./longpoll-plain-server.mjs', import.meta.url),
  gust: new URL('./longpoll-gust-server.mjs', import.meta.url),
};
const LOAD = new URL('./longpoll-load.mjs', import.meta.url);

// Each poll is a socket in the server and one in the load generator: both need more descriptors than the
// usual default of 1024. Children start through `sh`, which raises the soft limit first.
const FD_LIMIT = 20_000;
const RAISE_FD_LIMIT = `ulimit -n ${FD_LIMIT} 2>/dev/null; exec "$0" "$@"`;

function checkFdLimit() {
  const limit = Number(
    execFileSync('sh', ['-c', `ulimit -n ${FD_LIMIT} 2>/dev/null; ulimit -n`])
      .toString()
      .trim(),
  );
  const needed = Math.max(...SIZES) + WARM_UP + 1024;
  if (limit < needed) {
    throw new Error(
      `the long-poll benchmark needs ${needed} file descriptors per process, but the limit is ${limit} ` +
        `(and the hard limit does not allow more): raise it, e.g. with \`ulimit -Hn ${FD_LIMIT}\` as root`,
    );
  }
}

/** A child with IPC, a question/answer helper, and `stop()` (sends `stopMessage`, then kills). */
function spawnChild(url, execArgv, stopMessage) {
  const child = spawn('sh', ['-c', RAISE_FD_LIMIT, process.execPath, ...execArgv, fileURLToPath(url)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const queue = [];
  const waiting = [];
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.on('message', (message) => {
    const waiter = waiting.shift();
    if (waiter) waiter(message);
    else queue.push(message);
  });
  const next = (timeoutMs = 120_000) =>
    new Promise((resolve, reject) => {
      const queued = queue.shift();
      if (queued) return resolve(queued);
      const timer = setTimeout(
        () => reject(new Error(`no answer from ${url.pathname} in ${timeoutMs} ms`)),
        timeoutMs,
      );
      waiting.push((message) => {
        clearTimeout(timer);
        resolve(message);
      });
    });
  const ask = (message, timeoutMs) => {
    child.send(message);
    return next(timeoutMs);
  };
  const stop = async () => {
    if (child.connected) child.send(stopMessage);
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    child.kill();
  };
  return { child, next, ask, stop };
}

async function waitHeld(server, n) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { held } = await server.ask({ type: 'held' });
    if (held === n) return;
    if (Date.now() > deadline) throw new Error(`the server holds ${held} polls, expected ${n}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Opens n polls on a server, then posts one message; returns the wake-all time in ms. */
async function round(server, load, n, beforeWake) {
  await load.ask({ type: 'open', port: server.port, n });
  await waitHeld(server, n);
  await beforeWake?.();
  const woken = await load.ask({ type: 'wake', port: server.port });
  if (woken.answered !== n || woken.wrongAnswers !== 0) {
    throw new Error(`${server.kind}: ${woken.answered} of ${n} polls answered, ${woken.wrongAnswers} wrong`);
  }
  await waitHeld(server, 0);
  return woken.ms;
}

/** Both servers at one size: memory per held poll and the best wake-all time of each. */
async function measureSize(n) {
  const load = spawnChild(LOAD, [], { type: 'exit' });
  const servers = [];
  try {
    await load.next();
    for (const kind of ['plain', 'gust']) {
      const server = Object.assign(spawnChild(SERVERS[kind], SERVER_FLAGS, { type: 'close' }), {
        kind,
        wakeMs: [],
      });
      servers.push(server);
      server.port = (await server.next()).port;
      // Warm-up: the first requests JIT-compile the HTTP paths and grow the allocator's pools; a one-time
      // cost, not a cost per connection, so it stays out of the measured delta.
      await round(server, load, WARM_UP);
      const before = await server.ask({ type: 'memory' });
      server.wakeMs.push(
        await round(server, load, n, async () => {
          const after = await server.ask({ type: 'memory' });
          server.rssPerPoll = (after.rss - before.rss) / n;
          server.heapPerPoll = (after.heapUsed + after.external - before.heapUsed - before.external) / n;
        }),
      );
    }
    for (let i = 1; i < WAKE_ROUNDS; i++) {
      for (const server of i % 2 === 0 ? servers : [...servers].reverse()) {
        server.wakeMs.push(await round(server, load, n));
      }
    }
    const [plain, gust] = servers.map((server) => ({
      rssPerPoll: server.rssPerPoll,
      heapPerPoll: server.heapPerPoll,
      // The best round: interference from elsewhere on the machine only ever adds time, and on a shared
      // two-core machine it comes and goes by hundreds of milliseconds, which a median does not filter out.
      wakeMs: Math.min(...server.wakeMs),
    }));
    return { plain, gust };
  } finally {
    for (const server of servers) await server.stop();
    await load.stop();
  }
}

/** Runs the suite; returns the rows that missed their target. */
export async function benchLongPoll() {
  checkFdLimit();
  const memory = [];
  const heap = [];
  const wake = [];
  for (const n of SIZES) {
    const { plain, gust } = await measureSize(n);
    const size = `${n.toLocaleString('en-US')} polls`;
    const kb = (bytes) => bytes / 1024;
    memory.push(
      {
        name: `plain node:http, ${size}`,
        value: kb(plain.rssPerPoll),
        unit: 'KB',
        baseline: kb(plain.rssPerPoll),
      },
      {
        name: `gust demo, ${size}`,
        value: kb(gust.rssPerPoll),
        unit: 'KB',
        baseline: kb(plain.rssPerPoll),
        target: TARGET,
      },
    );
    heap.push(
      {
        name: `plain node:http, ${size}`,
        value: kb(plain.heapPerPoll),
        unit: 'KB',
        baseline: kb(plain.heapPerPoll),
      },
      {
        name: `gust demo, ${size}`,
        value: kb(gust.heapPerPoll),
        unit: 'KB',
        baseline: kb(plain.heapPerPoll),
      },
    );
    wake.push(
      { name: `plain node:http, ${size}`, value: plain.wakeMs, unit: 'ms', baseline: plain.wakeMs },
      { name: `gust demo, ${size}`, value: gust.wakeMs, unit: 'ms', baseline: plain.wakeMs, target: TARGET },
    );
  }
  return [
    ...printTable('Long-poll: server memory (RSS) per held connection', memory),
    ...printTable('Long-poll: JS heap + external per held connection (for reference)', heap),
    ...printTable(`Long-poll: post one message → every poll answered (best of ${WAKE_ROUNDS})`, wake),
  ];
}

if (import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const misses = await benchLongPoll();
  if (misses.length > 0) process.exitCode = 1;
}
