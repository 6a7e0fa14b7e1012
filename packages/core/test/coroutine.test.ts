import {
  BadYieldError,
  CancelledError,
  coroutine,
  currentLoop,
  Future,
  isFuture,
  moment,
  Return,
  registerYieldable,
  runGenerator,
  setCurrentLoop,
  setSyncStepBudget,
  sleep,
} from '@gust/core';
import { describe, expect, it } from 'vitest';

const macrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('coroutine', () => {
  it('starts the body synchronously and runs it until its first pending yield', () => {
    const order: string[] = [];
    const pending = new Future<number>();
    const run = coroutine(function* () {
      order.push('start');
      yield Future.resolve(1);
      order.push('after done yield');
      yield pending;
      order.push('after pending yield');
    });
    const f = run();
    order.push('returned');
    expect(order).toEqual(['start', 'after done yield', 'returned']);
    expect(f.done()).toBe(false);
  });

  it('resolves with the returned value, and with the value of a thrown Return', async () => {
    const a = coroutine(function* () {
      yield Future.resolve();
      return 'returned';
    });
    const b = coroutine(function* () {
      yield Future.resolve();
      throw new Return('raised');
    });
    expect(await a()).toBe('returned');
    expect(await b()).toBe('raised');
  });

  it('passes arguments and this through', async () => {
    const obj = {
      base: 10,
      add: coroutine(function* (this: { base: number }, x: number) {
        yield moment;
        return this.base + x;
      }),
    };
    expect(await obj.add(5)).toBe(15);
  });

  it('does not throw at the call site when the body throws before its first yield', async () => {
    const run = coroutine(function* () {
      throw new Error('early');
      // biome-ignore lint/correctness/noUnreachable: the generator must be a generator
      yield;
    });
    let f: Future<unknown> | undefined;
    expect(() => {
      f = run();
    }).not.toThrow();
    expect(f?.done()).toBe(true);
    await expect(f).rejects.toThrow('early');
  });

  it('throws a failed Future back in at the yield, where try/catch/finally work', async () => {
    const order: string[] = [];
    const run = coroutine(function* () {
      try {
        yield Future.reject(new Error('inner'));
        order.push('not reached');
      } catch (error) {
        order.push(`caught ${(error as Error).message}`);
      } finally {
        order.push('finally');
      }
      const late = new Future<number>();
      setTimeout(() => late.setException(new Error('late')), 1);
      try {
        yield late;
      } catch (error) {
        order.push(`caught ${(error as Error).message}`);
      }
      return order;
    });
    expect(await run()).toEqual(['caught inner', 'finally', 'caught late']);
  });

  it('types yield* of a Future as its result', async () => {
    const run = coroutine(function* (n: number) {
      const doubled = yield* Future.resolve(n * 2);
      const text = yield* Future.from(Promise.resolve(`v${doubled}`));
      return text.toUpperCase();
    });
    expect(await run(4)).toBe('V8');
  });

  it('accepts plain and async functions', async () => {
    const plain = coroutine((x: number) => x + 1);
    const throwing = coroutine((): number => {
      throw new Error('plain throw');
    });
    const asyncFn = coroutine(async (x: number) => x * 3);
    expect(isFuture(plain(1))).toBe(true);
    expect(plain(1).result()).toBe(2);
    await expect(throwing()).rejects.toThrow('plain throw');
    expect(await asyncFn(2)).toBe(6);
  });

  it('interleaves two coroutines that yield moment (abab)', async () => {
    const log: string[] = [];
    const make = (name: string) =>
      coroutine(function* () {
        for (let i = 0; i < 4; i++) {
          log.push(name);
          yield moment;
        }
      });
    await Future.from(Promise.all([make('a')(), make('b')()]));
    expect(log.join('')).toBe('abababab');
  });

  it('waits for moment on the installed loop, and on a portable loop by default', async () => {
    expect(currentLoop().constructor.name).toBe('PortableLoop');
    const base = currentLoop();
    const soon: Array<() => void> = [];
    const previous = setCurrentLoop({
      time: () => base.time(),
      callSoon: (fn) => soon.push(fn),
      callLater: (delay, fn) => base.callLater(delay, fn),
      cancelTimer: (handle) => base.cancelTimer(handle),
    });
    try {
      const order: string[] = [];
      const f = coroutine(function* () {
        order.push('before');
        yield moment;
        order.push('after');
      })();
      await macrotask();
      // Nothing but the installed loop can resume it.
      expect(order).toEqual(['before']);
      expect(soon).toHaveLength(1);
      soon.shift()?.();
      await f;
      expect(order).toEqual(['before', 'after']);
    } finally {
      setCurrentLoop(previous);
    }
  });

  it('treats yield null/undefined as moment', async () => {
    const log: string[] = [];
    const make = (name: string) =>
      coroutine(function* () {
        for (let i = 0; i < 3; i++) {
          log.push(name);
          yield null;
        }
      });
    await Promise.all([make('a')(), make('b')()]);
    expect(log.join('')).toBe('ababab');
  });

  it('does not interleave coroutines that yield done futures (aaaaabbbbb)', async () => {
    const log: string[] = [];
    const make = (name: string) =>
      coroutine(function* () {
        for (let i = 0; i < 5; i++) {
          log.push(name);
          yield Future.resolve(i);
        }
      });
    await Promise.all([make('a')(), make('b')()]);
    expect(log.join('')).toBe('aaaaabbbbb');
  });

  it('resumes a done future without a microtask', () => {
    const run = coroutine(function* () {
      const a = yield Future.resolve(1);
      const b = yield [Future.resolve(2)];
      return a + b[0];
    });
    const f = run();
    expect(f.done()).toBe(true);
    expect(f.result()).toBe(3);
  });

  it('runs 1,000,000 consecutive ready yields without growing the stack', async () => {
    const ready = Future.resolve(1);
    const run = coroutine(function* () {
      let total = 0;
      for (let i = 0; i < 1_000_000; i++) total += yield ready;
      return total;
    });
    expect(await run()).toBe(1_000_000);
  });

  it('yields one loop turn after the synchronous step budget so a hot coroutine cannot starve others', async () => {
    const previous = setSyncStepBudget(100);
    try {
      const log: string[] = [];
      const hot = coroutine(function* () {
        for (let i = 0; i < 250; i++) {
          log.push('h');
          yield Future.resolve(i);
        }
      });
      // A macrotask queued before the coroutine starts runs between its chunks of 100 steps.
      setImmediate(() => log.push('I'));
      const f = hot();
      expect(f.done()).toBe(false);
      expect(log.join('')).toBe('h'.repeat(100));
      await f;
      expect(log.join('')).toBe(`${'h'.repeat(100)}I${'h'.repeat(150)}`);
    } finally {
      setSyncStepBudget(previous);
    }
  });

  it('rejects a budget below 1', () => {
    expect(() => setSyncStepBudget(0)).toThrow(RangeError);
  });

  it('throws BadYieldError into the generator for an unknown yield', async () => {
    const run = coroutine(function* () {
      try {
        yield 42 as unknown;
      } catch (error) {
        return error;
      }
      return undefined;
    });
    const error = await run();
    expect(error).toBeInstanceOf(BadYieldError);
    expect((error as Error).message).toMatch(/yielded unknown object 42/);
  });

  it('waits on arrays and objects of yieldables (multi) keeping order and keys', async () => {
    const run = coroutine(function* () {
      const list = yield [sleep(5).then(() => 'slow'), Future.resolve('fast'), Promise.resolve('promise')];
      const record = yield { x: sleep(1).then(() => 1), y: Future.resolve(2) };
      return { list, record };
    });
    expect(await run()).toEqual({ list: ['slow', 'fast', 'promise'], record: { x: 1, y: 2 } });
  });

  it('converts registered yieldables', async () => {
    class Box {
      constructor(readonly v: number) {}
    }
    registerYieldable(
      (v): v is Box => v instanceof Box,
      (box: Box) => Future.resolve(box.v),
    );
    const run = coroutine(function* () {
      return (yield new Box(9)) + 1;
    });
    expect(await run()).toBe(10);
  });

  it('runGenerator runs a generator object', async () => {
    function* body() {
      yield moment;
      return 'ran';
    }
    expect(await runGenerator(body())).toBe('ran');
  });
});

