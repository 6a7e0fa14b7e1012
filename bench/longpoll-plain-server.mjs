// The baseline of the long-poll benchmark: the chat protocol of apps/demo (POST /a/message/new,
// POST /a/message/updates with a cursor, history for newcomers) on plain node:http, as simply as it can be
// written correctly: held responses in a Set, answered in a loop when a message arrives.
// Run as a child of longpoll.bench.mjs; it reports over IPC (see longpoll-ipc.mjs).
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { serveBenchIPC } from './longpoll-ipc.mjs';

const HISTORY = 200;
const room = randomBytes(4).toString('hex');
let messages = [];
let firstSeq = 1;
const waiting = new Set();

const cursorNow = () => `${room}.${firstSeq + messages.length - 1}`;

function since(cursor) {
  if (typeof cursor !== 'string' || !cursor.startsWith(`${room}.`)) return messages.slice();
  const seq = Number(cursor.slice(room.length + 1));
  if (!Number.isSafeInteger(seq) || seq >= firstSeq + messages.length) return messages.slice();
  const start = seq + 1 - firstSeq;
  return start <= 0 ? messages.slice() : messages.slice(start);
}

function send(res, status, data) {
  if (res.headersSent || res.destroyed) return;
  const body = JSON.stringify(data);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

function readJSON(req, res, then) {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    let value = {};
    const text = Buffer.concat(chunks).toString('utf8').trim();
    try {
      if (text !== '') value = JSON.parse(text);
    } catch {
      return send(res, 400, { error: 'request body is not valid JSON' });
    }
    if (typeof value !== 'object' || value === null) return send(res, 400, { error: 'not a JSON object' });
    then(value);
  });
}

const server = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/a/message/new') {
    readJSON(req, res, (input) => {
      const body = typeof input.body === 'string' ? input.body.trim() : '';
      if (body === '') return send(res, 400, { error: 'a message needs a body' });
      const author = typeof input.author === 'string' && input.author !== '' ? input.author : 'anonymous';
      const message = { id: `${room}.${firstSeq + messages.length}`, author, body, at: Date.now() };
      messages.push(message);
      if (messages.length > HISTORY) {
        firstSeq += messages.length - HISTORY;
        messages = messages.slice(-HISTORY);
      }
      send(res, 200, message);
      const woken = [...waiting];
      waiting.clear();
      for (const waiter of woken)
        send(waiter.res, 200, { messages: since(waiter.cursor), cursor: cursorNow() });
    });
  } else if (req.method === 'POST' && req.url === '/a/message/updates') {
    readJSON(req, res, ({ cursor = null }) => {
      const found = since(cursor);
      if (found.length > 0 || cursor === null)
        return send(res, 200, { messages: found, cursor: cursorNow() });
      const waiter = { res, cursor };
      waiting.add(waiter);
      res.on('close', () => waiting.delete(waiter));
    });
  } else {
    send(res, 404, { error: `no route ${req.url}` });
  }
});

server.listen(0, '127.0.0.1', () => {
  serveBenchIPC({
    port: server.address().port,
    held: () => waiting.size,
    close: () => new Promise((resolve) => server.close(resolve)),
    closeConnections: () => server.closeAllConnections(),
  });
});
