// Per-step cost of coroutine runners and of Future vs native Promise (issue 2's targets).
import { Future, coroutine as gustCoroutine } from '@gust/core';
import Bluebird from 'bluebird';
import co from 'co';
import { run as effectionRun, until } from 'effection';
import { measureInterleaved, printTable } from './harness.mjs';

const READY_STEPS = 1_000_000;
const MICRO_STEPS = 200_000;
const MACRO_STEPS = 20_000;

const microPromise = (v) => new Promise((resolve) => queueMicrotask(() => resolve(v)));
const macroPromise = (v) => new Promise((resolve) => setImmediate(() => resolve(v)));
function microFuture(v) {
  const f = new Future();
  queueMicrotask(() => f.setResult(v));
  return f;
}
function macroFuture(v) {
  const f = new Future();
  setImmediate(() => f.setResult(v));
  return f;
}
const microBluebird = (v) => new Bluebird((resolve) => queueMicrotask(() => resolve(v)));
const macroBluebird = (v) => new Bluebird((resolve) => setImmediate(() => resolve(v)));

function runners(steps, make) {
  // make: { promise(i), future(i), bluebird(i) } giving the value each step waits on
  const readyGust = gustCoroutine(function* () {
    for (let i = 0; i < steps; i++) yield make.future(i);
  });
  return {
    gust: async () => {
      await readyGust();
      return steps;
    },
    native: async () => {
      for (let i = 0; i < steps; i++) await make.promise(i);
      return steps;
    },
    co: async () => {
      await co(function* () {
        for (let i = 0; i < steps; i++) yield make.promise(i);
      });
      return steps;
    },
    bluebird: async () => {
      await Bluebird.coroutine(function* () {
        for (let i = 0; i < steps; i++) yield make.bluebird(i);
      })();
      return steps;
    },
    effection: async () => {
      await effectionRun(function* () {
        for (let i = 0; i < steps; i++) yield* until(make.promise(i));
      });
      return steps;
    },
  };
}

export async function benchCoroutines() {
  const readyPromise = Promise.resolve(1);
  const readyFuture = Future.resolve(1);
  const readyBluebird = Bluebird.resolve(1);
  const scenarios = [
    [
      'done value',
      READY_STEPS,
      { promise: () => readyPromise, future: () => readyFuture, bluebird: () => readyBluebird },
      1.0,
    ],
    [
      'next microtask',
      MICRO_STEPS,
      { promise: microPromise, future: microFuture, bluebird: microBluebird },
      1.5,
    ],
    [
      'next macrotask',
      MACRO_STEPS,
      { promise: macroPromise, future: macroFuture, bluebird: macroBluebird },
      1.5,
    ],
  ];
  const rows = [];
  for (const [label, steps, make, target] of scenarios) {
    const r = runners(steps, make);
    // Effection is ~30× slower per step: fewer steps keep its rounds as long as the others'.
    r.effection = runners(Math.min(steps, 100_000), make).effection;
    const cost = await measureInterleaved(r, { rounds: 7 });
    const base = cost.native;
    rows.push({ name: `${label}: native async/await`, value: base, unit: 'ns/step', baseline: base });
    rows.push({
      name: `${label}: gust coroutine`,
      value: cost.gust,
      unit: 'ns/step',
      baseline: base,
      target,
    });
    rows.push({ name: `${label}: co`, value: cost.co, unit: 'ns/step', baseline: base });
    rows.push({
      name: `${label}: Bluebird.coroutine`,
      value: cost.bluebird,
      unit: 'ns/step',
      baseline: base,
    });
    rows.push({ name: `${label}: Effection`, value: cost.effection, unit: 'ns/step', baseline: base });
  }
  return printTable('Coroutine step cost (lower is better; ratio to native async/await)', rows);
}

export async function benchFutures() {
  const N = 200_000;
  const native = async () => {
    let last;
    for (let i = 0; i < N; i++) {
      let resolve;
      const p = new Promise((r) => {
        resolve = r;
      });
      last = p.then((x) => x);
      resolve(i);
    }
    await last;
    return N;
  };
  const gust = async () => {
    let last;
    for (let i = 0; i < N; i++) {
      const f = new Future();
      last = f.then((x) => x);
      f.setResult(i);
    }
    await last;
    return N;
  };
  const CHAIN = 1_000_000;
  const nativeChain = async () => {
    let p = Promise.resolve(0);
    for (let i = 0; i < CHAIN; i++) p = p.then((x) => x + 1);
    await p;
    return CHAIN;
  };
  const gustChain = async () => {
    let f = Future.resolve(0);
    for (let i = 0; i < CHAIN; i++) f = f.then((x) => x + 1);
    await f;
    return CHAIN;
  };
  const { native: a, gust: b } = await measureInterleaved({ native, gust });
  const { native: c, gust: d } = await measureInterleaved(
    { native: nativeChain, gust: gustChain },
    { rounds: 5, warmup: 1 },
  );
  return printTable('Future vs native Promise (lower is better)', [
    { name: 'create + resolve + then: Promise', value: a, unit: 'ns/op', baseline: a },
    { name: 'create + resolve + then: Future', value: b, unit: 'ns/op', baseline: a, target: 2.0 },
    { name: '1e6-link then chain: Promise', value: c, unit: 'ns/link', baseline: c },
    { name: '1e6-link then chain: Future', value: d, unit: 'ns/link', baseline: c, target: 2.0 },
  ]);
}
