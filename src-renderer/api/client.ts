import { BRIDGE_KEY, type DesktopBridge } from '../../src-main/common/api/bridge.ts';
import type { Channel, RequestOf, ResponseOf } from '../../src-main/common/api/contract.ts';
import type { ApiError, ApiResult } from '../../src-main/common/api/result.ts';
import type { ErrorCode, Issue } from '../../src-main/common/errors.ts';

/** An API call that returned `{ ok: false }`: the code, the message for the user, and the fields at fault. */
export class ApiCallError extends Error {
  readonly code: ErrorCode;
  readonly issues: Issue[];
  constructor(error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
    this.code = error.code;
    this.issues = error.issues ?? [];
  }
}

function bridge(): DesktopBridge | undefined {
  return (window as unknown as Record<string, DesktopBridge | undefined>)[BRIDGE_KEY];
}

/** The desktop app talks through the preload bridge; serve mode through HTTP on the page's own origin. */
export const transport: 'electron' | 'http' = bridge() ? 'electron' : 'http';

/**
 * The one way the page reaches the services. Resolves to the response, or rejects with an `ApiCallError`.
 */
export async function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  const desktop = bridge();
  let result: ApiResult<unknown>;
  if (desktop) {
    result = await desktop.invoke(channel, request);
  } else {
    const response = await fetch(`/api/${channel}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
      credentials: 'same-origin',
    });
    if (response.status === 401) {
      throw new ApiCallError({ code: 'invalid-input', message: await response.text() });
    }
    result = (await response.json()) as ApiResult<unknown>;
  }
  if (!result.ok) throw new ApiCallError(result.error);
  return result.value as ResponseOf<C>;
}

export type UploadedFile = { fileId: string; name: string; sizeBytes: number };

/** Serve mode: sends a chosen file to the local server, which keeps it for the import and returns its id. */
export function uploadFile(file: File, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<UploadedFile> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/upload?name=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      try {
        const result = JSON.parse(xhr.responseText) as ApiResult<UploadedFile>;
        if (result.ok) resolve(result.value);
        else reject(new ApiCallError(result.error));
      } catch {
        reject(new ApiCallError({ code: 'internal', message: `Upload of ${file.name} failed (${xhr.status})` }));
      }
    };
    xhr.onerror = () => reject(new ApiCallError({ code: 'internal', message: `Upload of ${file.name} failed` }));
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.onabort = () => reject(new ApiCallError({ code: 'cancelled', message: 'Upload cancelled' }));
    xhr.send(file);
  });
}
