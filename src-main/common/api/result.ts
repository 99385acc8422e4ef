import type { ErrorCode, Issue } from '../errors.ts';

/** An error as it crosses the API: plain data, never a thrown object (Electron keeps only `.message`). */
export type ApiError = { code: ErrorCode; message: string; issues?: Issue[] };

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };
