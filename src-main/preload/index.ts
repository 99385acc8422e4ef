import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { API_CHANNELS } from '../common/api/channels.ts';

const allowed = new Set<string>(API_CHANNELS);

/**
 * The page's only door to the services. Unknown channels are refused here, before IPC; the main process
 * validates every request again (the page is not trusted).
 */
contextBridge.exposeInMainWorld('tokenhedge', {
  invoke(channel: string, request: unknown) {
    if (typeof channel !== 'string' || !allowed.has(channel)) {
      return Promise.resolve({ ok: false, error: { code: 'invalid-input', message: `Unknown API channel: ${String(channel)}` } });
    }
    return ipcRenderer.invoke('tokenhedge:invoke', channel, request);
  },
  /** Files dropped on the window: main registers them and returns opaque ids; the page never sees paths. */
  registerDroppedFiles(files: File[]) {
    const paths = Array.from(files, (file) => webUtils.getPathForFile(file));
    return ipcRenderer.invoke('tokenhedge:register-dropped', paths);
  },
});
