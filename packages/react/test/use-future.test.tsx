// biome-ignore-all lint/correctness/noComponentHookFactories: tests build small components around each case.
import { CancelledError, Future, type FutureFactory, sleep } from '@gust/core';
import { useFuture } from '@gust/react';
import { act, cleanup, render, screen } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';

interface Render {
  id?: number;
  status: string;
  data: unknown;
  error: unknown;
}

/** A component that records what each of its renders showed. */
function makeProbe<T>(renders: Render[], factory: (id: number) => FutureFactory<T> | Future<T>) {
  let reload: (() => Future<T>) | undefined;
  function Probe({ id }: { id: number }) {
    const state = useFuture<T>(factory(id), [id]);
    reload = state.reload;
    renders.push({ id, status: state.status, data: state.data, error: state.error });
    return (
      <p>{state.loading ? 'loading' : state.error ? `error: ${String(state.error)}` : String(state.data)}</p>
    );
  }
  return { Probe, reload: () => reload!() };
}

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('useFuture', () => {
  it('shows the loading state, then the data, in exactly two renders', async () => {
    const renders: Render[] = [];
    const future = new Future<string>();
    const { Probe } = makeProbe(renders, () => () => future);
    render(<Probe id={1} />);
    expect(screen.getByText('loading')).toBeTruthy();
    await act(async () => future.setResult('hello'));
    expect(screen.getByText('hello')).toBeTruthy();
    expect(renders.map((r) => [r.status, r.data])).toEqual([
      ['pending', undefined],
      ['fulfilled', 'hello'],
    ]);
  });

  it('shows the loading state, then the exact error', async () => {
    const renders: Render[] = [];
    const future = new Future<string>();
    const { Probe } = makeProbe(renders, () => () => future);
    render(<Probe id={1} />);
    const error = new TypeError('no such user');
    await act(async () => future.setException(error));
    expect(screen.getByText('error: TypeError: no such user')).toBeTruthy();
    expect(renders.at(-1)).toEqual({ id: 1, status: 'rejected', data: undefined, error });
  });

  it('renders a done Future at once, without a loading state', () => {
    const renders: Render[] = [];
    const { Probe } = makeProbe(renders, () => Future.resolve('ready'));
    render(<Probe id={1} />);
    expect(screen.getByText('ready')).toBeTruthy();
    expect(renders.map((r) => r.status)).toEqual(['fulfilled']);
  });

  it('observes a Future passed directly and never cancels it', async () => {
    const renders: Render[] = [];
    const future = new Future<string>();
    const { Probe } = makeProbe(renders, () => future);
    const { unmount } = render(<Probe id={1} />);
    expect(screen.getByText('loading')).toBeTruthy();
    unmount();
    expect(future.cancelled()).toBe(false);
    future.setResult('late');
    await act(() => sleep(5));
    expect(renders.map((r) => r.status)).toEqual(['pending']);
  });

  it('shows the new Future when a directly passed Future changes', async () => {
    const renders: Render[] = [];
    const futures = [Future.resolve('one'), new Future<string>()];
    const { Probe } = makeProbe(renders, (id) => futures[id]!);
    const { rerender } = render(<Probe id={0} />);
    expect(screen.getByText('one')).toBeTruthy();
    rerender(<Probe id={1} />);
    expect(screen.getByText('loading')).toBeTruthy();
    expect(renders.filter((r) => r.id === 1).every((r) => r.data === undefined)).toBe(true);
    await act(async () => futures[1]!.setResult('two'));
    expect(screen.getByText('two')).toBeTruthy();
  });

  it('cancels the factory Future on unmount and renders nothing afterwards', async () => {
    const renders: Render[] = [];
    const future = new Future<string>();
    const { Probe } = makeProbe(renders, () => () => future);
    const errors = vi.spyOn(console, 'error');
    const { unmount } = render(<Probe id={1} />);
    unmount();
    expect(future.cancelled()).toBe(true);
    await act(() => sleep(5));
    expect(renders).toHaveLength(1);
    expect(errors).not.toHaveBeenCalled();
  });

  it('drops the result of the previous deps when it arrives after the new one', async () => {
    const renders: Render[] = [];
    const resolvers = new Map<number, (value: string) => void>();
    // Promises ignore cancellation: the first one really resolves after the second.
    const { Probe } = makeProbe(
      renders,
      (id) => () => new Promise<string>((resolve) => resolvers.set(id, resolve)),
    );
    const { rerender } = render(<Probe id={1} />);
    rerender(<Probe id={2} />);
    await act(async () => resolvers.get(2)!('user 2'));
    expect(screen.getByText('user 2')).toBeTruthy();
    await act(async () => resolvers.get(1)!('user 1'));
    await act(() => sleep(5));
    expect(screen.getByText('user 2')).toBeTruthy();
    expect(renders.some((r) => r.data === 'user 1')).toBe(false);
  });

  it('cancels the Future of the previous deps when the deps change', () => {
    const renders: Render[] = [];
    const futures = new Map<number, Future<string>>();
    const { Probe } = makeProbe(renders, (id) => () => {
      const future = new Future<string>();
      futures.set(id, future);
      return future;
    });
    const { rerender } = render(<Probe id={1} />);
    rerender(<Probe id={2} />);
    expect(futures.get(1)!.cancelled()).toBe(true);
    expect(futures.get(2)!.done()).toBe(false);
  });

  it('never renders the old result with the new deps, even before the new run starts', async () => {
    const renders: Render[] = [];
    const results = new Map<number, Future<string>>([
      [1, Future.resolve('user 1')],
      [2, new Future<string>()],
    ]);
    const { Probe } = makeProbe(renders, (id) => () => results.get(id)!);
    const { rerender } = render(<Probe id={1} />);
    expect(screen.getByText('user 1')).toBeTruthy();
    rerender(<Probe id={2} />);
    expect(screen.getByText('loading')).toBeTruthy();
    const withNewDeps = renders.filter((r) => r.id === 2);
    expect(withNewDeps.length).toBeGreaterThan(0);
    expect(withNewDeps.every((r) => r.status === 'pending' && r.data === undefined)).toBe(true);
    await act(async () => results.get(2)!.setResult('user 2'));
    expect(screen.getByText('user 2')).toBeTruthy();
  });

  it('lets a slow earlier request never overwrite a newer one on the real loop', async () => {
    const renders: Render[] = [];
    const delays = new Map([
      [1, 120],
      [2, 10],
    ]);
    // Promises are not cancellable: the slow one really resolves late, and only the stale check drops it.
    const { Probe } = makeProbe(
      renders,
      (id) => () => new Promise<string>((resolve) => setTimeout(() => resolve(`user ${id}`), delays.get(id))),
    );
    const { rerender } = render(<Probe id={1} />);
    rerender(<Probe id={2} />);
    expect(await screen.findByText('user 2')).toBeTruthy();
    await act(() => sleep(160));
    expect(screen.getByText('user 2')).toBeTruthy();
    expect(renders.some((r) => r.data === 'user 1')).toBe(false);
  });

  it('reload() cancels the run in flight and keeps the data until the new result', async () => {
    const renders: Render[] = [];
    const made: Array<Future<string>> = [];
    const { Probe, reload } = makeProbe(renders, () => () => {
      const future = made.length === 0 ? Future.resolve('v1') : new Future<string>();
      made.push(future);
      return future;
    });
    render(<Probe id={1} />);
    expect(screen.getByText('v1')).toBeTruthy();
    let second!: Future<string>;
    act(() => {
      second = reload();
    });
    expect(renders.at(-1)).toEqual({ id: 1, status: 'pending', data: 'v1', error: undefined });
    act(() => {
      reload();
    });
    expect(second.cancelled()).toBe(true);
    await act(async () => made[2]!.setResult('v3'));
    expect(screen.getByText('v3')).toBeTruthy();
    expect(made).toHaveLength(3);
  });

  it('reload() after unmount starts nothing and returns a cancelled Future', () => {
    const renders: Render[] = [];
    const factory = vi.fn(() => Future.resolve('x'));
    const { Probe, reload } = makeProbe(renders, () => factory);
    const { unmount } = render(<Probe id={1} />);
    unmount();
    const future = reload();
    expect(future.cancelled()).toBe(true);
    expect(() => future.result()).toThrow(CancelledError);
    expect(factory).toHaveBeenCalledTimes(1);
  });

  it('keeps exactly one live run under StrictMode', async () => {
    const renders: Render[] = [];
    const made: Array<Future<string>> = [];
    const { Probe } = makeProbe(renders, () => () => {
      const future = new Future<string>();
      made.push(future);
      return future;
    });
    render(
      <StrictMode>
        <Probe id={1} />
      </StrictMode>,
    );
    // mount → simulated unmount → mount: the first run is cancelled, the second one is live.
    expect(made).toHaveLength(2);
    expect(made[0]!.cancelled()).toBe(true);
    expect(made[1]!.cancelled()).toBe(false);
    await act(async () => made[1]!.setResult('strict'));
    expect(screen.getByText('strict')).toBeTruthy();
  });
});
