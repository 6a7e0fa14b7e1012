// The server of the HTTP benchmark, run in its own process (bench/http.bench.mjs forks it) so that it
// never shares the clients' thread: a keep-alive node:http server on 127.0.0.1 that answers
// GET /<n> with n bytes. It sends its port to the parent and exits when the parent disconnects.
import { createServer } from 'node:http';

const bodies = new Map();
function bodyOf(size) {
  let body = bodies.get(size);
  if (body === undefined) {
    body = Buffer.alloc(size, 'x');
    bodies.set(size, body);
  }
  return body;
}

const server = createServer((req, res) => {
  const size = Number(req.url.slice(1)) || 0;
  const body = bodyOf(size);
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.headersTimeout = 61_000;
server.maxRequestsPerSocket = 0;
server.listen(0, '127.0.0.1', () => {
  process.send({ port: server.address().port });
});
process.on('disconnect', () => {
  server.closeAllConnections();
  server.close();
});
