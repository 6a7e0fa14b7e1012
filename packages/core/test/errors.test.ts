import {
  BadYieldError,
  CancelledError,
  GustError,
  InvalidStateError,
  isBadYieldError,
  isCancelledError,
  isGustError,
  isInvalidStateError,
  isQueueEmptyError,
  isQueueFullError,
  isTimeoutError,
  QueueEmpty,
  QueueFull,
  TimeoutError,
} from '@gust/core';
import { describe, expect, it } from 'vitest';

const cases = [
  [CancelledError, isCancelledError, 'CancelledError'],
  [InvalidStateError, isInvalidStateError, 'InvalidStateError'],
  [TimeoutError, isTimeoutError, 'TimeoutError'],
  [BadYieldError, isBadYieldError, 'BadYieldError'],
  [QueueEmpty, isQueueEmptyError, 'QueueEmpty'],
  [QueueFull, isQueueFullError, 'QueueFull'],
] as const;

describe('errors', () => {
  it.each(cases)('%o has a stable name, keeps its cause and derives from GustError', (Ctor, guard, name) => {
    const cause = new Error('root cause');
    const error = new Ctor('message', { cause });
    expect(error.name).toBe(name);
    expect(error.message).toBe('message');
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(GustError);
    expect(error).toBeInstanceOf(Error);
    expect(guard(error)).toBe(true);
    expect(isGustError(error)).toBe(true);
  });

  it('guards do not confuse sibling classes or plain errors', () => {
    expect(isTimeoutError(new CancelledError())).toBe(false);
    expect(isCancelledError(new Error('CancelledError'))).toBe(false);
    expect(isGustError({ name: 'GustError' })).toBe(false);
    expect(isGustError(null)).toBe(false);
  });

  it('guards recognise errors from another copy of the package by their brand', () => {
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('gust.TimeoutError')]: true,
      [Symbol.for('gust.GustError')]: true,
    });
    expect(isTimeoutError(foreign)).toBe(true);
    expect(isGustError(foreign)).toBe(true);
    expect(foreign instanceof TimeoutError).toBe(false);
  });

  it('has default messages that say what happened', () => {
    expect(new CancelledError().message).toBe('The operation was cancelled');
    expect(new QueueEmpty().message).toBe('The queue is empty');
    expect(new QueueFull().message).toBe('The queue is full');
  });
});
