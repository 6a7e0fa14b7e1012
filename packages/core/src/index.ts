// @gust/core — the public API. What this file does not export is private.

/**
 * Tornado's asynchronous model for any JavaScript runtime: `Future`, coroutines (`coroutine`, `multi`,
 * `withTimeout`, `sleep`, `moment`, `WaitIterator`), locks and queues, and the HTTP client abstraction
 * (`AsyncHTTPClient`, the synchronous `HTTPClient`, `HTTPRequest`, `HTTPResponse`, `HTTPHeaders`).
 * Platform-neutral: no Node built-ins, no DOM.
 * @packageDocumentation
 * @module @gust/core
 */

export type { AsyncHTTPClientOptions, AsyncHTTPClientSettings, FetchOptions } from './async-http-client.js';
export { AsyncHTTPClient } from './async-http-client.js';
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
export type { FetchTransportOptions } from './fetch-transport.js';
export { FetchTransport } from './fetch-transport.js';
export type { DoneCallback, FutureOptions, FutureStatus } from './future.js';
export { Future, isFuture } from './future.js';
export {
  chainFuture,
  futureAddDoneCallback,
  futureSetExceptionUnlessCancelled,
  futureSetResultUnlessCancelled,
} from './future-helpers.js';
export type {
  FutureFactory,
  FutureObserverRunOptions,
  FutureObserverStatus,
  FutureSnapshot,
} from './future-observer.js';
export { FutureObserver } from './future-observer.js';
export type { HTTPClientOptions, SyncFetchOptions, SyncHTTPBackend } from './http-client.js';
export { HTTPClient, setSyncHTTPBackend } from './http-client.js';
export type { HTTPTimeoutErrorOptions, HTTPTimeoutPhase } from './http-errors.js';
export {
  HTTPClientError,
  HTTPStreamClosedError,
  HTTPTimeoutError,
  isHTTPClientError,
  isHTTPStreamClosedError,
  isHTTPTimeoutError,
} from './http-errors.js';
export type { HTTPHeadersInit } from './http-headers.js';
export { HTTPHeaders, trustedHeaders } from './http-headers.js';
export { HTTPRequest } from './http-request.js';
export type { BodyProducer, BodyWriter, HTTPBody, HTTPRequestOptions } from './http-request-options.js';
export type { HTTPResponseInit, HTTPTimeInfo } from './http-response.js';
export { HTTPResponse } from './http-response.js';
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
export { REDIRECT_CODES, redirectRequest, shouldFollowRedirect } from './redirect.js';
export type { GuardedBody, Releaser } from './releaser.js';
export { Return } from './return.js';
export { CoroutineFuture, setSyncStepBudget } from './runner.js';
export { BoundedSemaphore, Semaphore } from './semaphore.js';
export { sleep } from './sleep.js';
export type { ExchangeHandler, ResponseHead, Transport } from './transport.js';
export { WaitIterator } from './wait-iterator.js';
export type { WithTimeoutOptions } from './with-timeout.js';
export { withTimeout } from './with-timeout.js';
