// A second HTTP server on its own thread, for the synchronous fetch style. The synchronous HTTPClient
// blocks the demo server's thread until the answer is in, so the answer cannot come from that thread
// (it would wait for itself until the request timed out): it comes from this worker.
import { createServer } from 'node:http';
import { parentPort } from 'node:worker_threads';
import { helloDelay, helloText } from './upstream-hello.js';

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname !== '/upstream/hello') {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end(`no route ${url.pathname}`);
    return;
  }
  const delay = helloDelay(url.searchParams.get('delay'));
  const timer = setTimeout(() => {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(helloText(delay, 'worker thread'));
  }, delay);
  res.on('close', () => clearTimeout(timer));
});

server.listen(0, '127.0.0.1', () => {
  parentPort.postMessage({ port: server.address().port });
});

parentPort.on('message', (message) => {
  if (message !== 'close') return;
  server.close(() => parentPort.close());
  server.closeAllConnections();
});
