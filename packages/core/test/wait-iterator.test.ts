import { coroutine, Future, InvalidStateError, sleep, WaitIterator } from '@gust/core';
import { describe, expect, it } from 'vitest';

describe('WaitIterator', () => {
  it('reports futures in completion order with their index', async () => {
    const it = new WaitIterator([
      sleep(30).then(() => 'slow'),
      sleep(1).then(() => 'fast'),
      sleep(15).then(() => 'medium'),
    ]);
    const seen: Array<[number | string | undefined, string]> = [];
    while (!it.done()) {
      const result = await it.next();
      seen.push([it.currentIndex, result]);
    }
    expect(seen).toEqual([
      [1, 'fast'],
      [2, 'medium'],
      [0, 'slow'],
    ]);
  });

  it('reports object keys and the current future', async () => {
    const b = Future.resolve('B');
    const it = new WaitIterator({ a: sleep(10).then(() => 'A'), b });
    expect(await it.next()).toBe('B');
    expect(it.currentIndex).toBe('b');
    expect(it.currentFuture).toBe(b);
    expect(await it.next()).toBe('A');
    expect(it.currentIndex).toBe('a');
    expect(it.done()).toBe(true);
  });

  it('rejects next() with the failed future error and goes on', async () => {
    const it = new WaitIterator([Future.reject(new Error('failed')), sleep(5).then(() => 'ok')]);
    await expect(it.next()).rejects.toThrow('failed');
    expect(it.currentIndex).toBe(0);
    expect(await it.next()).toBe('ok');
  });

  it('works from a coroutine with yield', async () => {
    const run = coroutine(function* () {
      const it = new WaitIterator([sleep(10).then(() => 2), Future.resolve(1)]);
      const out: number[] = [];
      while (!it.done()) out.push(yield it.next());
      return out;
    });
    expect(await run()).toEqual([1, 2]);
  });

  it('supports for await', async () => {
    const out: string[] = [];
    for await (const value of new WaitIterator([sleep(10).then(() => 'b'), sleep(1).then(() => 'a')])) {
      out.push(value);
    }
    expect(out).toEqual(['a', 'b']);
  });

  it('throws InvalidStateError when next() is called again too early or after the end', async () => {
    const it = new WaitIterator([sleep(5).then(() => 1)]);
    const first = it.next();
    expect(() => it.next()).toThrow(InvalidStateError);
    await first;
    expect(() => it.next()).toThrow(/done/);
  });
});
