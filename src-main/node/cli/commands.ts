import { defaultWorkbookPath } from '../default-paths.ts';
import { calcCommand } from './commands/calc.ts';
import { demoCommand } from './commands/demo.ts';
import { forecastCommand } from './commands/forecast.ts';
import { forecastBatchCommand } from './commands/forecast-batch.ts';
import { importCommand } from './commands/import.ts';
import { importsCommand } from './commands/imports.ts';
import { proposalsCommand, proposeCommand } from './commands/proposals.ts';
import { reportCommand } from './commands/report.ts';
import { serveCommand } from './commands/serve.ts';
import type { Command } from './commands/shared.ts';
import { startCommand } from './commands/start.ts';
import { UsageError } from './usage-error.ts';

/** Every command of the CLI, in the order `help` lists them. Each feature adds its command here. */
export const COMMANDS: Record<string, Command> = {
  calc: calcCommand,
  demo: demoCommand,
  forecast: forecastCommand,
  'forecast-batch': forecastBatchCommand,
  import: importCommand,
  imports: importsCommand,
  propose: proposeCommand,
  proposals: proposalsCommand,
  report: reportCommand,
  serve: serveCommand,
  start: startCommand,
};

export const USAGE = `TokenHedge command line — every job of the app, headless.

${Object.values(COMMANDS)
  .map((c) => `  npm run cli -- ${c.usage}`)
  .join('\n')}

  --workbook defaults to ${defaultWorkbookPath()}
`;

/** Runs one command; returns the process exit code. */
export async function runCommand(command: string, args: string[]): Promise<number> {
  const found = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!found) throw new UsageError(`unknown command "${command}"`);
  return found.run(args);
}
