// HTTP client throughput (issue 6): gust's AsyncHTTPClient on NodeTransport, side by side in one run with
// undici.request, undici's fetch, Node's global fetch, node:http with a keep-alive agent, axios, got and
// ky, against one keep-alive node:http server on 127.0.0.1 in a separate process. Concurrency 1 and 64,
// bodies of 5 bytes and 64 KiB, a fixed number of requests per case. Clients take turns within each
// round (in a rotating order), so that noise from other processes falls on all of them alike; the median
// round counts.
import { fork } from 'node:child_process';
import http from 'node:http';
import { AsyncHTTPClient } from '@gust/core';
import { install, NodeTransport } from '@gust/node-adapter';
import axios from 'axios';
import got from 'got';
import ky from 'ky';
import { Agent, fetch as undiciFetch, request as undiciRequest } from 'undici';
import { printTable } from './harness.mjs';

const SCENARIOS = [
  { concurrency: 1, size: 5, requests: 1_000 },
  { concurrency: 64, size: 5, requests: 4_000 },
  { concurrency: 1, size: 65_536, requests: 500 },
  { concurrency: 64, size: 65_536, requests: 1_500 },
];
const ROUNDS = 5;
const WARMUP_ROUNDS = 1;
const TARGET_VS_ENGINE = 0.85;
/** A pause before each measurement, for the server and the kernel to finish with the previous client. */
const SETTLE_MS = 20;

/** Every client: `make(concurrency)` returns `{ one(url), close() }`; `one` resolves after reading the body. */
const CLIENTS = [
  {
    name: 'gust AsyncHTTPClient (NodeTransport)',
    gust: true,
    make(concurrency) {
      const transport = new NodeTransport();
      const client = new AsyncHTTPClient({ forceInstance: true, maxClients: concurrency, transport });
      return {
        one: (url) => client.fetch(url).then((response) => response.body.length),
        close: () => {
          client.close();
          return transport.close();
        },
      };
    },
  },
  {
    name: 'undici.request',
    engine: true,
    make() {
      const dispatcher = new Agent();
      return {
        one: async (url) => {
          const { body } = await undiciRequest(url, { dispatcher });
          return (await body.arrayBuffer()).byteLength;
        },
        close: () => dispatcher.close(),
      };
    },
  },
  {
    name: 'node:http (keep-alive agent)',
    engine: true,
    make(concurrency) {
      const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
      return {
        one: (url) =>
          new Promise((resolve, reject) => {
            http
              .get(url, { agent }, (res) => {
                const chunks = [];
                res.on('data', (chunk) => chunks.push(chunk));
                res.on('end', () => resolve(Buffer.concat(chunks).length));
                res.on('error', reject);
              })
              .on('error', reject);
          }),
        close: () => agent.destroy(),
      };
    },
  },
  {
    name: 'undici fetch',
    fetchStyle: true,
    make() {
      const dispatcher = new Agent();
      return {
        one: async (url) => (await (await undiciFetch(url, { dispatcher })).arrayBuffer()).byteLength,
        close: () => dispatcher.close(),
      };
    },
  },
  {
    name: 'Node fetch',
    fetchStyle: true,
    make() {
      return {
        one: async (url) => (await (await fetch(url)).arrayBuffer()).byteLength,
        close: () => {},
      };
    },
  },
  {
    name: 'axios',
    fetchStyle: true,
    make(concurrency) {
      const httpAgent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
      const instance = axios.create({ httpAgent, responseType: 'arraybuffer', proxy: false });
      return {
        one: async (url) => (await instance.get(url)).data.byteLength,
        close: () => httpAgent.destroy(),
      };
    },
  },
  {
    name: 'got',
    fetchStyle: true,
    make(concurrency) {
      const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
      const instance = got.extend({ agent: { http: agent }, retry: { limit: 0 }, responseType: 'buffer' });
      return {
        one: async (url) => (await instance(url)).body.length,
        close: () => agent.destroy(),
      };
    },
  },
  {
    name: 'ky (Node fetch)',
    fetchStyle: true,
    make() {
      const instance = ky.create({ retry: 0, timeout: false });
      return {
        one: async (url) => (await instance.get(url).arrayBuffer()).byteLength,
        close: () => {},
      };
    },
  },
];

function startServer() {
  const child = fork(new URL('./http-server.mjs', import.meta.url), { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', ({ port }) => resolve({ port, stop: () => child.disconnect() }));
  });
}

/** Runs `requests` requests with `concurrency` in flight; resolves with the elapsed nanoseconds. */
async function drive(one, url, concurrency, requests, size) {
  let issued = 0;
  const worker = async () => {
    while (issued < requests) {
      issued++;
      const length = await one(url);
      if (length !== size) throw new Error(`expected ${size} bytes, got ${length}`);
    }
  };
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return Number(process.hrtime.bigint() - start);
}

/** Requests per second of each client in one scenario: the median of ROUNDS interleaved rounds. */
async function runScenario(port, { concurrency, size, requests }) {
  const url = `http://127.0.0.1:${port}/${size}`;
  const clients = CLIENTS.map((spec) => ({ spec, instance: spec.make(concurrency), samples: [] }));
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
    // Each round starts with another client: the one that runs right after the slow ones pays for part of
    // their garbage and connection churn, and that must not always be the same one.
    for (let i = 0; i < clients.length; i++) {
      const client = clients[(i + round) % clients.length];
      globalThis.gc?.();
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      const ns = await drive(client.instance.one, url, concurrency, requests, size);
      if (round >= WARMUP_ROUNDS) client.samples.push((requests * 1e9) / ns);
    }
  }
  for (const client of clients) await client.instance.close();
  return clients.map(({ spec, samples }) => {
    samples.sort((a, b) => a - b);
    return { spec, rps: samples[Math.floor(samples.length / 2)] };
  });
}

function sizeLabel(size) {
  return size >= 1024 ? `${size / 1024} KiB` : `${size} B`;
}

export async function benchHttp() {
  const uninstall = install();
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
    uninstall();
  }
  return printTable(
    'HTTP requests per second (higher is better; ratio to the faster of undici.request and node:http, ' +
      'or to the fastest fetch-style client)',
    rows,
    { higherIsBetter: true },
  );
}