describe('CoroutineFuture.cancel', () => {
  it('cancels the awaited future, runs finally and ends cancelled', async () => {
    const order: string[] = [];
    const inner = new Future<number>();
    const run = coroutine(function* () {
      try {
        order.push('start');
        yield inner;
        order.push('not reached');
      } finally {
        order.push('finally');
      }
    });
    const f = run();
    expect(f.cancel()).toBe(true);
    expect(inner.cancelled()).toBe(true);
    expect(order).toEqual(['start', 'finally']);
    expect(f.cancelled()).toBe(true);
    await expect(f).rejects.toBeInstanceOf(CancelledError);
    expect(f.cancel()).toBe(false);
  });

  it('awaits yields inside finally and ends cancelled only after cleanup finished', async () => {
    const order: string[] = [];
    const run = coroutine(function* () {
      try {
        yield new Future<void>();
      } finally {
        order.push('cleanup start');
        yield sleep(10);
        order.push('cleanup end');
      }
    });
    const f = run();
    const started = performance.now();
    expect(f.cancel()).toBe(true);
    expect(f.done()).toBe(false);
    expect(f.cancel()).toBe(true);
    await expect(f).rejects.toBeInstanceOf(CancelledError);
    expect(performance.now() - started).toBeGreaterThanOrEqual(9);
    expect(order).toEqual(['cleanup start', 'cleanup end']);
    expect(f.cancelled()).toBe(true);
  });

  it('rejects with an error thrown by the cleanup instead of losing it', async () => {
    const run = coroutine(function* () {
      try {
        yield new Future<void>();
      } finally {
        // biome-ignore lint/correctness/noUnsafeFinally: the test pins what happens when cleanup throws
        throw new Error('cleanup failed');
      }
    });
    const f = run();
    f.cancel();
    await expect(f).rejects.toThrow('cleanup failed');
    expect(f.cancelled()).toBe(false);
  });

  it('cancels the children of a yielded multi', async () => {
    const a = new Future<number>();
    const b = new Future<number>();
    const run = coroutine(function* () {
      yield [a, b];
    });
    const f = run();
    f.cancel();
    expect(a.cancelled()).toBe(true);
    expect(b.cancelled()).toBe(true);
    await expect(f).rejects.toBeInstanceOf(CancelledError);
  });

  it('cancels a coroutine from inside its own body once it yields', async () => {
    const order: string[] = [];
    let self: Future<unknown> | undefined;
    const run = coroutine(function* () {
      try {
        yield moment;
        self?.cancel();
        order.push('still running until the next yield');
        yield new Future<void>();
        order.push('not reached');
      } finally {
        order.push('finally');
      }
    });
    self = run();
    await expect(self).rejects.toBeInstanceOf(CancelledError);
    expect(order).toEqual(['still running until the next yield', 'finally']);
  });

  it('propagates cancellation through nested coroutines', async () => {
    const order: string[] = [];
    const innerRun = coroutine(function* () {
      try {
        yield new Future<void>();
      } finally {
        order.push('inner finally');
      }
    });
    const outerRun = coroutine(function* () {
      try {
        yield innerRun();
      } finally {
        order.push('outer finally');
      }
    });
    const f = outerRun();
    f.cancel();
    await expect(f).rejects.toBeInstanceOf(CancelledError);
    expect(order).toEqual(['inner finally', 'outer finally']);
  });

  it('cancels a sleeping coroutine and clears its timer', async () => {
    const run = coroutine(function* () {
      yield sleep(60_000);
    });
    const f = run();
    f.cancel();
    await macrotask();
    expect(f.cancelled()).toBe(true);
    // The leak check of the test setup fails this file if the 60 s timer is still armed.
  });
});
