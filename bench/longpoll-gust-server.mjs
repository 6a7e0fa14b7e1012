// The demo's chat server (apps/demo, built into dist/server by `npm run bench`'s build step) as a child of
// longpoll.bench.mjs; it reports over IPC (see longpoll-ipc.mjs).
import { startServer } from '../apps/demo/dist/server/server.js';
import { serveBenchIPC } from './longpoll-ipc.mjs';

const demo = await startServer({ port: 0 });
serveBenchIPC({
  port: demo.port,
  held: () => demo.room.waiting,
  close: () => demo.close(),
  closeConnections: () => {},
});
