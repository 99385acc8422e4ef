import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, extname, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { dispatch } from '../../common/api/dispatch.ts';
import type { AppContext } from '../app-context.ts';
import { SECURITY_HEADERS } from './security-headers.ts';

export type ServeOptions = {
  /** 0 picks a free port. */
  port?: number;
  /** The built page (out/renderer). */
  staticDir: string;
  /** Fixed token for tests; a random one per run otherwise. */
  token?: string;
};

export type RunningServer = { url: string; port: number; token: string; close(): Promise<void> };

const TOKEN_COOKIE = 'tokenhedge_token';
const MAX_JSON_BYTES = 10 * 1024 * 1024;
const MAX_UPLOAD_BYTES = 8 * 1024 * 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/**
 * Serve mode: the same page and the same API as the desktop app, over HTTP on 127.0.0.1 only.
 * - Every request must carry the per-run token: in the URL printed at start (once; it is then kept in a
 *   SameSite=Strict, HttpOnly cookie and removed from the address bar), in that cookie, or as a Bearer header.
 * - The Host header must name the loopback address and port (so DNS rebinding cannot reach the server), and API
 *   calls must be JSON POSTs from the same origin (so another site cannot post a form to it).
 * - Files reach the services only as uploads, which get opaque ids; the page never names a path.
 */
export async function startServer(context: AppContext, options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const uploadDir = mkdtempSync(join(tmpdir(), 'tokenhedge-uploads-'));
  const staticRoot = normalize(options.staticDir);
  let port = 0;

  const server = createServer((request, response) => {
    handle(request, response).catch((error) => {
      context.log('serve: request failed', error);
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', 'Internal error (details in the server log)');
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const host = request.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      send(response, 421, 'text/plain; charset=utf-8', 'TokenHedge serves only http://127.0.0.1 on its own port.');
      return;
    }
    const url = new URL(request.url ?? '/', `http://${host}`);
    const queryToken = url.searchParams.get('token');
    if (request.method === 'GET' && queryToken !== null) {
      if (!sameToken(queryToken, token)) return unauthorised(response);
      // Keep the token in a cookie and take it out of the address bar and the history.
      url.searchParams.delete('token');
      response.writeHead(303, {
        ...SECURITY_HEADERS,
        'Set-Cookie': `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname + (url.search || '') + (url.hash || ''),
      });
      response.end();
      return;
    }
    if (!authorised(request, token)) return unauthorised(response);

    if (url.pathname.startsWith('/api/')) {
      if (request.method !== 'POST') return send(response, 405, 'text/plain; charset=utf-8', 'API calls are POST requests');
      if (!crossSiteSafe(request, host)) return send(response, 403, 'text/plain; charset=utf-8', 'Cross-origin request refused');
      const channel = decodeURIComponent(url.pathname.slice('/api/'.length));
      let body: unknown;
      try {
        const text = await readBody(request, MAX_JSON_BYTES);
        body = text.length ? JSON.parse(text) : {};
      } catch (error) {
        return sendJson(response, 400, {
          ok: false,
          error: { code: 'invalid-input', message: `The request body is not valid JSON: ${(error as Error).message}` },
        });
      }
      const result = await dispatch(context.handlers, channel, body, context.log);
      return sendJson(response, 200, result);
    }

    if (url.pathname === '/upload') {
      if (request.method !== 'POST') return send(response, 405, 'text/plain; charset=utf-8', 'Uploads are POST requests');
      if (!crossSiteSafe(request, host) || request.headers['content-type'] !== 'application/octet-stream') {
        return send(response, 403, 'text/plain; charset=utf-8', 'Upload refused: send the file as application/octet-stream from the app');
      }
      const name = basename(url.searchParams.get('name') ?? 'upload').replace(/[^\w.\- ()]+/g, '_') || 'upload';
      const declared = Number(request.headers['content-length'] ?? 0);
      if (declared > MAX_UPLOAD_BYTES) {
        return sendJson(response, 413, { ok: false, error: { code: 'invalid-input', message: `${name} is larger than 8 GB` } });
      }
      const target = join(mkdtempSync(join(uploadDir, 'f-')), name);
      await pipeline(request, createWriteStream(target));
      const ref = context.files.register(target, name);
      return sendJson(response, 200, { ok: true, value: ref });
    }

    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return send(response, 405, 'text/plain; charset=utf-8', 'Method not allowed');
    }
    serveStatic(url.pathname, response);
  }

  function serveStatic(pathname: string, response: ServerResponse): void {
    const relative = decodeURIComponent(pathname).replace(/^\/+/, '') || 'index.html';
    let file = normalize(join(staticRoot, relative));
    if (!file.startsWith(staticRoot + sep) && file !== staticRoot) {
      return send(response, 404, 'text/plain; charset=utf-8', 'Not found');
    }
    if (!existsSync(file) || statSync(file).isDirectory()) {
      // The page routes with the URL hash; any other path is a missing asset unless it has no extension.
      if (extname(relative)) return send(response, 404, 'text/plain; charset=utf-8', 'Not found');
      file = join(staticRoot, 'index.html');
    }
    if (!existsSync(file)) {
      return send(
        response,
        500,
        'text/plain; charset=utf-8',
        `The page is not built (${file} is missing). Run "npm run build" first.`,
      );
    }
    const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
    response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-cache' });
    response.end(readFileSync(file));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}/?token=${token}`;
  return {
    url,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          rmSync(uploadDir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function authorised(request: IncomingMessage, token: string): boolean {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ') && sameToken(header.slice(7), token)) return true;
  const cookies = request.headers.cookie ?? '';
  for (const part of cookies.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === TOKEN_COOKIE && sameToken(rest.join('='), token)) return true;
  }
  return false;
}

/** A same-origin fetch sends Origin (or, for some GETs, nothing); a cross-site form post cannot send JSON. */
function crossSiteSafe(request: IncomingMessage, host: string): boolean {
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) return false;
  const site = request.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}

function unauthorised(response: ServerResponse): void {
  send(
    response,
    401,
    'text/plain; charset=utf-8',
    'This TokenHedge server needs its access token: open the URL that "serve" printed (it ends in ?token=…).',
  );
}

async function readBody(request: IncomingMessage, limit: number): Promise<string> {
  const type = request.headers['content-type'] ?? '';
  if (!type.startsWith('application/json')) throw new Error('Content-Type must be application/json');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new Error(`body larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-store' });
  response.end(body);
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  send(response, status, 'application/json; charset=utf-8', JSON.stringify(value));
}
