import { DomainError } from '../../common/errors.ts';
import { runCommand, USAGE } from './commands.ts';
import { UsageError } from './usage-error.ts';

/**
 * `npm run cli -- <command>`: every main job headless. Exit code 0 on success; on failure a one-line reason on
 * stderr and exit code 1 (2 for a wrong command line).
 */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  try {
    return await runCommand(command, rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`tokenhedge: ${error.message}\nRun "npm run cli -- help" for the commands.\n`);
      return 2;
    }
    if (error instanceof DomainError) {
      process.stderr.write(`tokenhedge: ${error.message}\n`);
      return 1;
    }
    if (error instanceof Error && 'code' in error && String((error as { code: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`tokenhedge: ${error.message}\nRun "npm run cli -- help" for the commands.\n`);
      return 2;
    }
    process.stderr.write(`tokenhedge: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (process.env.TOKENHEDGE_DEBUG) console.error(error);
    return 1;
  }
}

// Not a top-level await: the build bundles this file as CommonJS (`out/main/cli.js`), which has none.
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
