// biome-ignore-all lint/correctness/noComponentHookFactories: tests build small components around each case.
import { CancelledError, Future, sleep } from '@gust/core';
import { type UseCoroutineResult, useCoroutine } from '@gust/react';
import { act, cleanup, render, screen } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';

interface Render {
  id: number;
  status: string;
  data: unknown;
  error: unknown;
}

type Body = (id: number, ...args: any[]) => Generator<unknown, string, any>;

/** A component running `body(id, ...args)` that records each render and exposes its controls. */
function makeProbe(renders: Render[], body: Body, manual = false) {
  const controls: { current?: UseCoroutineResult<any[], string> } = {};
  function Probe({ id }: { id: number }) {
    const state = useCoroutine(
      function* (...args: any[]) {
        return yield* body(id, ...args);
      },
      [id],
      { manual },
    );
    controls.current = state;
    renders.push({ id, status: state.status, data: state.data, error: state.error });
    return (
      <p>
        {state.status}:{state.error ? String(state.error) : String(state.data)}
      </p>
    );
  }
  return { Probe, controls: () => controls.current! };
}

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('useCoroutine', () => {
  it('starts on mount and shows pending, then the result (real loop)', async () => {
    const renders: Render[] = [];
    const started = performance.now();
    const { Probe } = makeProbe(renders, function* (id) {
      yield sleep(30);
      return `user ${id}`;
    });
    render(<Probe id={7} />);
    expect(screen.getByText('pending:undefined')).toBeTruthy();
    expect(await screen.findByText('fulfilled:user 7')).toBeTruthy();
    expect(performance.now() - started).toBeGreaterThanOrEqual(29);
    expect(renders.map((r) => r.status)).toEqual(['pending', 'fulfilled']);
  });

  it('shows the exact error a coroutine throws', async () => {
    const renders: Render[] = [];
    const error = new RangeError('out of range');
    const { Probe } = makeProbe(renders, function* () {
      yield sleep(1);
      throw error;
    });
    render(<Probe id={1} />);
    expect(await screen.findByText('rejected:RangeError: out of range')).toBeTruthy();
    expect(renders.at(-1)!.error).toBe(error);
  });

  it('cancels the running coroutine on unmount: its finally runs and its awaited Future is cancelled', async () => {
    const renders: Render[] = [];
    const events: string[] = [];
    const awaited = new Future<string>();
    const { Probe } = makeProbe(renders, function* () {
      try {
        events.push('start');
        return yield* awaited;
      } finally {
        events.push('finally');
      }
    });
    const { unmount } = render(<Probe id={1} />);
    expect(events).toEqual(['start']);
    unmount();
    expect(events).toEqual(['start', 'finally']);
    expect(awaited.cancelled()).toBe(true);
    await act(() => sleep(5));
    expect(renders).toHaveLength(1);
  });

  it('cancels the previous run on deps change and never shows its late result (real loop)', async () => {
    const renders: Render[] = [];
    const events: string[] = [];
    const { Probe } = makeProbe(renders, function* (id) {
      try {
        yield sleep(id === 1 ? 120 : 10);
        events.push(`done ${id}`);
        return `user ${id}`;
      } finally {
        events.push(`finally ${id}`);
      }
    });
    const { rerender } = render(<Probe id={1} />);
    rerender(<Probe id={2} />);
    expect(events).toEqual(['finally 1']);
    expect(await screen.findByText('fulfilled:user 2')).toBeTruthy();
    await act(() => sleep(160));
    expect(events).toEqual(['finally 1', 'done 2', 'finally 2']);
    expect(renders.some((r) => r.data === 'user 1')).toBe(false);
    expect(renders.filter((r) => r.id === 2).every((r) => r.data === undefined || r.data === 'user 2')).toBe(
      true,
    );
  });

  it('stays idle when manual until run(...args), which returns the run Future', async () => {
    const renders: Render[] = [];
    const { Probe, controls } = makeProbe(
      renders,
      function* (id, greeting: string) {
        yield sleep(1);
        return `${greeting} ${id}`;
      },
      true,
    );
    render(<Probe id={3} />);
    await act(() => sleep(10));
    expect(screen.getByText('idle:undefined')).toBeTruthy();
    let future!: Future<string>;
    act(() => {
      future = controls().run('hello');
    });
    expect(screen.getByText('pending:undefined')).toBeTruthy();
    expect(await act(() => future)).toBe('hello 3');
    expect(screen.getByText('fulfilled:hello 3')).toBeTruthy();
    expect(renders.map((r) => r.status)).toEqual(['idle', 'pending', 'fulfilled']);
  });

  it('cancels the running coroutine when run() starts a newer one', async () => {
    const renders: Render[] = [];
    const events: string[] = [];
    const { Probe, controls } = makeProbe(
      renders,
      function* (_id, name: string, ms: number) {
        try {
          yield sleep(ms);
          return name;
        } finally {
          events.push(`finally ${name}`);
        }
      },
      true,
    );
    render(<Probe id={1} />);
    let first!: Future<string>;
    let second!: Future<string>;
    act(() => {
      first = controls().run('first', 100);
      second = controls().run('second', 5);
    });
    expect(first.cancelled()).toBe(true);
    expect(events).toEqual(['finally first']);
    await act(() => second);
    expect(screen.getByText('fulfilled:second')).toBeTruthy();
  });

  it('cancel() stops the run, runs its finally and shows cancelled', async () => {
    const renders: Render[] = [];
    const events: string[] = [];
    const { Probe, controls } = makeProbe(renders, function* () {
      try {
        yield new Future<void>();
        return 'never';
      } finally {
        events.push('finally');
      }
    });
    render(<Probe id={1} />);
    let cancelled = false;
    act(() => {
      cancelled = controls().cancel();
    });
    expect(cancelled).toBe(true);
    expect(events).toEqual(['finally']);
    expect(screen.getByText('cancelled:undefined')).toBeTruthy();
    expect(controls().cancel()).toBe(false);
  });

  it('run() after unmount starts nothing and returns a cancelled Future', () => {
    const renders: Render[] = [];
    const body = vi.fn(function* () {
      yield sleep(1);
      return 'x';
    });
    const { Probe, controls } = makeProbe(renders, body, true);
    const { unmount } = render(<Probe id={1} />);
    const { run } = controls();
    unmount();
    const future = run();
    expect(future.cancelled()).toBe(true);
    expect(() => future.result()).toThrow(CancelledError);
    expect(body).not.toHaveBeenCalled();
  });

  it('goes back to idle and cancels a manual run when the deps change', () => {
    const renders: Render[] = [];
    const events: string[] = [];
    const { Probe, controls } = makeProbe(
      renders,
      function* (id) {
        try {
          yield new Future<void>();
          return `user ${id}`;
        } finally {
          events.push(`finally ${id}`);
        }
      },
      true,
    );
    const { rerender } = render(<Probe id={1} />);
    act(() => {
      controls().run();
    });
    expect(screen.getByText('pending:undefined')).toBeTruthy();
    rerender(<Probe id={2} />);
    expect(events).toEqual(['finally 1']);
    expect(screen.getByText('idle:undefined')).toBeTruthy();
    expect(renders.filter((r) => r.id === 2).every((r) => r.status === 'idle')).toBe(true);
  });

  it('starts exactly one live run under StrictMode (mount → unmount → mount)', async () => {
    const renders: Render[] = [];
    const events: string[] = [];
    let started = 0;
    const { Probe } = makeProbe(renders, function* () {
      const run = ++started;
      try {
        yield sleep(20);
        events.push(`done ${run}`);
        return `run ${run}`;
      } finally {
        events.push(`finally ${run}`);
      }
    });
    render(
      <StrictMode>
        <Probe id={1} />
      </StrictMode>,
    );
    expect(started).toBe(2);
    expect(events).toEqual(['finally 1']); // the first mount's run was cancelled at once
    expect(await screen.findByText('fulfilled:run 2')).toBeTruthy();
    await act(() => sleep(40));
    expect(events).toEqual(['finally 1', 'done 2', 'finally 2']);
  });

  it('stays idle under StrictMode when manual', async () => {
    const renders: Render[] = [];
    const body = vi.fn(function* () {
      yield sleep(1);
      return 'x';
    });
    const { Probe } = makeProbe(renders, body, true);
    render(
      <StrictMode>
        <Probe id={1} />
      </StrictMode>,
    );
    await act(() => sleep(5));
    expect(body).not.toHaveBeenCalled();
    expect(screen.getByText('idle:undefined')).toBeTruthy();
  });
});
