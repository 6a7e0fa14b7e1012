// HTTP client throughput (issue 6): gust's AsyncHTTPClient on NodeTransport, side by side in one run with
// undici.request, undici's fetch, Node's global fetch, node:http with a keep-alive agent, axios, got and
// ky (bench/http-clients.mjs), against one keep-alive node:http server on 127.0.0.1 in a separate process.
// Concurrency 1 and 64, bodies of 5 bytes and 64 KiB, a fixed number of requests per case. Each client runs
// in a process of its own (bench/http-client-process.mjs), so that no client's heap is shaped by another's
// garbage. The clients take turns within each round (in a rotating order), so that noise from other
// processes falls on all of them alike; the median round counts.
import { fork } from 'node:child_process';
import { printTable } from './harness.mjs';
import { CLIENTS } from './http-clients.mjs';

const SCENARIOS = [
  { concurrency: 1, size: 5, requests: 1_000 },
  { concurrency: 64, size: 5, requests: 4_000 },
  { concurrency: 1, size: 65_536, requests: 500 },
  { concurrency: 64, size: 65_536, requests: 1_500 },
];
const ROUNDS = 9;
const WARMUP_ROUNDS = 1;
const TARGET_VS_ENGINE = 0.85;
/** A pause before each measurement, for the server and the kernel to finish with the previous client. */
const SETTLE_MS = 20;

function startServer() {
  const child = fork(new URL('./http-server.mjs', import.meta.url), { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', ({ port }) => resolve({ port, stop: () => child.disconnect() }));
  });
}

/** A client's process, ready to measure: `run()` resolves with the nanoseconds a measurement took. */
async function startClient(spec, concurrency) {
  const child = fork(
    new URL('./http-client-process.mjs', import.meta.url),
    [spec.name, String(concurrency)],
    {
      execArgv: ['--expose-gc'],
      stdio: 'inherit',
    },
  );
  // One request to the child at a time: its next message answers it, and its exit fails it.
  let waiting;
  const reply = () =>
    new Promise((resolve, reject) => {
      waiting = { resolve, reject };
    });
  child.on('message', (message) => {
    const { resolve, reject } = waiting;
    if (message.error !== undefined) reject(new Error(`${spec.name}: ${message.error}`));
    else resolve(message);
  });
  child.on('exit', (code) => waiting.reject(new Error(`the process of ${spec.name} exited (code ${code})`)));
  await reply();
  return {
    run: async (run) => {
      child.send({ run });
      return (await reply()).ns;
    },
    close: async () => {
      child.send({ close: true });
      await reply();
    },
    kill: () => child.kill(),
  };
}

/** Requests per second of each client in one scenario: the median of ROUNDS interleaved rounds. */
async function runScenario(port, { concurrency, size, requests }) {
  const url = `http://127.0.0.1:${port}/${size}`;
  const clients = [];
  try {
    for (const spec of CLIENTS)
      clients.push({ spec, process: await startClient(spec, concurrency), samples: [] });
    for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
      // Each round starts with another client: the one that runs right after the slow ones pays for part of
      // the server's garbage and connection churn, and that must not always be the same one.
      for (let i = 0; i < clients.length; i++) {
        const client = clients[(i + round) % clients.length];
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
        const ns = await client.process.run({ url, requests, size });
        if (round >= WARMUP_ROUNDS) client.samples.push((requests * 1e9) / ns);
      }
    }
    for (const client of clients) await client.process.close();
  } finally {
    for (const client of clients) client.process.kill();
  }
  return clients.map(({ spec, samples }) => {
    samples.sort((a, b) => a - b);
    return { spec, rps: samples[Math.floor(samples.length / 2)] };
  });
}

function sizeLabel(size) {
  return size >= 1024 ? `${size / 1024} KiB` : `${size} B`;
}

export async function benchHttp() {
  const server = await startServer();
  const rows = [];
  try {
    for (const scenario of SCENARIOS) {
      const results = await runScenario(server.port, scenario);
      const label = `c=${scenario.concurrency}, ${sizeLabel(scenario.size)}`;
      const engine = Math.max(...results.filter((r) => r.spec.engine).map((r) => r.rps));
      const fetchStyle = results.filter((r) => r.spec.fetchStyle);
      const bestFetch = fetchStyle.reduce((best, r) => (r.rps > best.rps ? r : best));
      for (const { spec, rps } of results) {
        rows.push({
          name: `${label}: ${spec.name}`,
          value: rps,
          unit: 'req/s',
          baseline: engine,
          target: spec.gust ? TARGET_VS_ENGINE : undefined,
        });
      }
      const gust = results.find((r) => r.spec.gust);
      rows.push({
        name: `${label}: gust vs the fastest fetch-style client (${bestFetch.spec.name})`,
        value: gust.rps,
        unit: 'req/s',
        baseline: bestFetch.rps,
        target: 1,
      });
    }
  } finally {
    server.stop();
  }
  return printTable(
    'HTTP requests per second (higher is better; ratio to the faster of undici.request and node:http, ' +
      'or to the fastest fetch-style client)',
    rows,
    { higherIsBetter: true },
  );
}
