import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the workbook lives when no path is given: the same folder Electron's `app.getPath('userData')` uses for
 * an app named TokenHedge, so the desktop app and serve mode open the same workbook.
 */
export function defaultWorkbookPath(): string {
  return join(userDataDir(), 'workbook.sqlite');
}

function userDataDir(): string {
  const home = homedir();
  switch (process.platform) {
    case 'win32':
      return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'TokenHedge');
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'TokenHedge');
    default:
      return join(process.env.XDG_CONFIG_HOME ?? join(home, '.config'), 'TokenHedge');
  }
}
