import {
  CancelledError,
  chainFuture,
  Future,
  futureAddDoneCallback,
  futureSetExceptionUnlessCancelled,
  futureSetResultUnlessCancelled,
  InvalidStateError,
  isCancelledError,
  isFuture,
  isInvalidStateError,
  type Logger,
  setLogger,
} from '@gust/core';
import { afterEach, describe, expect, it, vi } from 'vitest';

function captureLogs(): { logs: Array<[string, unknown[]]>; restore: () => void } {
  const logs: Array<[string, unknown[]]> = [];
  const record = (message: string, ...details: unknown[]) => logs.push([message, details]);
  const impl: Logger = { error: record, warn: record, info: record, debug: record };
  const previous = setLogger(impl);
  return { logs, restore: () => setLogger(previous) };
}

const macrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('Future', () => {
  let restore: (() => void) | undefined;
  afterEach(() => {
    restore?.();
    restore = undefined;
  });

  it('moves from pending to fulfilled once and keeps its result', () => {
    const f = new Future<number>();
    expect(f.done()).toBe(false);
    expect(f.status).toBe('pending');
    f.setResult(42);
    expect(f.done()).toBe(true);
    expect(f.result()).toBe(42);
    expect(f.exception()).toBeUndefined();
    expect(f.status).toBe('fulfilled');
    expect(f.value).toBe(42);
    expect(f.reason).toBeUndefined();
  });

  it('throws InvalidStateError when settled twice', () => {
    const f = new Future<number>();
    f.setResult(1);
    expect(() => f.setResult(2)).toThrow(InvalidStateError);
    expect(() => f.setException(new Error('x'))).toThrow('setException() on a done Future');
    expect(f.result()).toBe(1);
  });

  it('throws InvalidStateError from result() and exception() while pending', () => {
    const f = new Future<number>();
    expect(() => f.result()).toThrow(InvalidStateError);
    expect(() => f.exception()).toThrow(/still pending/);
  });

  it('rethrows the stored error from result() and returns it from exception()', () => {
    const f = new Future<number>();
    const error = new Error('boom');
    f.setException(error);
    expect(() => f.result()).toThrow(error);
    expect(f.exception()).toBe(error);
    expect(f.status).toBe('rejected');
    expect(f.reason).toBe(error);
  });

  it('cancels only a pending future, and then reports CancelledError', () => {
    const f = new Future<number>();
    expect(f.cancel()).toBe(true);
    expect(f.cancelled()).toBe(true);
    expect(f.done()).toBe(true);
    expect(f.cancel()).toBe(false);
    expect(() => f.setResult(1)).toThrow('setResult() on a cancelled Future');
    expect(() => f.result()).toThrow(CancelledError);
    expect(() => f.exception()).toThrow(CancelledError);
    expect(f.status).toBe('rejected');
    expect(isCancelledError(f.reason)).toBe(true);
    const done = Future.resolve(1);
    expect(done.cancel()).toBe(false);
    expect(done.result()).toBe(1);
  });

  it('runs the onCancel hook synchronously, before done callbacks', async () => {
    const order: string[] = [];
    const f = new Future<number>({ onCancel: () => order.push('hook') });
    f.addDoneCallback(() => order.push('callback'));
    f.cancel();
    order.push('after cancel');
    await macrotask();
    expect(order).toEqual(['hook', 'after cancel', 'callback']);
  });

  it('does not run onCancel when the future completes normally', async () => {
    const hook = vi.fn();
    const f = new Future<number>({ onCancel: hook });
    f.setResult(1);
    f.cancel();
    expect(hook).not.toHaveBeenCalled();
  });

  it('runs done callbacks asynchronously, in registration order, also after completion', async () => {
    const order: string[] = [];
    const f = new Future<string>();
    f.addDoneCallback(() => order.push('a'));
    f.addDoneCallback(() => order.push('b'));
    f.setResult('x');
    order.push('sync');
    f.addDoneCallback(() => order.push('c'));
    expect(order).toEqual(['sync']);
    await macrotask();
    expect(order).toEqual(['sync', 'a', 'b', 'c']);
  });

  it('runs the callbacks of many Futures in the order they became done, also those added while draining', async () => {
    // More than the 1024 entries after which the shared queue drops the prefix it has run.
    const count = 5000;
    const order: number[] = [];
    const futures = Array.from({ length: count }, () => new Future<number>());
    futures.forEach((future, i) => {
      future.addDoneCallback(() => {
        order.push(i);
        // Settling from a callback queues behind everything already queued, like a microtask would.
        if (i % 2 === 0) {
          const late = new Future<number>();
          late.addDoneCallback(() => order.push(count + i));
          late.setResult(i);
        }
      });
    });
    for (const future of futures) future.setResult(0);
    await macrotask();
    const expected = [
      ...futures.map((_, i) => i),
      ...futures.map((_, i) => count + i).filter((_, i) => i % 2 === 0),
    ];
    expect(order).toEqual(expected);
  });

  it('logs a throwing callback and still runs the others', async () => {
    const cap = captureLogs();
    restore = cap.restore;
    const seen: number[] = [];
    const f = new Future<number>();
    f.addDoneCallback(() => {
      throw new Error('callback failed');
    });
    f.addDoneCallback((done) => seen.push(done.result()));
    f.setResult(7);
    await macrotask();
    expect(seen).toEqual([7]);
    expect(cap.logs[0]?.[0]).toBe('Exception in callback of a Future');
    expect((cap.logs[0]?.[1][0] as Error | undefined)?.message).toBe('callback failed');
  });

  it('removes every registration of a callback and reports how many', async () => {
    const cb = vi.fn();
    const f = new Future<number>();
    f.addDoneCallback(cb);
    f.addDoneCallback(cb);
    expect(f.removeDoneCallback(cb)).toBe(2);
    expect(f.removeDoneCallback(cb)).toBe(0);
    f.setResult(1);
    await macrotask();
    expect(cb).not.toHaveBeenCalled();
  });

  it('futureAddDoneCallback runs the callback now when the future is done', () => {
    const seen: number[] = [];
    futureAddDoneCallback(Future.resolve(3), (f) => seen.push(f.result()));
    expect(seen).toEqual([3]);
  });

  it('chainFuture copies fulfilment, failure and cancellation, and leaves a done target alone', async () => {
    const a = new Future<number>();
    const b = new Future<number>();
    chainFuture(a, b);
    a.setResult(5);
    await macrotask();
    expect(b.result()).toBe(5);

    const c = new Future<number>();
    const d = new Future<number>();
    chainFuture(c, d);
    c.setException(new Error('bad'));
    await macrotask();
    expect(() => d.result()).toThrow('bad');

    const e = new Future<number>();
    const g = new Future<number>();
    chainFuture(e, g);
    e.cancel();
    await macrotask();
    expect(g.cancelled()).toBe(true);

    const h = new Future<number>();
    const k = new Future<number>();
    chainFuture(h, k);
    k.cancel();
    h.setResult(1);
    await macrotask();
    expect(k.cancelled()).toBe(true);
  });

  it('the unless-cancelled helpers ignore a cancelled future and log a late exception', () => {
    const cap = captureLogs();
    restore = cap.restore;
    const f = new Future<number>();
    f.cancel();
    futureSetResultUnlessCancelled(f, 1);
    futureSetExceptionUnlessCancelled(f, new Error('late'));
    expect(f.cancelled()).toBe(true);
    expect(cap.logs.map(([m]) => m)).toEqual(['Exception after Future was cancelled']);
    const g = new Future<number>();
    futureSetResultUnlessCancelled(g, 2);
    expect(g.result()).toBe(2);
    const h = new Future<number>();
    futureSetResultUnlessCancelled(h, 2);
    expect(() => futureSetResultUnlessCancelled(h, 3)).toThrow(InvalidStateError);
  });

  it('is awaitable and chains with then/catch/finally returning Futures', async () => {
    const f = new Future<number>();
    setTimeout(() => f.setResult(2), 1);
    const derived = f.then((x) => x * 10);
    expect(isFuture(derived)).toBe(true);
    expect(await derived).toBe(20);
    const failed = Future.reject<number>(new Error('no')).catch((e: Error) => e.message);
    expect(await failed).toBe('no');
    const order: string[] = [];
    const fin = Future.resolve(1).finally(() => order.push('finally'));
    expect(await fin).toBe(1);
    expect(order).toEqual(['finally']);
  });

  it('rejects then() of a cancelled future with CancelledError', async () => {
    const f = new Future<number>();
    f.cancel();
    await expect(f.then((x) => x)).rejects.toBeInstanceOf(CancelledError);
  });

  it('Future.from adopts thenables and returns Futures as they are', async () => {
    const f = Future.resolve(1);
    expect(Future.from(f)).toBe(f);
    const adopted = Future.from(Promise.resolve('p'));
    expect(adopted.done()).toBe(false);
    expect(await adopted).toBe('p');
    const rejected = Future.from(Promise.reject(new Error('r')));
    await expect(rejected).rejects.toThrow('r');
    const plain = Future.from(3);
    expect(plain.result()).toBe(3);
  });

  it('does not create a native rejected promise: a rejection observed a macrotask later does not crash', async () => {
    // If a rejected native promise lived inside, Node would report an unhandled rejection here and vitest
    // would fail the run.
    const f = Future.reject(new Error('later'));
    const g = new Future<number>();
    g.setException(new Error('later too'));
    await macrotask();
    await macrotask();
    await expect(f).rejects.toThrow('later');
    expect(g.exception()).toBeInstanceOf(Error);
  });

  it('recognises Futures from another copy of the package by brand', () => {
    const foreign = { [Symbol.for('gust.Future')]: true };
    expect(isFuture(foreign)).toBe(true);
    expect(isFuture(Promise.resolve())).toBe(false);
    expect(isFuture(null)).toBe(false);
  });

  it('works with React 19 use() fields: status, value and reason', () => {
    const pending = new Future<number>();
    expect([pending.status, pending.value, pending.reason]).toEqual(['pending', undefined, undefined]);
    const cancelled = new Future<number>();
    cancelled.cancel();
    expect(cancelled.status).toBe('rejected');
    expect(cancelled.reason).toBeInstanceOf(CancelledError);
  });

  it('reports an exception nobody retrieved when the future is garbage-collected', async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    expect(gc, 'tests run with --expose-gc').toBeTypeOf('function');
    const cap = captureLogs();
    restore = cap.restore;
    (() => {
      const f = new Future<number>();
      f.setException(new Error('nobody looked'));
    })();
    (() => {
      const seen = new Future<number>();
      seen.setException(new Error('retrieved'));
      seen.exception();
    })();
    for (let i = 0; i < 20 && cap.logs.length === 0; i++) {
      gc?.();
      await macrotask();
    }
    const messages = cap.logs.map(([message, details]) => `${message}: ${(details[0] as Error).message}`);
    expect(messages).toEqual(['Future exception was never retrieved: nobody looked']);
  });

  it('has InvalidStateError guards that work across copies', () => {
    const f = new Future<number>();
    try {
      f.result();
    } catch (error) {
      expect(isInvalidStateError(error)).toBe(true);
      expect((error as Error).name).toBe('InvalidStateError');
    }
  });

  it('makes yield* evaluate to the result', () => {
    const f = Future.resolve('v');
    const it = f[Symbol.iterator]();
    const first = it.next();
    expect(first).toEqual({ done: false, value: f });
    expect(it.next('v')).toEqual({ done: true, value: 'v' });
  });
});
