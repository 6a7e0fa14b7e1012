// The clients of the HTTP benchmark (bench/http.bench.mjs). Each runs in a process of its own
// (bench/http-client-process.mjs), which imports only that client's library: `make(concurrency)` resolves
// to `{ one(url), close() }`, where `one` resolves with the body's length after reading it.

/** Every client, by name; `engine`: a baseline of the target, `fetchStyle`: a client gust must beat. */
export const CLIENTS = [
  {
    name: 'gust AsyncHTTPClient (NodeTransport)',
    gust: true,
    async make(concurrency) {
      const { AsyncHTTPClient } = await import('@gust/core');
      const { install, NodeTransport } = await import('@gust/node-adapter');
      const uninstall = install();
      const transport = new NodeTransport();
      const client = new AsyncHTTPClient({ forceInstance: true, maxClients: concurrency, transport });
      return {
        one: (url) => client.fetch(url).then((response) => response.body.length),
        close: async () => {
          client.close();
          await transport.close();
          uninstall();
        },
      };
    },
  },
  {
    name: 'undici.request',
    engine: true,
    async make() {
      const { Agent, request } = await import('undici');
      const dispatcher = new Agent();
      return {
        one: async (url) => {
          const { body } = await request(url, { dispatcher });
          return (await body.arrayBuffer()).byteLength;
        },
        close: () => dispatcher.close(),
      };
    },
  },
  {
    name: 'node:http (keep-alive agent)',
    engine: true,
    async make(concurrency) {
      const { default: http } = await import('node:http');
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
    async make() {
      const { Agent, fetch } = await import('undici');
      const dispatcher = new Agent();
      return {
        one: async (url) => (await (await fetch(url, { dispatcher })).arrayBuffer()).byteLength,
        close: () => dispatcher.close(),
      };
    },
  },
  {
    name: 'Node fetch',
    fetchStyle: true,
    async make() {
      return {
        one: async (url) => (await (await fetch(url)).arrayBuffer()).byteLength,
        close: () => {},
      };
    },
  },
  {
    name: 'axios',
    fetchStyle: true,
    async make(concurrency) {
      const { default: http } = await import('node:http');
      const { default: axios } = await import('axios');
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
    async make(concurrency) {
      const { default: http } = await import('node:http');
      const { default: got } = await import('got');
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
    async make() {
      const { default: ky } = await import('ky');
      const instance = ky.create({ retry: 0, timeout: false });
      return {
        one: async (url) => (await instance.get(url).arrayBuffer()).byteLength,
        close: () => {},
      };
    },
  },
];

/** Runs `requests` requests with `concurrency` in flight; resolves with the elapsed nanoseconds. */
export async function drive(one, url, concurrency, requests, size) {
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
