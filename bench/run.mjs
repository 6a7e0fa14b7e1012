// `npm run bench`: every benchmark of the project, each side by side with its peers in one run.
// Suites can be picked by name: `npm run bench -- coroutine`.
import { benchCoroutines, benchFutures } from './coroutine.bench.mjs';
import { benchHttp } from './http.bench.mjs';
import { benchLongPoll } from './longpoll.bench.mjs';

const suites = {
  coroutine: async () => [...(await benchCoroutines()), ...(await benchFutures())],
  http: benchHttp,
  longpoll: benchLongPoll,
};

const picked = process.argv.slice(2);
const names = picked.length > 0 ? picked : Object.keys(suites);
console.log(`# gust benchmarks — node ${process.version}, ${new Date().toISOString()}`);
const misses = [];
for (const name of names) {
  const suite = suites[name];
  if (!suite) throw new Error(`unknown benchmark suite ${name}; known: ${Object.keys(suites).join(', ')}`);
  misses.push(...(await suite()));
}
if (misses.length > 0) {
  console.log(`\n${misses.length} figure(s) missed their target: ${misses.map((m) => m.name).join('; ')}`);
} else {
  console.log('\nEvery figure met its target.');
}
