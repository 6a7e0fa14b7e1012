import { CancelledError, coroutine, Future } from '@gust/core';
import { defineTask, type Executor, IOLoop, runOnExecutor, ThreadPoolExecutor } from '@gust/node-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import type * as tasks from './fixtures/tasks.mjs';
import { waitFor } from './helpers.ts';

const fixtures = new URL('./fixtures/tasks.mjs', import.meta.url);
const add = defineTask<typeof tasks.add>(fixtures, 'add');
const addLater = defineTask<typeof tasks.addLater>(fixtures, 'addLater');
const fail = defineTask<typeof tasks.fail>(fixtures, 'fail');
const rendezvous = defineTask<typeof tasks.rendezvous>(fixtures, 'rendezvous');
const block = defineTask<typeof tasks.block>(fixtures, 'block');
const mark = defineTask<typeof tasks.mark>(fixtures, 'mark');

const cleanups: Array<() => PromiseLike<unknown>> = [];
function executor(maxWorkers: number): ThreadPoolExecutor {
  const e = new ThreadPoolExecutor({ maxWorkers });
  cleanups.push(() => e.shutdown({ cancelFutures: true }));
  return e;
}
function newLoop(): IOLoop {
  const loop = new IOLoop();
  cleanups.push(() => loop.close());
  return loop;
}

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const shared = (slots: number): Int32Array => new Int32Array(new SharedArrayBuffer(4 * slots));
const release = (array: Int32Array, index: number): void => {
  Atomics.store(array, index, 1);
  Atomics.notify(array, index);
};

describe('defineTask', () => {
  it('names a task by file URL and export, from a URL, a file: string or an absolute path', () => {
    expect(defineTask(fixtures, 'add')).toMatchObject({ url: fixtures.href, name: 'add' });
    expect(defineTask(fixtures.href).name).toBe('default');
    expect(defineTask(fixtures.pathname, 'add').url).toBe(fixtures.href);
  });

  it('throws a TypeError for a relative path, a non-file URL or an empty export name', () => {
    expect(() => defineTask('./tasks.mjs', 'add')).toThrow(
      new TypeError(
        'defineTask needs the task module as a file: URL or an absolute path, got "./tasks.mjs"; ' +
          "use new URL('./task.js', import.meta.url)",
      ),
    );
    expect(() => defineTask(new URL('https://example.com/task.js'))).toThrow(
      new TypeError('defineTask needs a file: URL for the task module, got https://example.com/task.js'),
    );
    expect(() => defineTask(fixtures, '')).toThrow(TypeError);
  });
});

