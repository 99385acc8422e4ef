import { DomainError } from '../errors.ts';
import { contract, type Channel, type ParsedRequestOf, type ResponseOf } from './contract.ts';
import type { ApiError, ApiResult } from './result.ts';
import type { z } from 'zod';

/** The services: one function per channel, typed from the contract. */
export type Handlers = {
  [C in Channel]: (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C>;
};

/** Where internal errors go with their stack (the main-process log, stderr in the CLI). */
export type ErrorLog = (message: string, error: unknown) => void;

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}

/**
 * The single entry of every transport (IPC, HTTP, direct calls): checks the channel and the request, runs the
 * handler, and turns every outcome into an `ApiResult`. It never throws.
 */
export async function dispatch(
  handlers: Handlers,
  channel: unknown,
  rawRequest: unknown,
  log: ErrorLog,
): Promise<ApiResult<unknown>> {
  if (!isChannel(channel)) {
    return { ok: false, error: { code: 'invalid-input', message: `Unknown API channel: ${String(channel)}` } };
  }
  const schema: z.ZodType = contract[channel].request;
  const parsed = schema.safeParse(rawRequest ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      path: issue.path.length ? issue.path.map(String).join('.') : '(request)',
      message: issue.message,
    }));
    return {
      ok: false,
      error: {
        code: 'invalid-input',
        message: `Invalid request for ${channel}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
        issues,
      },
    };
  }
  try {
    const handler = handlers[channel] as (request: unknown) => unknown;
    const value = await handler(parsed.data);
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: toApiError(error, channel, log) };
  }
}

export function toApiError(error: unknown, where: string, log: ErrorLog): ApiError {
  if (error instanceof DomainError) {
    return error.issues ? { code: error.code, message: error.message, issues: [...error.issues] } : { code: error.code, message: error.message };
  }
  log(`internal error in ${where}`, error);
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `Internal error in ${where}: ${message} (details in the log)` };
}
