import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { _electron as electron, type ElectronApplication } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../support/paths.ts';
import { useTempDir } from '../support/temp.ts';

/** The Electron binary, when `install-electron` could download it (it cannot on machines without GitHub access). */
function electronBinary(): string | undefined {
  const pathFile = join(ROOT, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(ROOT, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

const binary = electronBinary();
if (!binary) {
  console.warn(
    '[electron-app] SKIPPED: the Electron binary is not installed here (run "npx install-electron" where GitHub is ' +
      'reachable). The same UI and services are tested in Chromium through serve mode (serve-browser.test.ts).',
  );
}

const tempDir = useTempDir();

describe.skipIf(!binary)('the desktop app (Electron)', () => {
  let app: ElectronApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('opens a secure window on the workbook: no Node in the page, only the allow-listed bridge', async () => {
    const workbook = join(tempDir(), 'electron.sqlite');
    app = await electron.launch({
      executablePath: binary!,
      args: [join(ROOT, 'out/main/index.js')],
      env: { ...process.env, TOKENHEDGE_WORKBOOK: workbook },
    });
    const page = await app.firstWindow();
    await page.getByTestId('welcome').waitFor();
    expect(await page.title()).toBe('TokenHedge');

    const exposed = await page.evaluate(() => ({
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
      bridge: Object.keys((window as unknown as { tokenhedge: object }).tokenhedge).sort(),
      opened: window.open('https://example.com') === null,
    }));
    expect(exposed).toEqual({ require: 'undefined', process: 'undefined', bridge: ['invoke', 'registerDroppedFiles'], opened: true });

    const info = await page.evaluate(() => (window as unknown as { tokenhedge: { invoke(c: string, r: unknown): Promise<unknown> } }).tokenhedge.invoke('app:info', {}));
    expect(info).toMatchObject({ ok: true, value: { mode: 'electron', workbookPath: workbook, isEmpty: true } });
    const refused = await page.evaluate(() => (window as unknown as { tokenhedge: { invoke(c: string, r: unknown): Promise<unknown> } }).tokenhedge.invoke('fs:read', { path: '/etc/passwd' }));
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-input' } });

    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toMatch(/^file:.*index\.html/);
  });
});
