// biome-ignore-all lint/correctness/noComponentHookFactories: tests build small components around each case.
import { CancelledError, Future, sleep } from '@gust/core';
import { useFutureSuspense } from '@gust/react';
import { act, cleanup, render, screen } from '@testing-library/react';
import { Component, type ReactNode, Suspense, use } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

class Boundary extends Component<{ children: ReactNode; caught: unknown[] }, { error: unknown }> {
  override state = { error: undefined as unknown };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  override componentDidCatch(error: unknown) {
    this.props.caught.push(error);
  }
  override render() {
    return this.state.error === undefined ? this.props.children : <p>boundary: {String(this.state.error)}</p>;
  }
}

type Reader = <T>(future: Future<T>) => T;

const readers: Array<[string, Reader]> = [
  ['useFutureSuspense', useFutureSuspense],
  ['use (React 19)', use as Reader],
];

function setup(read: Reader, future: Future<string>) {
  const caught: unknown[] = [];
  const log: string[] = [];
  function Fallback() {
    log.push('fallback');
    return <p>loading</p>;
  }
  function Reads() {
    const value = read(future);
    log.push(`value ${value}`);
    return <p>value: {value}</p>;
  }
  const ui = (
    <Boundary caught={caught}>
      <Suspense fallback={<Fallback />}>
        <Reads />
      </Suspense>
    </Boundary>
  );
  return { ui, caught, log };
}

afterEach(() => {
  cleanup();
});

// React 19's act() keeps a component that suspended inside a synchronous act() from retrying: render
// inside an awaited act, as React's docs ask for components that suspend.
async function mount(ui: ReactNode): Promise<void> {
  await act(async () => {
    render(ui);
  });
}

describe.each(readers)('%s', (_name, read) => {
  // React reports errors that reach a boundary on console.error; keep the output clean.
  beforeEach(() => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    return () => vi.restoreAllMocks();
  });

  it('suspends while the Future is pending, then renders its result', async () => {
    const future = new Future<string>();
    const { ui, log } = setup(read, future);
    await mount(ui);
    expect(screen.getByText('loading')).toBeTruthy();
    await act(async () => future.setResult('ready'));
    expect(screen.getByText('value: ready')).toBeTruthy();
    expect(log[0]).toBe('fallback');
    expect(log.at(-1)).toBe('value ready');
  });

  it('renders a done Future without suspending', async () => {
    const { ui, log } = setup(read, Future.resolve('at once'));
    await mount(ui);
    expect(screen.getByText('value: at once')).toBeTruthy();
    expect(log).not.toContain('fallback');
  });

  it('resumes when a Future settles on a later turn of the real loop', async () => {
    const started = performance.now();
    const future = sleep(30).then(() => 'slept');
    const { ui, log } = setup(read, future);
    await mount(ui); // renders synchronously: the timer cannot have fired yet
    expect(await screen.findByText('value: slept')).toBeTruthy();
    expect(performance.now() - started).toBeGreaterThanOrEqual(29);
    expect(log[0]).toBe('fallback');
    expect(log.at(-1)).toBe('value slept');
  });

  it('throws the exact error of a rejected Future to the error boundary', async () => {
    const future = new Future<string>();
    const { ui, caught } = setup(read, future);
    await mount(ui);
    const error = new TypeError('fetch failed');
    await act(async () => future.setException(error));
    expect(screen.getByText('boundary: TypeError: fetch failed')).toBeTruthy();
    expect(caught).toEqual([error]);
  });

  it('throws a CancelledError to the error boundary when the Future is cancelled', async () => {
    const future = new Future<string>();
    const { ui, caught } = setup(read, future);
    await mount(ui);
    await act(async () => {
      future.cancel();
    });
    expect(caught).toHaveLength(1);
    expect(caught[0]).toBeInstanceOf(CancelledError);
    expect(screen.getByText('boundary: CancelledError: The operation was cancelled')).toBeTruthy();
  });

  it('throws the error of an already rejected Future without suspending', async () => {
    const error = new Error('already failed');
    const future = Future.reject<string>(error);
    const { ui, caught, log } = setup(read, future);
    await mount(ui);
    expect(caught).toEqual([error]);
    expect(log).not.toContain('fallback');
  });
});
