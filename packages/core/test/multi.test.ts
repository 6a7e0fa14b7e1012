import { BadYieldError, CancelledError, Future, type Logger, multi, setLogger, sleep } from '@gust/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

class QuietError extends Error {}

describe('multi', () => {
  const logs: string[] = [];
  const record = (message: string, ...details: unknown[]) =>
    logs.push(`${message}: ${(details[0] as Error)?.message}`);
  let previous: Logger;
  beforeAll(() => {
    previous = setLogger({ error: record, warn: record, info: record, debug: record });
  });
  afterAll(() => {
    setLogger(previous);
  });
  afterEach(() => {
    logs.length = 0;
  });

  it('resolves [] and {} at once', () => {
    expect(multi([]).result()).toEqual([]);
    expect(multi({}).result()).toEqual({});
  });

  it('keeps input order, not completion order', async () => {
    expect(await multi([sleep(15).then(() => 'a'), sleep(1).then(() => 'b'), Future.resolve('c')])).toEqual([
      'a',
      'b',
      'c',
    ]);
  });

  it('keeps the keys of an object', async () => {
    const result = await multi({ first: sleep(5).then(() => 1), second: Promise.resolve('two') });
    expect(result).toEqual({ first: 1, second: 'two' });
  });

  it('gives a key named "__proto__" an own property, not a prototype', async () => {
    const children: Record<string, Future<number>> = {};
    Object.defineProperty(children, '__proto__', { value: Future.resolve(1), enumerable: true });
    children.b = Future.resolve(2);
    const result = (await multi(children)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.keys(result)).toEqual(['__proto__', 'b']);
    expect(Object.getOwnPropertyDescriptor(result, '__proto__')?.value).toBe(1);
  });

  it('waits for every child, then fails with the first failure in input order and logs the rest', async () => {
    const order: string[] = [];
    const slowFail = sleep(20).then(() => {
      order.push('slow failed');
      throw new Error('first in input order');
    });
    const fastFail = sleep(1).then(() => {
      order.push('fast failed');
      throw new Error('second in input order');
    });
    const ok = sleep(30).then(() => {
      order.push('ok done');
      return 1;
    });
    const f = multi([slowFail, fastFail, ok]);
    await expect(f).rejects.toThrow('first in input order');
    expect(order).toEqual(['fast failed', 'slow failed', 'ok done']);
    expect(logs).toEqual(['Multiple exceptions in yield list: second in input order']);
  });

  it('does not log failures whose type is in quietExceptions', async () => {
    const f = multi([Future.reject(new Error('reported')), Future.reject(new QuietError('quiet'))], {
      quietExceptions: QuietError,
    });
    await expect(f).rejects.toThrow('reported');
    expect(logs).toEqual([]);
    const g = multi([Future.reject(new Error('reported')), Future.reject(new Error('loud'))], {
      quietExceptions: [QuietError],
    });
    await expect(g).rejects.toThrow('reported');
    expect(logs).toEqual(['Multiple exceptions in yield list: loud']);
  });

  it('cancels pending children when cancelled', async () => {
    const a = new Future<number>();
    const b = Future.resolve(2);
    const f = multi([a, b]);
    expect(f.cancel()).toBe(true);
    expect(a.cancelled()).toBe(true);
    await expect(f).rejects.toBeInstanceOf(CancelledError);
  });

  it('fails with CancelledError when a child is cancelled', async () => {
    const a = new Future<number>();
    const f = multi([a]);
    a.cancel();
    await expect(f).rejects.toBeInstanceOf(CancelledError);
  });

  it('rejects arguments that are not arrays or plain objects, and children that are not yieldable', () => {
    expect(() => multi(new Map() as never)).toThrow(/array or a plain object/);
    expect(() => multi([Future.resolve(1), 'c' as never])).toThrow(BadYieldError);
  });
});
