import { describe, expect, it, vi } from 'vitest';
import { API_CHANNELS } from '../../src-main/common/api/channels.ts';
import { contract } from '../../src-main/common/api/contract.ts';
import { dispatch, type Handlers } from '../../src-main/common/api/dispatch.ts';
import { DomainError } from '../../src-main/common/errors.ts';

/** Handlers that fail the test if called: dispatch must stop bad requests before any handler runs. */
function handlersThat(overrides: Partial<Handlers>): Handlers {
  const never = () => {
    throw new Error('handler must not be called');
  };
  return Object.fromEntries(API_CHANNELS.map((c) => [c, overrides[c] ?? never])) as unknown as Handlers;
}

describe('the API contract', () => {
  it('lists the same channels for the preload as the contract declares', () => {
    expect([...API_CHANNELS].sort()).toEqual(Object.keys(contract).sort());
  });

  it('names every channel noun:verb in kebab case', () => {
    for (const channel of API_CHANNELS) expect(channel).toMatch(/^[a-z]+(-[a-z]+)*:[a-z]+(-[a-z]+)*$/);
  });
});

describe('dispatch', () => {
  const log = vi.fn();

  it('refuses an unknown channel with invalid-input', async () => {
    const result = await dispatch(handlersThat({}), 'usage:drop-everything', {}, log);
    expect(result).toEqual({ ok: false, error: { code: 'invalid-input', message: 'Unknown API channel: usage:drop-everything' } });
  });

  it('names the failing field of a request with a wrong type, without calling the handler', async () => {
    const result = await dispatch(handlersThat({}), 'usage:report', { by: ['month', 42], fromMonth: '2026-13' }, log);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid-input');
    expect(result.error.issues!.map((i) => i.path).sort()).toEqual(['by.1', 'fromMonth']);
    expect(result.error.message).toContain('Invalid request for usage:report');
  });

  it('refuses fields the contract does not know', async () => {
    const result = await dispatch(handlersThat({}), 'settings:update', { baseCurrency: 'EUR', isAdmin: true }, log);
    expect(result.ok).toBe(false);
  });

  it('passes the parsed request, defaults filled in, and wraps the value', async () => {
    const handler = vi.fn((request: unknown) => ({ jobId: JSON.stringify(request) }));
    const result = await dispatch(handlersThat({ 'imports:start': handler as never }), 'imports:start', { fileIds: ['a'] }, log);
    expect(result).toEqual({ ok: true, value: { jobId: '{"fileIds":["a"],"skipRejectedRows":false}' } });
  });

  it('turns a DomainError into its code and message', async () => {
    const failing = () => {
      throw new DomainError('conflict', 'This workbook already holds data.');
    };
    const result = await dispatch(handlersThat({ 'demo:create': failing }), 'demo:create', {}, log);
    expect(result).toEqual({ ok: false, error: { code: 'conflict', message: 'This workbook already holds data.' } });
  });

  it('turns any other error into internal, and logs its stack once', async () => {
    const logged = vi.fn();
    const failing = () => {
      throw new TypeError('x is undefined');
    };
    const result = await dispatch(handlersThat({ 'app:info': failing }), 'app:info', {}, logged);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('internal');
    expect(logged).toHaveBeenCalledTimes(1);
  });
});
