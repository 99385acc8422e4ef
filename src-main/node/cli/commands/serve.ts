import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DomainError } from '../../../common/errors.ts';
import { startServer } from '../../serve/serve.ts';
import { UsageError } from '../usage-error.ts';
import { openWorkbookContext, RENDERER_DIR, type Command } from './shared.ts';

export const serveCommand: Command = {
  usage: `serve  [--workbook FILE] [--port N]
      Serves the app on http://127.0.0.1 with a per-run access token; open the printed URL in a browser.`,
  run: serve,
};

async function serve(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { workbook: { type: 'string' }, port: { type: 'string', default: '0' } },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be a number from 0 to 65535');
  if (!existsSync(`${RENDERER_DIR}/index.html`)) {
    throw new DomainError('not-found', `The page is not built yet (${RENDERER_DIR}); run "npm run build" first.`);
  }
  const context = openWorkbookContext(values.workbook, 'worker');
  const server = await startServer(context, { port, staticDir: RENDERER_DIR });
  process.stdout.write(
    `TokenHedge is serving ${context.workbookPath}\nOpen this address in your browser (it holds this run's access token):\n\n  ${server.url}\n\nPress Ctrl+C to stop.\n`,
  );
  await new Promise<void>((resolveStop) => {
    const stop = () => resolveStop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  context.close();
  return 0;
}

