// The load generator of the long-poll benchmark, a child of longpoll.bench.mjs: opens idle long-polls on a
// server (keep-alive off: one socket per poll), then posts one message and times until every poll has its
// answer. It speaks HTTP/1.1 over raw sockets to keep its own work small, so that the figure is the
// server's; both servers get exactly the same client.
import { connect } from 'node:net';

const BATCH = 250;
const WAKE_BODY = JSON.stringify({ author: 'bench', body: 'wake up' });

function requestText(port, path, body) {
  return (
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

// Every round opens thousands of sockets, and each closed one sits in TIME_WAIT for a minute; one source
// address has only ~28,000 ephemeral ports. Spreading the sockets over 16 loopback source addresses
// (all of 127.0.0.0/8 is loopback) keeps back-to-back rounds and suites from running out of ports.
const SOURCES = Array.from({ length: 16 }, (_, i) => `127.0.0.${i + 2}`);
let nextSource = 0;

/** One request on its own socket; `onAnswer(text)` once the server closed the connection. */
function exchange(port, path, body, onAnswer, onConnect) {
  const localAddress = SOURCES[nextSource++ % SOURCES.length];
  const socket = connect({ port, host: '127.0.0.1', localAddress });
  const chunks = [];
  socket.setNoDelay(true);
  socket.on('connect', () => {
    socket.write(requestText(port, path, body));
    onConnect?.();
  });
  socket.on('data', (chunk) => chunks.push(chunk));
  socket.on('end', () => onAnswer(Buffer.concat(chunks).toString('latin1')));
  socket.on('error', (error) => {
    console.error(`long-poll socket failed: ${error.message}`);
    process.exit(1);
  });
  return socket;
}

let answered = 0;
let wrong = 0;
let target = 0;
let onAllAnswered;

function onPollAnswer(text) {
  // The server answers and closes; the answer must be a 200 with the new message in it.
  if (!text.startsWith('HTTP/1.1 200') || !text.includes('"wake up"')) wrong++;
  if (++answered === target) onAllAnswered?.();
}

function openPolls(port, cursor, n) {
  answered = 0;
  wrong = 0;
  target = n;
  const body = JSON.stringify({ cursor });
  return new Promise((resolve) => {
    const openBatch = (from) => {
      const to = Math.min(n, from + BATCH);
      let connected = 0;
      for (let i = from; i < to; i++) {
        exchange(port, '/a/message/updates', body, onPollAnswer, () => {
          if (++connected === to - from) {
            if (to < n) openBatch(to);
            else resolve();
          }
        });
      }
    };
    openBatch(0);
  });
}

process.on('message', async (message) => {
  if (message.type === 'open') {
    const cursor = await new Promise((resolve) =>
      exchange(message.port, '/a/message/updates', '{"cursor":null}', (text) =>
        resolve(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)).cursor),
      ),
    );
    await openPolls(message.port, cursor, message.n);
    process.send({ type: 'opened' });
  } else if (message.type === 'wake') {
    const all = new Promise((resolve) => {
      onAllAnswered = resolve;
    });
    const start = performance.now();
    exchange(message.port, '/a/message/new', WAKE_BODY, () => {});
    await all;
    process.send({ type: 'woken', ms: performance.now() - start, answered, wrongAnswers: wrong });
  } else if (message.type === 'exit') {
    process.disconnect();
  }
});
process.send({ type: 'ready' });
