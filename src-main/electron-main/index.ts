import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, session } from 'electron';
import { dispatch } from '../common/api/dispatch.ts';
import { openAppContext, type AppContext } from '../node/app-context.ts';
import {
  isAllowedNavigation,
  isAllowedRequest,
  isTrustedSender,
  pageUrl,
  secureWebPreferences,
  validateDroppedPaths,
} from '../node/desktop/window-policy.ts';
import { systemClock } from '../node/system-clock.ts';

/**
 * The desktop app: one window on one workbook. The workbook is the file in TOKENHEDGE_WORKBOOK, or
 * `workbook.sqlite` in the user-data folder.
 */
app.enableSandbox();

const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const appUrl = pageUrl(join(__dirname, '../renderer/index.html'), devServerUrl);
let context: AppContext | undefined;
let window: BrowserWindow | undefined;

function workbookPath(): string {
  const fromArgs = process.argv.find((a) => a.startsWith('--workbook='))?.slice('--workbook='.length);
  return fromArgs ?? process.env.TOKENHEDGE_WORKBOOK ?? join(app.getPath('userData'), 'workbook.sqlite');
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url, appUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(url, appUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequest(details.url, appUrl, devServerUrl) });
  });

  try {
    context = openAppContext({
      workbookPath: workbookPath(),
      mode: 'electron',
      version: app.getVersion(),
      clock: systemClock,
      jobs: { mode: 'worker', workerScript: join(__dirname, 'job-worker.js') },
      pickFiles: async () => {
        const result = await dialog.showOpenDialog(window!, {
          title: 'Import invoices and usage exports',
          properties: ['openFile', 'multiSelections'],
          filters: [
            { name: 'Exports', extensions: ['csv', 'tsv', 'txt', 'json', 'jsonl', 'zip', 'xlsx'] },
            { name: 'All files', extensions: ['*'] },
          ],
        });
        return result.canceled ? [] : result.filePaths.map((p) => context!.files.register(p));
      },
    });
  } catch (error) {
    dialog.showErrorBox('TokenHedge cannot open the workbook', error instanceof Error ? error.message : String(error));
    app.quit();
    return;
  }
  const ctx = context;

  ipcMain.handle('tokenhedge:invoke', (event, channel: unknown, request: unknown) => {
    if (!isTrustedSender(event.senderFrame?.url, appUrl)) {
      return { ok: false, error: { code: 'invalid-input', message: 'Request from an unknown page refused' } };
    }
    return dispatch(ctx.handlers, channel, request, ctx.log);
  });
  ipcMain.handle('tokenhedge:register-dropped', (event, paths: unknown) => {
    if (!isTrustedSender(event.senderFrame?.url, appUrl)) {
      return { ok: false, error: { code: 'invalid-input', message: 'Request from an unknown page refused' } };
    }
    const checked = validateDroppedPaths(paths);
    if (!checked.ok) return { ok: false, error: { code: 'invalid-input', message: checked.message } };
    return { ok: true, value: checked.paths.map((p) => ctx.files.register(p)) };
  });

  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
      { role: 'fileMenu' },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      { role: 'windowMenu' },
    ]),
  );

  window = new BrowserWindow({
    width: 1360,
    height: 900,
    title: 'TokenHedge',
    show: false,
    webPreferences: secureWebPreferences(join(__dirname, '../preload/preload.js')),
  });
  window.once('ready-to-show', () => window?.show());
  void window.loadURL(appUrl);
});

app.on('window-all-closed', () => {
  context?.close();
  context = undefined;
  app.quit();
});
