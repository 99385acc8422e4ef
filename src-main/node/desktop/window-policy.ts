import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The security policy of the desktop window, kept out of Electron so it can be tested (Electron's security
 * checklist: context isolation, sandbox, no Node in the page, no remote content, no navigation, no new windows).
 */
export function secureWebPreferences(preloadPath: string) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  } as const;
}

/** Where the page comes from: the built file in the app, or the dev server while developing. */
export function pageUrl(rendererIndexPath: string, devServerUrl: string | undefined): string {
  return devServerUrl ?? pathToFileURL(rendererIndexPath).href;
}

/**
 * Whether a request may leave the page: only the app's own files (and the dev server while developing).
 * Everything remote is refused: the app works offline and loads nothing from the network.
 */
export function isAllowedRequest(url: string, appUrl: string, devServerUrl: string | undefined): boolean {
  if (url.startsWith('devtools://') || url.startsWith('data:') || url.startsWith('blob:')) return true;
  if (devServerUrl && sameOrigin(url, devServerUrl)) return true;
  if (url.startsWith('file://')) {
    const appFolder = appUrl.slice(0, appUrl.lastIndexOf('/') + 1);
    return url.startsWith(appFolder);
  }
  return false;
}

/** Navigation away from the page is never allowed (links inside the page use the hash). */
export function isAllowedNavigation(url: string, appUrl: string): boolean {
  const strip = (u: string) => u.split('#')[0];
  return strip(url) === strip(appUrl);
}

/** Only IPC from our own page's main frame is served. */
export function isTrustedSender(frameUrl: string | undefined, appUrl: string): boolean {
  return frameUrl !== undefined && isAllowedNavigation(frameUrl, appUrl);
}

/**
 * The paths of files dropped on the window (from the preload's `webUtils.getPathForFile`): each must be an
 * absolute path of an existing regular file, or the whole request is refused.
 */
export function validateDroppedPaths(value: unknown): { ok: true; paths: string[] } | { ok: false; message: string } {
  if (!Array.isArray(value) || value.length === 0 || value.length > 500) {
    return { ok: false, message: 'Expected a list of 1 to 500 dropped files' };
  }
  const paths: string[] = [];
  for (const item of value) {
    if (typeof item !== 'string' || !isAbsolute(item)) return { ok: false, message: 'A dropped item is not a file on this computer' };
    try {
      if (!statSync(item).isFile()) return { ok: false, message: `${item} is a folder, not a file` };
    } catch {
      return { ok: false, message: `${item} cannot be read` };
    }
    paths.push(item);
  }
  return { ok: true, paths };
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}
