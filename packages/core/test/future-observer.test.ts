import {
  CancelledError,
  coroutine,
  Future,
  FutureObserver,
  type FutureSnapshot,
  type Logger,
  setLogger,
  sleep,
} from '@gust/core';
import { afterEach, describe, expect, it } from 'vitest';

const microtask = () => Promise.resolve();
const macrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Subscribes and records every snapshot the listener sees, in order. */
function record<T>(observer: FutureObserver<T>): { seen: Array<FutureSnapshot<T>>; stop: () => void } {
  const seen: Array<FutureSnapshot<T>> = [];
  const stop = observer.subscribe(() => seen.push(observer.getSnapshot()));
  return { seen, stop };
}

describe('FutureObserver', () => {
  let restoreLogger: (() => void) | undefined;
  afterEach(() => {
    restoreLogger?.();
    restoreLogger = undefined;
  });

  function captureLogs(): Array<[string, unknown[]]> {
    const logs: Array<[string, unknown[]]> = [];
    const write = (message: string, ...details: unknown[]) => logs.push([message, details]);
    const impl: Logger = { error: write, warn: write, info: write, debug: write };
    const previous = setLogger(impl);
    restoreLogger = () => setLogger(previous);
    return logs;
  }

  it('starts idle, or pending when asked, and keeps the same snapshot object until a change', () => {
    const idle = new FutureObserver<number>();
    expect(idle.getSnapshot()).toEqual({ status: 'idle', loading: false, data: undefined, error: undefined });
    expect(idle.getSnapshot()).toBe(idle.getSnapshot());
    const pending = new FutureObserver<number>('pending');
    expect(pending.getSnapshot()).toEqual({
      status: 'pending',
      loading: true,
      data: undefined,
      error: undefined,
    });
    expect(pending.future).toBeUndefined();
  });

  it('seeds its snapshot from a done Future without subscribing to it', () => {
    expect(new FutureObserver(Future.resolve(7)).getSnapshot()).toEqual({
      status: 'fulfilled',
      loading: false,
      data: 7,
      error: undefined,
    });
    const error = new Error('seeded');
    const rejected = new FutureObserver(Future.reject<number>(error)).getSnapshot();
    expect(rejected.status).toBe('rejected');
    expect(rejected.error).toBe(error);
    const cancelled = new Future<number>();
    cancelled.cancel();
    expect(new FutureObserver(cancelled).getSnapshot().status).toBe('cancelled');
    const pending = new FutureObserver(new Future<number>());
    expect(pending.getSnapshot().status).toBe('pending');
    expect(pending.future).toBeUndefined();
  });

  it('goes from pending to fulfilled and calls listeners once per change', async () => {
    const observer = new FutureObserver<string>();
    const { seen } = record(observer);
    const future = new Future<string>();
    expect(observer.run(() => future)).toBe(future);
    expect(observer.future).toBe(future);
    expect(seen.map((s) => s.status)).toEqual(['pending']);
    future.setResult('done');
    expect(seen).toHaveLength(1); // done callbacks run on a microtask
    await microtask();
    expect(seen.map((s) => s.status)).toEqual(['pending', 'fulfilled']);
    expect(observer.getSnapshot()).toEqual({
      status: 'fulfilled',
      loading: false,
      data: 'done',
      error: undefined,
    });
  });

  it('goes from pending to rejected with the exact error', async () => {
    const observer = new FutureObserver<string>();
    const future = new Future<string>();
    observer.run(() => future);
    const error = new TypeError('bad input');
    future.setException(error);
    await microtask();
    const snapshot = observer.getSnapshot();
    expect(snapshot.status).toBe('rejected');
    expect(snapshot.loading).toBe(false);
    expect(snapshot.error).toBe(error);
    expect(snapshot.data).toBeUndefined();
  });

  it('applies a Future that is already done synchronously, with a single notification', () => {
    const observer = new FutureObserver<number>('pending');
    const { seen } = record(observer);
    observer.run(() => Future.resolve(3));
    expect(seen.map((s) => [s.status, s.data])).toEqual([['fulfilled', 3]]);
  });

  it('does not notify when a run starts from the pending state it already shows', () => {
    const observer = new FutureObserver<number>('pending');
    const before = observer.getSnapshot();
    const { seen } = record(observer);
    observer.run(() => new Future<number>());
    expect(seen).toHaveLength(0);
    expect(observer.getSnapshot()).toBe(before);
    observer.detach();
  });

  it('turns a throwing factory into a rejected run', () => {
    const observer = new FutureObserver<number>();
    const error = new RangeError('factory failed');
    const future = observer.run(() => {
      throw error;
    });
    expect(future.exception()).toBe(error);
    expect(observer.getSnapshot().status).toBe('rejected');
    expect(observer.getSnapshot().error).toBe(error);
  });

  it('adopts a promise or a plain value returned by the factory', async () => {
    const observer = new FutureObserver<number>();
    observer.run(() => Promise.resolve(5));
    expect(observer.getSnapshot().status).toBe('pending');
    await macrotask();
    expect(observer.getSnapshot().data).toBe(5);
    observer.run(() => 6);
    expect(observer.getSnapshot().data).toBe(6);
  });

  it('cancels the previous run it owns when a new run starts', () => {
    const observer = new FutureObserver<number>();
    const first = observer.run(() => new Future<number>());
    const second = observer.run(() => new Future<number>());
    expect(first.cancelled()).toBe(true);
    expect(second.done()).toBe(false);
    expect(observer.future).toBe(second);
    observer.detach();
    expect(second.cancelled()).toBe(true);
  });

  it('drops the result of a replaced run that finishes after the newer one', async () => {
    const observer = new FutureObserver<string>();
    const slow = new Future<string>();
    const fast = new Future<string>();
    observer.observe(slow);
    observer.observe(fast);
    expect(slow.cancelled()).toBe(false); // observed, not owned: never cancelled by a replacement
    fast.setResult('new');
    await microtask();
    slow.setResult('old');
    await macrotask();
    expect(observer.getSnapshot().data).toBe('new');
  });

  it('drops the result of a replaced run that finishes before the newer one', async () => {
    const observer = new FutureObserver<string>();
    const slow = new Future<string>();
    const fast = new Future<string>();
    observer.observe(slow);
    observer.observe(fast);
    slow.setResult('old');
    await macrotask();
    expect(observer.getSnapshot().status).toBe('pending');
    expect(observer.getSnapshot().data).toBeUndefined();
    fast.setException(new Error('newer failed'));
    await macrotask();
    expect(observer.getSnapshot().status).toBe('rejected');
    expect((observer.getSnapshot().error as Error).message).toBe('newer failed');
  });

  it('observing the Future it already follows changes nothing', () => {
    const observer = new FutureObserver<number>();
    const future = new Future<number>();
    const { seen } = record(observer);
    observer.observe(future);
    observer.observe(future);
    expect(seen).toHaveLength(1);
    expect(observer.future).toBe(future);
  });

  it('keeps data while a keepData run is pending and when it fails, and clears it otherwise', async () => {
    const observer = new FutureObserver<number>();
    observer.run(() => 1);
    const reload = new Future<number>();
    observer.run(() => reload, { keepData: true });
    expect(observer.getSnapshot()).toEqual({ status: 'pending', loading: true, data: 1, error: undefined });
    const error = new Error('reload failed');
    reload.setException(error);
    await microtask();
    expect(observer.getSnapshot()).toEqual({ status: 'rejected', loading: false, data: 1, error });
    observer.run(() => new Future<number>());
    expect(observer.getSnapshot().data).toBeUndefined();
    observer.detach();
  });

  it('cancel() cancels the pending run, shows cancelled at once and drops what follows', async () => {
    const observer = new FutureObserver<number>();
    const future = new Future<number>();
    observer.observe(future);
    expect(observer.cancel()).toBe(true);
    expect(future.cancelled()).toBe(true);
    expect(observer.getSnapshot()).toEqual({
      status: 'cancelled',
      loading: false,
      data: undefined,
      error: undefined,
    });
    expect(observer.future).toBeUndefined();
    expect(observer.cancel()).toBe(false);
    observer.run(() => 2);
    expect(observer.cancel()).toBe(false); // nothing pending
    expect(observer.getSnapshot().status).toBe('fulfilled');
  });

  it('shows cancelled when the Future it follows is cancelled by someone else', async () => {
    const observer = new FutureObserver<number>();
    const future = observer.run(() => new Future<number>());
    future.cancel();
    await microtask();
    expect(observer.getSnapshot().status).toBe('cancelled');
    expect(() => future.result()).toThrow(CancelledError);
  });

  it('detach() keeps the snapshot, cancels an owned run, spares an observed one and stops notifying', async () => {
    const observer = new FutureObserver<number>();
    const owned = observer.run(() => new Future<number>());
    const { seen } = record(observer);
    const before = observer.getSnapshot();
    observer.detach();
    expect(owned.cancelled()).toBe(true);
    expect(observer.getSnapshot()).toBe(before);
    const foreign = new Future<number>();
    observer.observe(foreign);
    observer.detach();
    foreign.setResult(1);
    await macrotask();
    expect(foreign.cancelled()).toBe(false);
    expect(observer.getSnapshot()).toBe(before);
    expect(seen).toHaveLength(0);
  });

  it('reset() detaches and goes back to idle or pending', () => {
    const observer = new FutureObserver<number>();
    const run = observer.run(() => new Future<number>());
    observer.reset();
    expect(run.cancelled()).toBe(true);
    expect(observer.getSnapshot().status).toBe('idle');
    observer.reset('pending');
    expect(observer.getSnapshot().loading).toBe(true);
  });

  it('stops calling a listener once it unsubscribes', () => {
    const observer = new FutureObserver<number>();
    const { seen, stop } = record(observer);
    observer.run(() => 1);
    stop();
    observer.run(() => 2);
    expect(seen.map((s) => s.data)).toEqual([1]);
  });

  it('logs a throwing listener and still calls the others', () => {
    const logs = captureLogs();
    const observer = new FutureObserver<number>();
    const error = new Error('listener broke');
    observer.subscribe(() => {
      throw error;
    });
    const { seen } = record(observer);
    observer.run(() => 1);
    expect(seen).toHaveLength(1);
    expect(logs).toEqual([['Exception in a FutureObserver listener', [error]]]);
  });

  it('cancels a coroutine run so that its finally block runs', () => {
    const observer = new FutureObserver<string>();
    const events: string[] = [];
    const body = coroutine(function* () {
      try {
        events.push('start');
        yield new Future<void>();
        events.push('unreachable');
        return 'x';
      } finally {
        events.push('finally');
      }
    });
    const future = observer.run(() => body());
    observer.run(() => 'next');
    expect(events).toEqual(['start', 'finally']);
    expect(future.cancelled()).toBe(true);
    expect(observer.getSnapshot().data).toBe('next');
  });

  it('logs a replaced coroutine run whose cleanup throws', async () => {
    const logs = captureLogs();
    const observer = new FutureObserver<string>();
    const error = new Error('cleanup failed');
    const body = coroutine(function* () {
      try {
        yield new Future<void>();
        return 'x';
      } finally {
        yield sleep(1);
        // biome-ignore lint/correctness/noUnsafeFinally: the test needs a cleanup that fails.
        throw error;
      }
    });
    const future = observer.run(() => body());
    observer.detach();
    expect(future.done()).toBe(false); // the cleanup is still sleeping
    await sleep(30);
    expect(future.exception()).toBe(error);
    expect(logs).toEqual([['A cancelled run failed while cleaning up', [error]]]);
    expect(observer.getSnapshot().status).toBe('pending'); // detached: the snapshot did not move
  });

  it('never lets a slow earlier coroutine overwrite a newer result on the real loop', async () => {
    const observer = new FutureObserver<string>();
    const finished: string[] = [];
    const events: string[] = [];
    const body = coroutine(function* (name: string, ms: number) {
      try {
        yield sleep(ms);
        finished.push(name);
        return name;
      } finally {
        events.push(`finally ${name}`);
      }
    });
    const start = performance.now();
    const slow = observer.run(() => body('slow', 120));
    const fast = observer.run(() => body('fast', 20));
    expect(slow.cancelled()).toBe(true);
    expect(events).toEqual(['finally slow']);
    expect(await fast).toBe('fast');
    expect(performance.now() - start).toBeGreaterThanOrEqual(19);
    expect(observer.getSnapshot()).toEqual({
      status: 'fulfilled',
      loading: false,
      data: 'fast',
      error: undefined,
    });
    await sleep(150);
    expect(finished).toEqual(['fast']);
    expect(observer.getSnapshot().data).toBe('fast');
  });

  it('stays pending for as long as the run sleeps on the real loop', async () => {
    const observer = new FutureObserver<number>();
    const { seen } = record(observer);
    const start = performance.now();
    const future = observer.run(() => sleep(40).then(() => 1));
    await sleep(10);
    expect(observer.getSnapshot().status).toBe('pending');
    await future;
    await microtask();
    expect(performance.now() - start).toBeGreaterThanOrEqual(39);
    expect(seen.map((s) => s.status)).toEqual(['pending', 'fulfilled']);
  });
});
