import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, or CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** In CI (REQUIRE_E2E=1) a missing browser fails the run; elsewhere the browser tests are skipped, saying why. */
export function browserAvailable(suite: string): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.REQUIRE_E2E === '1') return true; // the launch fails loudly
  console.warn(`[${suite}] SKIPPED: no Chromium at ${CHROMIUM_PATH} (install Debian's "chromium" or set CHROMIUM_PATH).`);
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    // The flags keep Chromium from reaching for Google's services, which this offline machine refuses.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
