import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type ClientRequest, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/** What {@link call} gives back. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON (undefined if it is not JSON). */
  json: any;
  /** When the answer was complete, on `performance.now()`. */
  at: number;
}

/**
 * One HTTP request on its own connection (no keep-alive, so nothing stays open after it), with `data`
 * sent as JSON. `onRequest` gets the ClientRequest, e.g. to destroy it and disconnect.
 */
export function call(
  url: string,
  options: { method?: string; data?: unknown; body?: string; onRequest?: (req: ClientRequest) => void } = {},
): Promise<Answer> {
  const body = options.body ?? (options.data === undefined ? undefined : JSON.stringify(options.data));
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? (body === undefined ? 'GET' : 'POST'),
        agent: false,
        headers: {
          Connection: 'close',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json, at: performance.now() });
        });
      },
    );
    req.on('error', reject);
    options.onRequest?.(req);
    req.end(body);
  });
}

/** Resolves once `condition()` is true; polls with real timers. */
export async function waitFor(condition: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > ms) throw new Error(`${what} not met within ${ms} ms`);
    await delay(5);
  }
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * All of gust in one ES module, bundled by esbuild from the TypeScript sources, for the synchronous
 * HTTPClient's worker thread (`install({ syncHTTPClient: { gustModule } })`): tests run the sources, and a
 * worker thread cannot load TypeScript.
 */
export async function bundleGustForWorkers(): Promise<{ gustModule: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'gust-demo-worker-'));
  const entry = join(dir, 'entry.mjs');
  const outfile = join(dir, 'gust.mjs');
  await writeFile(entry, "export * from '@gust/core';\nexport * from '@gust/node-adapter';\n");
  await build({
    entryPoints: [entry],
    bundle: true,
    outfile,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    conditions: ['@gust/source'],
    // The entry lives in a temporary directory: resolve the packages from the repository's node_modules.
    nodePaths: [fileURLToPath(new URL('../../../node_modules', import.meta.url))],
    // undici is CommonJS and require()s Node's modules: give the ES module a require().
    banner: {
      js: "import { createRequire as __gustRequire } from 'node:module'; const require = __gustRequire(import.meta.url);",
    },
    logLevel: 'silent',
  });
  return { gustModule: pathToFileURL(outfile).href, remove: () => rm(dir, { recursive: true, force: true }) };
}
