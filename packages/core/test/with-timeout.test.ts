import {
  CancelledError,
  currentLoop,
  Future,
  isTimeoutError,
  type Logger,
  setLogger,
  sleep,
  TimeoutError,
  withTimeout,
} from '@gust/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

class QuietError extends Error {}

describe('withTimeout', () => {
  let logs: string[] = [];
  let previous: Logger;
  beforeEach(() => {
    logs = [];
    const record = (message: string, ...details: unknown[]) =>
      logs.push(`${message}: ${(details[0] as Error)?.message}`);
    previous = setLogger({ error: record, warn: record, info: record, debug: record });
  });
  afterEach(() => {
    setLogger(previous);
  });

  it('passes the result through when the future finishes in time', async () => {
    expect(
      await withTimeout(
        1000,
        sleep(5).then(() => 'in time'),
      ),
    ).toBe('in time');
  });

  it('passes a failure through when the future fails in time', async () => {
    await expect(withTimeout(1000, Future.reject(new Error('inner failure')))).rejects.toThrow(
      'inner failure',
    );
  });

  it('fails with TimeoutError after the timeout and leaves the inner future pending', async () => {
    const inner = new Future<number>();
    const started = performance.now();
    const f = withTimeout(20, inner);
    const error = await f.catch((e) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(isTimeoutError(error)).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(19);
    expect(inner.done()).toBe(false);
    inner.cancel();
  });

  it('accepts an absolute { deadline } on the loop clock', async () => {
    const inner = new Future<number>();
    const f = withTimeout({ deadline: currentLoop().time() + 10 }, inner);
    await expect(f).rejects.toBeInstanceOf(TimeoutError);
    inner.cancel();
  });

  it('cancels the inner future on timeout only with { cancel: true }', async () => {
    const inner = new Future<number>();
    await expect(withTimeout(5, inner, { cancel: true })).rejects.toBeInstanceOf(TimeoutError);
    expect(inner.cancelled()).toBe(true);
  });

  it('logs a failure of the inner future after the timeout, unless it is quiet', async () => {
    const inner = new Future<number>();
    await expect(withTimeout(5, inner)).rejects.toBeInstanceOf(TimeoutError);
    inner.setException(new Error('too late'));
    await sleep(1);
    expect(logs).toEqual(['Exception in Future after timeout: too late']);

    const quiet = new Future<number>();
    await expect(withTimeout(5, quiet, { quietExceptions: QuietError })).rejects.toBeInstanceOf(TimeoutError);
    quiet.setException(new QuietError('quiet'));
    await sleep(1);
    expect(logs).toHaveLength(1);
  });

  it('cancelling the returned future cancels the inner one and clears the timer', async () => {
    const inner = new Future<number>();
    const f = withTimeout(60_000, inner);
    f.cancel();
    expect(inner.cancelled()).toBe(true);
    await expect(f).rejects.toBeInstanceOf(CancelledError);
    // The setup file's leak check fails this file if the 60 s timer is still armed.
  });

  it('clears its timer when the inner future finishes first', async () => {
    await withTimeout(60_000, sleep(1));
  });

  it('wraps thenables', async () => {
    expect(await withTimeout(1000, Promise.resolve(7))).toBe(7);
  });

  it('rejects a bad timeout with a clear TypeError', () => {
    expect(() => withTimeout(Number.NaN, new Future())).toThrow(/NaN/);
    expect(() => withTimeout({} as never, new Future())).toThrow(/deadline/);
  });
});
