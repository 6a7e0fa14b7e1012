// @gust/core — the public API. What this file does not export is private.

export { Condition } from './condition.js';
export type { Yieldable } from './convert-yielded.js';
export { convertYielded, isPlainObject, registerYieldable } from './convert-yielded.js';
export type { CoroutineBody } from './coroutine.js';
export { coroutine, runGenerator } from './coroutine.js';
export type { GustErrorOptions } from './errors.js';
export {
  BadYieldError,
  CancelledError,
  defineErrorBrand,
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
} from './errors.js';
export { Event } from './event.js';
export type { DoneCallback, FutureOptions, FutureStatus } from './future.js';
export {
  chainFuture,
  Future,
  futureAddDoneCallback,
  futureSetExceptionUnlessCancelled,
  futureSetResultUnlessCancelled,
  isFuture,
} from './future.js';
export { LifoQueue } from './lifo-queue.js';
export { Lock } from './lock.js';
export type { Logger } from './logger.js';
export { logger, setLogger } from './logger.js';
export type { Loop, Timeout, TimerHandle } from './loop.js';
export { currentLoop, MAX_TIMER_DELAY, PortableLoop, setCurrentLoop, timeoutToDelay } from './loop.js';
export type { Moment } from './moment.js';
export { isMoment, moment } from './moment.js';
export type { MultiOptions, MultiResult, QuietExceptions } from './multi.js';
export { multi } from './multi.js';
export { isBrowserMainThread, isNode, isWebWorker } from './platform.js';
export type { Comparator } from './priority-queue.js';
export { PriorityQueue } from './priority-queue.js';
export type { QueueStore } from './queue.js';
export { Queue } from './queue.js';
export type { GuardedBody, Releaser } from './releaser.js';
export { Return } from './return.js';
export { CoroutineFuture, setSyncStepBudget } from './runner.js';
export { BoundedSemaphore, Semaphore } from './semaphore.js';
export { sleep } from './sleep.js';
export { WaitIterator } from './wait-iterator.js';
export type { WithTimeoutOptions } from './with-timeout.js';
export { withTimeout } from './with-timeout.js';