describe('ThreadPoolExecutor', () => {
  it('runs a task on a worker with its arguments spread, and awaits an async task', async () => {
    const pool = executor(2);
    expect(await pool.submit(add, 2, 3)).toBe(5);
    expect(await pool.submit(addLater, 4, 5)).toBe(9);
  });

  it('rejects with the worker error: name, message, code, cause and the stack of the task module', async () => {
    const pool = executor(1);
    const error = (await pool.submit(fail, 'it broke').then(
      () => undefined,
      (e: unknown) => e,
    )) as Error & { code?: string };
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('TaskError');
    expect(error.message).toBe('it broke');
    expect(error.code).toBe('E_TASK');
    expect(error.cause).toBeInstanceOf(TypeError);
    expect((error.cause as Error).message).toBe('the cause');
    expect(error.stack).toContain('TaskError: it broke');
    expect(error.stack).toContain('fixtures/tasks.mjs');
  });

  it('rejects with a TypeError naming the export when the module has no such function', async () => {
    const pool = executor(1);
    await expect(pool.submit(defineTask(fixtures, 'notAFunction'))).rejects.toThrow(
      new TypeError(`task module ${fixtures.href} has no exported function "notAFunction" (found number)`),
    );
    await expect(pool.submit(defineTask(fixtures, 'missing'))).rejects.toThrow('(found undefined)');
  });

  it('runs tasks in parallel: two tasks that each wait for the other both finish', async () => {
    const pool = executor(2);
    const slots = shared(2);
    const [a, b] = await Promise.all([
      pool.submit(rendezvous, slots, 0, 1, 5000),
      pool.submit(rendezvous, slots, 1, 0, 5000),
    ]);
    expect([a, b]).toEqual([true, true]);
  });

  it('runs no more than maxWorkers tasks at once: with one worker the second task waits', async () => {
    const pool = executor(1);
    const slots = shared(2);
    const [a, b] = await Promise.all([
      pool.submit(rendezvous, slots, 0, 1, 150),
      pool.submit(rendezvous, slots, 1, 0, 150),
    ]);
    expect([a, b]).toEqual([false, true]);
  });

  it('drops a queued task whose Future is cancelled: it never runs', async () => {
    const pool = executor(1);
    const slots = shared(4); // 0: started, 1: gate, 2: ran, 3: later task
    const first = pool.submit(block, slots, 0, 1);
    const queued = pool.submit(mark, slots, 2);
    await waitFor(() => Atomics.load(slots, 0) === 1);
    expect(queued.cancel()).toBe(true);
    release(slots, 1);
    expect(await first).toBe(1);
    expect(await pool.submit(mark, slots, 3)).toBe(1);
    expect(Atomics.load(slots, 2)).toBe(0);
    await expect(queued).rejects.toBeInstanceOf(CancelledError);
  });

  it('terminates the worker of a running task whose Future is cancelled, and keeps serving', async () => {
    const pool = executor(1);
    const slots = shared(2);
    const running = pool.submit(block, slots, 0, 1);
    await waitFor(() => Atomics.load(slots, 0) === 1);
    running.cancel();
    expect(running.cancelled()).toBe(true);
    expect(await pool.submit(add, 1, 1)).toBe(2);
  });

  it('cancels the task a cancelled coroutine waits on', async () => {
    const pool = executor(1);
    const slots = shared(4);
    const steps: string[] = [];
    const first = pool.submit(block, slots, 0, 1);
    const body = coroutine(function* () {
      try {
        yield pool.submit(mark, slots, 2);
        steps.push('resumed');
      } finally {
        steps.push('finally');
      }
    });
    const running = body();
    await waitFor(() => Atomics.load(slots, 0) === 1);
    running.cancel();
    release(slots, 1);
    await first;
    await pool.submit(mark, slots, 3);
    expect(steps).toEqual(['finally']);
    expect(Atomics.load(slots, 2)).toBe(0);
    expect(running.cancelled()).toBe(true);
  });

  it('shutdown() lets submitted tasks finish, then refuses new ones; calling it again is the same', async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const slots = shared(2);
    const running = pool.submit(block, slots, 0, 1);
    await waitFor(() => Atomics.load(slots, 0) === 1);
    const done = pool.shutdown();
    expect(pool.shutdown()).toBe(done);
    await expect(pool.submit(add, 1, 2)).rejects.toThrow(
      'ThreadPoolExecutor is shut down: it cannot schedule new tasks',
    );
    expect(done.done()).toBe(false);
    release(slots, 1);
    expect(await running).toBe(1);
    await done;
  });

  it('shutdown({ cancelFutures: true }) cancels running and queued tasks', async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const slots = shared(2);
    const running = pool.submit(block, slots, 0, 1);
    const queued = pool.submit(add, 1, 2);
    await waitFor(() => Atomics.load(slots, 0) === 1);
    await pool.shutdown({ cancelFutures: true });
    expect(running.cancelled()).toBe(true);
    expect(queued.cancelled()).toBe(true);
  });

  it('throws a RangeError for a bad maxWorkers and a TypeError for a task not made by defineTask', () => {
    expect(() => new ThreadPoolExecutor({ maxWorkers: 0 })).toThrow(
      new RangeError('maxWorkers must be a positive integer, got 0'),
    );
    const pool = executor(1);
    expect(() => pool.submit({ url: fixtures.href, name: 'add' } as never)).toThrow(TypeError);
  });
});

describe('IOLoop.runInExecutor', () => {
  it('runs on the given executor, or on the loop default for null', async () => {
    const loop = newLoop();
    const pool = executor(1);
    expect(await loop.runInExecutor(pool, add, 1, 2)).toBe(3);
    expect(await loop.runInExecutor(null, add, 3, 4)).toBe(7);
  });

  it('uses the executor given to setDefaultExecutor for null', async () => {
    const loop = newLoop();
    const submitted: unknown[] = [];
    const fake: Executor = {
      submit: (task, ...args) => {
        submitted.push([task.name, ...args]);
        return Future.resolve(42 as never);
      },
      shutdown: () => Future.resolve(),
    };
    loop.setDefaultExecutor(fake);
    expect(await loop.runInExecutor(null, add, 1, 2)).toBe(42);
    expect(submitted).toEqual([['add', 1, 2]]);
  });

  it('rejects once the loop is closed', async () => {
    const loop = newLoop();
    await loop.close();
    await expect(loop.runInExecutor(null, add, 1, 2)).rejects.toThrow(
      'IOLoop is closed: runInExecutor cannot submit new tasks',
    );
  });
});

describe('runOnExecutor', () => {
  it('runs on this.executor when called as a method, as Tornado looks up self.executor', async () => {
    const pool = executor(1);
    const calls: string[] = [];
    const spy: Executor = {
      submit: (task, ...args) => {
        calls.push(task.name);
        return pool.submit(task, ...args);
      },
      shutdown: () => pool.shutdown(),
    };
    class Service {
      executor = spy;
      add = runOnExecutor(add);
    }
    expect(await new Service().add(20, 22)).toBe(42);
    expect(calls).toEqual(['add']);
  });

  it('takes an explicit executor, or a property name, and throws when the property holds none', async () => {
    const pool = executor(1);
    expect(await runOnExecutor(add, { executor: pool })(1, 1)).toBe(2);
    const service = { threadPool: pool, add: runOnExecutor(add, { executor: 'threadPool' }) };
    expect(await service.add(2, 2)).toBe(4);
    const broken = { add: runOnExecutor(add, { executor: 'threadPool' }) };
    expect(() => broken.add(1, 1)).toThrow(
      new TypeError('runOnExecutor: this.threadPool is not an executor'),
    );
  });

  it('falls back to the default executor of IOLoop.current()', async () => {
    const loop = newLoop();
    loop.makeCurrent();
    expect(await runOnExecutor(add)(5, 6)).toBe(11);
  });
});
