import { request as httpRequest } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openAppContext, type AppContext } from '../../src-main/node/app-context.ts';
import { startServer, type RunningServer } from '../../src-main/node/serve/serve.ts';
import { testClock } from '../support/clock.ts';
import { FOCUS_SAMPLE, RENDERER_DIR } from '../support/paths.ts';
import { useTempDir } from '../support/temp.ts';

const tempDir = useTempDir();
let running: { server: RunningServer; ctx: AppContext } | undefined;

afterEach(async () => {
  await running?.server.close();
  running?.ctx.close();
  running = undefined;
});

async function serve(): Promise<{ server: RunningServer; ctx: AppContext }> {
  const ctx = openAppContext({
    workbookPath: join(tempDir(), 'wb.sqlite'),
    mode: 'serve',
    version: 'test',
    clock: testClock,
    jobs: { mode: 'in-process' },
    log: () => {},
  });
  const server = await startServer(ctx, { staticDir: RENDERER_DIR });
  running = { server, ctx };
  return running;
}

/** A raw HTTP request, so tests can send any Host, Origin or body. */
function send(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: { Host: `127.0.0.1:${port}`, ...options.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const api = (port: number, token: string, channel: string, body: unknown, headers: Record<string, string> = {}) =>
  send(port, {
    method: 'POST',
    path: `/api/${channel}`,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('serve mode', () => {
  it('listens on 127.0.0.1 only, with a long random token in the printed URL', async () => {
    const { server } = await serve();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
    const other = await serve();
    expect(other.server.token).not.toBe(server.token);
    await other.server.close();
    other.ctx.close();
  });

  it('refuses every request without the token, pages and API alike', async () => {
    const { server } = await serve();
    expect((await send(server.port, { path: '/' })).status).toBe(401);
    expect((await send(server.port, { path: '/assets/anything.js' })).status).toBe(401);
    const wrong = await api(server.port, 'not-the-token', 'app:info', {});
    expect(wrong.status).toBe(401);
    expect(wrong.body).toContain('open the URL that "serve" printed');
  });

  it('moves the token from the URL into a strict, HttpOnly cookie that then opens the page', async () => {
    const { server } = await serve();
    const first = await send(server.port, { path: `/?token=${server.token}` });
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const page = await send(server.port, { path: '/', headers: { Cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root">');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-frame-options']).toBe('DENY');
  });

  it('refuses a request whose Host is not the loopback address (DNS rebinding)', async () => {
    const { server } = await serve();
    const rebound = await api(server.port, server.token, 'app:info', {}, { Host: `attacker.example:${server.port}` });
    expect(rebound.status).toBe(421);
  });

  it('refuses API calls from another origin and non-JSON bodies', async () => {
    const { server } = await serve();
    expect((await api(server.port, server.token, 'app:info', {}, { Origin: 'https://evil.example' })).status).toBe(403);
    const form = await api(server.port, server.token, 'app:info', 'a=1', { 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(JSON.parse(form.body).error.message).toContain('Content-Type must be application/json');
    expect((await send(server.port, { path: '/api/app:info', headers: { Authorization: `Bearer ${server.token}` } })).status).toBe(405);
  });

  it('answers invalid requests with invalid-input naming the fields', async () => {
    const { server } = await serve();
    const broken = await api(server.port, server.token, 'app:info', '{not json');
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.body).error.code).toBe('invalid-input');
    const wrongType = JSON.parse((await api(server.port, server.token, 'usage:report', { by: 'month' })).body);
    expect(wrongType).toMatchObject({ ok: false, error: { code: 'invalid-input', issues: [{ path: 'by' }] } });
    const unknown = JSON.parse((await api(server.port, server.token, 'db:drop', {})).body);
    expect(unknown.error.message).toBe('Unknown API channel: db:drop');
  });

  it('imports an uploaded file through the same API as the app', async () => {
    const { server, ctx } = await serve();
    const upload = await send(server.port, {
      method: 'POST',
      path: '/upload?name=../../etc/focus.csv',
      headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/octet-stream' },
      body: readFileSync(FOCUS_SAMPLE),
    });
    const ref = JSON.parse(upload.body).value;
    expect(ref.name).toBe('focus.csv');
    const started = JSON.parse((await api(server.port, server.token, 'imports:start', { fileIds: [ref.fileId] })).body);
    const status = await ctx.jobs.wait(started.value.jobId);
    expect(status.result!.reports[0]!.counts.imported).toBe(9);
    const info = JSON.parse((await api(server.port, server.token, 'app:info', {})).body);
    expect(info.value.usageLineCount).toBe(9);
  });
});
