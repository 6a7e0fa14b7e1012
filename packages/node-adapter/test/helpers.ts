import { type Logger, setLogger } from '@gust/core';

export interface LogEntry {
  level: keyof Logger;
  message: string;
  details: unknown[];
}

/** Routes core's logger into an array until `restore()`. */
export function captureLogs(): { entries: LogEntry[]; restore: () => void } {
  const entries: LogEntry[] = [];
  const record =
    (level: keyof Logger) =>
    (message: string, ...details: unknown[]): void => {
      entries.push({ level, message, details });
    };
  const previous = setLogger({
    error: record('error'),
    warn: record('warn'),
    info: record('info'),
    debug: record('debug'),
  });
  return { entries, restore: () => setLogger(previous) };
}

/** Resolves once `condition()` is true; polls with real timers. */
export function waitFor(condition: () => boolean, ms = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const poll = (): void => {
      if (condition()) resolve();
      else if (Date.now() - start > ms) reject(new Error(`condition not met within ${ms} ms`));
      else setTimeout(poll, 2);
    };
    poll();
  });
}

/** Blocks the thread for `ms` milliseconds. */
export function busyWait(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Counts of the resource types `process.getActiveResourcesInfo()` reports. */
export function activeResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

/** Resource types with more entries now than in `before`. */
export function resourcesAddedSince(before: Map<string, number>): string[] {
  const added: string[] = [];
  for (const [type, n] of activeResources()) {
    const extra = n - (before.get(type) ?? 0);
    if (extra > 0) added.push(`${extra} × ${type}`);
  }
  return added;
}
