// Tiny benchmark harness: runs each case several times in one process, reports the median, and prints a
// table with each figure's ratio to a baseline measured in the same run. Timing lives here, never in tests.

/** Runs `fn` (async, returns how many operations it did) `runs` times after a warm-up; median ns/op. */
export async function measure(fn, { runs = 7, warmup = 2 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const samples = [];
  for (let i = 0; i < runs; i++) {
    globalThis.gc?.();
    const start = process.hrtime.bigint();
    const ops = await fn();
    const ns = Number(process.hrtime.bigint() - start);
    samples.push(ns / ops);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

/**
 * Measures several cases side by side: `rounds` rounds in which every case runs once, in a rotating order,
 * after `warmup` such rounds; returns each case's median ns/op. Interleaving makes drift and noise from
 * other processes fall on all cases alike, where measuring one case after the other does not.
 */
export async function measureInterleaved(cases, { rounds = 9, warmup = 2 } = {}) {
  const names = Object.keys(cases);
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < warmup + rounds; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length];
      globalThis.gc?.();
      const start = process.hrtime.bigint();
      const ops = await cases[name]();
      const ns = Number(process.hrtime.bigint() - start);
      if (round >= warmup) samples[name].push(ns / ops);
    }
  }
  const medians = {};
  for (const name of names) {
    const sorted = samples[name].sort((a, b) => a - b);
    medians[name] = sorted[Math.floor(sorted.length / 2)];
  }
  return medians;
}

/**
 * Prints rows `{ group, name, value, unit, baseline?, target? }`: `ratio` is value / baseline value of the
 * same group (lower is better for costs); `target` is the highest acceptable ratio.
 * Returns the rows that missed their target.
 */
export function printTable(title, rows, { higherIsBetter = false } = {}) {
  console.log(`\n## ${title}\n`);
  console.log('| case | value | ratio | target | ok |');
  console.log('| --- | ---: | ---: | ---: | :-: |');
  const misses = [];
  for (const row of rows) {
    const ratio = row.baseline ? row.value / row.baseline : undefined;
    let ok = '';
    if (row.target !== undefined && ratio !== undefined) {
      const pass = higherIsBetter ? ratio >= row.target : ratio <= row.target;
      ok = pass ? 'yes' : 'NO';
      if (!pass) misses.push(row);
    }
    const target = row.target === undefined ? '' : `${higherIsBetter ? '≥' : '≤'} ${row.target.toFixed(2)}×`;
    console.log(
      `| ${row.name} | ${format(row.value)} ${row.unit} | ${ratio === undefined ? '' : `${ratio.toFixed(2)}×`} | ${target} | ${ok} |`,
    );
  }
  return misses;
}

function format(value) {
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}
