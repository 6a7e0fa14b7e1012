// `npm start`: the demo server on http://localhost:8888 (PORT and HOST override), until SIGINT/SIGTERM.
import { logger } from '@gust/core';
import { IOLoop } from '@gust/node-adapter';
import { startServer } from './server.js';

const port = Number(process.env.PORT ?? 8888);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  throw new Error(`PORT must be a TCP port number, got ${JSON.stringify(process.env.PORT)}`);
}
const host = process.env.HOST ?? '127.0.0.1';
const loop = IOLoop.current();
// Warn about anything that holds the loop for more than 100 ms (page 3's inline hash, page 1's
// synchronous fetch): the seed's point, in the server's own log.
loop.setBlockingLogThreshold(100);

let demo: Awaited<ReturnType<typeof startServer>>;
try {
  demo = await startServer({ port, host, loop });
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    console.error(`gust demo: port ${port} is in use; start with another one, e.g. PORT=8889 npm start`);
    process.exit(1);
  }
  throw error;
}
const shown = host === '127.0.0.1' || host === '0.0.0.0' || host === '::' ? 'localhost' : host;
console.log(`gust demo: serving on http://${shown}:${demo.port}/ (Ctrl-C to stop)`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`\ngust demo: ${signal}, shutting down`);
    demo.close().then(
      () => console.log('gust demo: stopped'),
      (error: unknown) => {
        logger.error('gust demo: shutdown failed', error);
        process.exitCode = 1;
      },
    );
  });
}

// Tornado's `IOLoop.current().start()`: serve until close() stops the loop.
await loop.start();
