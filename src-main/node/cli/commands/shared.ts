import { resolve } from 'node:path';
import type { ApiResult } from '../../../common/api/result.ts';
import { DomainError } from '../../../common/errors.ts';
import { openAppContext, type AppContext } from '../../app-context.ts';
import { defaultWorkbookPath } from '../../default-paths.ts';
import { PROJECT_ROOT } from '../../project-root.ts';
import { systemClock } from '../../system-clock.ts';
import { packageVersion } from '../../version.ts';

/** One command of the CLI: its help text and what it does; `run` returns the process exit code. */
export type Command = { usage: string; run(args: string[]): Promise<number> };

/** Opens the workbook for a command: jobs in-process by default, in a worker thread for serve mode. */
export function openWorkbookContext(workbook: string | undefined, jobs: 'in-process' | 'worker' = 'in-process'): AppContext {
  return openAppContext({
    workbookPath: resolve(workbook ?? defaultWorkbookPath()),
    mode: jobs === 'worker' ? 'serve' : 'direct',
    version: packageVersion(),
    clock: systemClock,
    jobs: jobs === 'worker' ? { mode: 'worker' } : { mode: 'in-process' },
  });
}

/** Unwraps an API result for the CLI: errors become a one-line DomainError. */
export function value<T>(result: ApiResult<T>): T {
  if (!result.ok) throw new DomainError(result.error.code, result.error.message);
  return result.value;
}

/** The built page that serve mode sends to the browser. */
export const RENDERER_DIR = `${PROJECT_ROOT}out/renderer`;
