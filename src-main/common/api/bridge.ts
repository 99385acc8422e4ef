import type { ApiResult } from './result.ts';

/**
 * What the preload exposes to the page as `window.tokenhedge` in the desktop app: one `invoke` for the API
 * channels, nothing else (no ipcRenderer, no Node). In serve mode there is no bridge; the page uses HTTP.
 */
export type DesktopBridge = {
  invoke(channel: string, request: unknown): Promise<ApiResult<unknown>>;
};

export const BRIDGE_KEY = 'tokenhedge';
