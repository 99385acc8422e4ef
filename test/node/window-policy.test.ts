import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  isAllowedNavigation,
  isAllowedRequest,
  isTrustedSender,
  pageUrl,
  secureWebPreferences,
  validateDroppedPaths,
} from '../../src-main/node/desktop/window-policy.ts';
import { useTempDir } from '../support/temp.ts';

const tempDir = useTempDir();
const appUrl = pageUrl('/opt/TokenHedge/resources/app/out/renderer/index.html', undefined);

describe('the desktop window policy', () => {
  it('turns on context isolation and the sandbox and keeps Node out of the page', () => {
    const prefs = secureWebPreferences('/opt/app/out/preload/preload.js');
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
  });

  it('loads only the app’s own files: no remote content', () => {
    expect(isAllowedRequest('file:///opt/TokenHedge/resources/app/out/renderer/assets/index.js', appUrl, undefined)).toBe(true);
    expect(isAllowedRequest('https://cdn.example.com/lib.js', appUrl, undefined)).toBe(false);
    expect(isAllowedRequest('http://127.0.0.1:8080/x', appUrl, undefined)).toBe(false);
    expect(isAllowedRequest('file:///etc/passwd', appUrl, undefined)).toBe(false);
    expect(isAllowedRequest('http://localhost:5173/src/main.tsx', appUrl, 'http://localhost:5173')).toBe(true);
  });

  it('denies navigation away from the page, allowing only its own hash routes', () => {
    expect(isAllowedNavigation(`${appUrl}#/import`, appUrl)).toBe(true);
    expect(isAllowedNavigation('https://phishing.example/login', appUrl)).toBe(false);
    expect(isAllowedNavigation('file:///tmp/other.html', appUrl)).toBe(false);
  });

  it('serves IPC only to the app’s own page', () => {
    expect(isTrustedSender(`${appUrl}#/dashboard`, appUrl)).toBe(true);
    expect(isTrustedSender('https://evil.example/', appUrl)).toBe(false);
    expect(isTrustedSender(undefined, appUrl)).toBe(false);
  });

  it('accepts dropped files only as absolute paths of existing files', () => {
    const dir = tempDir();
    const file = join(dir, 'bill.csv');
    writeFileSync(file, 'x');
    expect(validateDroppedPaths([file])).toEqual({ ok: true, paths: [file] });
    expect(validateDroppedPaths([dir]).ok).toBe(false);
    expect(validateDroppedPaths(['relative/bill.csv']).ok).toBe(false);
    expect(validateDroppedPaths([join(dir, 'missing.csv')]).ok).toBe(false);
    expect(validateDroppedPaths('bill.csv').ok).toBe(false);
    expect(validateDroppedPaths([]).ok).toBe(false);
  });
});
