import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../tools/chromium.js';
import { type DemoServer, startServer } from '../src/server/server.js';
import { bundleGustForWorkers } from './helpers.js';

// End-to-end: Debian's Chromium (never a downloaded browser), driven by playwright-core, against the
// built client (`npm test` runs `vite build` first) served by the real demo server.
const CLIENT_INDEX = fileURLToPath(new URL('../dist/client/index.html', import.meta.url));

describe('the demo in Chromium', () => {
  let demo: DemoServer;
  let browser: Browser;
  let gust: Awaited<ReturnType<typeof bundleGustForWorkers>>;

  beforeAll(async () => {
    if (!existsSync(CLIENT_INDEX)) {
      throw new Error('the client is not built: run `npm run build:client` in apps/demo (npm test does it)');
    }
    gust = await bundleGustForWorkers();
    demo = await startServer({ port: 0, install: { syncHTTPClient: { gustModule: gust.gustModule } } });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
    await gust?.remove();
  });

  async function open(hash: string): Promise<Page> {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${demo.url}/${hash}`);
    expect(errors).toEqual([]);
    return page;
  }

  it('page 1 shows a result and a timing for each of the four styles', async () => {
    const page = await open('#/styles');
    try {
      for (const style of ['sync', 'callback', 'future', 'coroutine']) {
        const card = page.getByTestId(`style-${style}`);
        await card.locator('[data-status="done"]').waitFor({ timeout: 15_000 });
        expect(await card.getByTestId('result').textContent()).toMatch(
          /^Hello from the upstream server \((demo server|worker thread)\), after 250 ms$/,
        );
        const ms = Number.parseInt((await card.getByTestId('ms').textContent()) ?? '', 10);
        expect(ms).toBeGreaterThanOrEqual(250);
      }
      await expect(page.getByTestId('style-sync').textContent()).resolves.toContain(
        "server's loop was blocked",
      );
    } finally {
      await page.context().close();
    }
  }, 30_000);

  it('page 2: two browsers in the chat see each other’s messages within a second', async () => {
    const [alice, bob] = await Promise.all([open('#/chat'), open('#/chat')]);
    try {
      for (const page of [alice, bob]) {
        await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor({ timeout: 10_000 });
      }
      // Every window now holds one long-poll on the server.
      await expect.poll(() => demo.room.waiting, { timeout: 5000 }).toBeGreaterThanOrEqual(2);

      async function say(from: Page, to: Page, text: string): Promise<number> {
        await from.getByLabel('Message').fill(text);
        const sent = performance.now();
        await from.getByLabel('Message').press('Enter');
        await to.getByTestId('message').filter({ hasText: text }).waitFor({ timeout: 1000 });
        return performance.now() - sent;
      }
      const stamp = Date.now();
      expect(await say(alice, bob, `hi bob ${stamp}`)).toBeLessThan(1000);
      expect(await say(bob, alice, `hi alice ${stamp}`)).toBeLessThan(1000);
      // Each sees both messages once, in order.
      for (const page of [alice, bob]) {
        const texts = await page.getByTestId('message').allTextContents();
        const mine = texts.filter((text) => text.includes(String(stamp)));
        expect(mine).toHaveLength(2);
        expect(mine[0]).toContain(`hi bob ${stamp}`);
        expect(mine[1]).toContain(`hi alice ${stamp}`);
      }
      // A newcomer gets the history.
      const carol = await open('#/chat');
      await carol
        .getByTestId('message')
        .filter({ hasText: `hi alice ${stamp}` })
        .waitFor({ timeout: 5000 });
      await carol.context().close();
    } finally {
      await Promise.all([alice.context().close(), bob.context().close()]);
    }
  }, 30_000);

  it("page 3's lag meter rises for the inline hash and stays low for the executor", async () => {
    const page = await open('#/loop');
    try {
      await page
        .getByTestId('lag-now')
        .filter({ hasText: /\d+ ms/ })
        .waitFor({ timeout: 5000 });
      const result = page.getByTestId('hash-result');
      // About a second of hashing on an idle machine, so the block stands well above scheduling noise.
      await page.getByLabel('Rounds').fill('2500000');

      await page.getByTestId('run-inline').click();
      await page.locator('[data-testid="hash-result"][data-where="inline"]').waitFor({ timeout: 20_000 });
      const inlineMs = Number(await result.getAttribute('data-ms'));
      const inlinePeak = Number(await result.getAttribute('data-peak-lag'));
      expect(inlinePeak).toBeGreaterThanOrEqual(Math.max(200, inlineMs * 0.5));
      // The meter itself shows the block as a red bar.
      await page.locator('.lag-meter .bars span.blocked').first().waitFor({ timeout: 2000 });

      await page.getByTestId('run-executor').click();
      await page.locator('[data-testid="hash-result"][data-where="executor"]').waitFor({ timeout: 20_000 });
      const executorMs = Number(await result.getAttribute('data-ms'));
      const executorPeak = Number(await result.getAttribute('data-peak-lag'));
      expect(executorMs).toBeGreaterThanOrEqual(inlineMs * 0.3);
      // Low, not zero: on a busy two-core machine the server's thread still waits for a core at times.
      expect(executorPeak).toBeLessThan(Math.min(250, inlinePeak / 4));
    } finally {
      await page.context().close();
    }
  }, 60_000);
});
