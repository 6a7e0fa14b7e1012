// One client of the HTTP benchmark in a process of its own (forked by bench/http.bench.mjs with
// `--expose-gc`), so that its garbage and its heap's growth are its own: in a shared process, whichever
// clients ran before decide when the next one pays for a full GC, and the figures measure that. The
// parent sends `{ run: { url, requests, size } }` for each measurement and `{ close: true }` at the end.
import { CLIENTS, drive } from './http-clients.mjs';

const [name, concurrencyArg] = process.argv.slice(2);
const concurrency = Number(concurrencyArg);
const spec = CLIENTS.find((client) => client.name === name);
if (spec === undefined) throw new Error(`unknown HTTP benchmark client ${name}`);
const instance = await spec.make(concurrency);

process.on('message', async (message) => {
  try {
    if (message.close) {
      await instance.close();
      process.send({ closed: true }, () => process.disconnect());
      return;
    }
    const { url, requests, size } = message.run;
    globalThis.gc?.();
    const ns = await drive(instance.one, url, concurrency, requests, size);
    process.send({ ns });
  } catch (error) {
    process.send({ error: String(error?.stack ?? error) });
  }
});
process.send({ ready: true });
