import { expect } from 'vitest';

/** The value of a successful API call; a failed one throws its message (the test fails there). */
export async function ok<T>(promise: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** The error of an API call that must fail. */
export async function failure(promise: Promise<{ ok: boolean; error?: { code: string; message: string; issues?: { path: string; message: string }[] } }>) {
  const result = await promise;
  expect(result.ok).toBe(false);
  return result.error!;
}
