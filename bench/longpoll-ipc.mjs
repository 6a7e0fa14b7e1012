// What a long-poll benchmark server tells its parent over IPC: its port once listening, then answers to
// { type: 'held' } (how many polls it holds) and { type: 'memory' } (memory after full garbage collections).
// { type: 'close' } shuts it down.

/** Serves the parent's questions for a server child. */
export function serveBenchIPC({ port, held, close, closeConnections }) {
  process.on('message', async (message) => {
    switch (message.type) {
      case 'held':
        process.send({ type: 'held', held: held() });
        break;
      case 'memory': {
        // Fill both semi-spaces with garbage first: with the young generation pinned (see the parent),
        // every one of its pages is then resident before and after, and only lasting growth shows.
        let sink;
        for (let i = 0; i < 200_000; i++) sink = new Array(64).fill(i);
        globalThis.sink = sink;
        globalThis.sink = undefined;
        for (let i = 0; i < 3; i++) globalThis.gc();
        const { rss, heapUsed, external } = process.memoryUsage();
        process.send({ type: 'memory', rss, heapUsed, external });
        break;
      }
      case 'close':
        closeConnections();
        await close();
        process.send({ type: 'closed' });
        process.disconnect();
        break;
    }
  });
  process.send({ type: 'ready', port });
}
