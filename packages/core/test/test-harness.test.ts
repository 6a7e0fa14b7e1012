import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The project's promise: a test file that leaks a handle or drops a rejection fails the run. These tests
// run vitest on small fixture files in a child process and check that it really fails them.
const fixtures = fileURLToPath(new URL('../../../tools/fixtures/', import.meta.url));

function runFixture(name: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, ['../../node_modules/vitest/vitest.mjs', 'run', name], {
    cwd: fixtures,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' },
    timeout: 60_000,
  });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

describe('test harness', () => {
  it('fails a test file that leaves a timer armed', () => {
    const { status, output } = runFixture('leaky-timer.fixture.ts');
    expect(status).not.toBe(0);
    expect(output).toMatch(/left handles open after it finished: 1 × Timeout/);
  });

  it('fails a run with an unhandled rejection', () => {
    const { status, output } = runFixture('unhandled-rejection.fixture.ts');
    expect(status).not.toBe(0);
    expect(output).toMatch(/nobody handles me/);
  });

  it('passes a test file that cleans up', () => {
    const { status, output } = runFixture('clean.fixture.ts');
    expect(output).toMatch(/1 passed/);
    expect(status).toBe(0);
  });
});
