import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Clock } from '../../src-main/common/time/clock.ts';
import { openAppContext, type AppContext } from '../../src-main/node/app-context.ts';
import { startServer } from '../../src-main/node/serve/serve.ts';
import { systemClock } from '../../src-main/node/system-clock.ts';
import { launchChromium } from './browser.ts';
import { RENDERER_DIR, ROOT } from './paths.ts';

/** Where browser tests write their screenshots. */
export const SCREENSHOTS = join(ROOT, 'test-results');

/** Fails early, with the command to run, when the page has not been built; makes the screenshot folder. */
export function requireBuiltPage(): void {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error(`The page is not built: run "npm run build" (${RENDERER_DIR})`);
  mkdirSync(SCREENSHOTS, { recursive: true });
}

export type ServedApp = {
  page: Page;
  ctx: AppContext;
  /** The server's URL without the token fragment: `${base}#/hedges` opens a page. */
  base: string;
  /** Page errors and console errors seen so far: a test ends by expecting none. */
  problems: string[];
  close(): Promise<void>;
};

/**
 * Serve mode on `workbookPath` (jobs in real worker threads), optionally with the demo organisation created
 * first, and a 1400 × 1000 page opened on its URL that records page and console errors.
 */
export async function serveApp(browser: Browser, options: { workbookPath: string; demo?: { seed: number; endMonth: string }; clock?: Clock }): Promise<ServedApp> {
  const ctx = openAppContext({ workbookPath: options.workbookPath, mode: 'serve', version: 'e2e', clock: options.clock ?? systemClock, jobs: { mode: 'worker' } });
  if (options.demo) {
    const started = await ctx.call('demo:create', options.demo);
    if (!started.ok) throw new Error(started.error.message);
    const status = await ctx.jobs.wait(started.value.jobId);
    if (status.state !== 'succeeded') throw new Error(`demo ${status.state}: ${status.error?.message ?? ''}`);
  }
  const server = await startServer(ctx, { staticDir: RENDERER_DIR });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: 'en-US' });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  await page.goto(server.url);
  return {
    page,
    ctx,
    base: server.url.replace(/#.*$/, ''),
    problems,
    async close() {
      await page.close();
      await server.close();
      ctx.close();
    },
  };
}

/**
 * The hooks of a browser test file, registered in the calling `describe`: the built page is checked and Chromium
 * launched once before its tests and closed after them, and the app a test opened is closed after that test.
 * Returns `openApp`: serve mode on a new workbook in `folder()` (see `serveApp`), with a page opened on it.
 */
export function useServedApp(folder: () => string): (options?: { demo?: { seed: number; endMonth: string }; clock?: Clock }) => Promise<ServedApp> {
  let browser: Browser | undefined;
  let app: ServedApp | undefined;
  beforeAll(async () => {
    requireBuiltPage();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  return async (options = {}) => {
    if (!browser) throw new Error('useServedApp: Chromium was not launched (call it inside the describe block)');
    app = await serveApp(browser, { workbookPath: join(folder(), 'e2e.sqlite'), ...options });
    return app;
  };
}
