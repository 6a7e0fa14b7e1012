import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium: browser tests drive it through playwright-core and never download a browser. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Launches headless Chromium for a test. The flags keep it off the network (this machine has none):
 * without them Chromium keeps trying to reach Google's services at every start.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}
