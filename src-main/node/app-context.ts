import { userInfo } from 'node:os';
import type { Database } from 'better-sqlite3';
import { dispatch, type ErrorLog, type Handlers } from '../common/api/dispatch.ts';
import type { Channel, RequestOf, ResponseOf } from '../common/api/contract.ts';
import type { ApiResult } from '../common/api/result.ts';
import type { Clock } from '../common/time/clock.ts';
import { createJobRunner, type JobRunner } from './jobs/job-runner.ts';
import { createHandlers, type ServiceDeps } from './services/create-handlers.ts';
import { createFileRegistry, type FileRef, type FileRegistry } from './services/file-registry.ts';
import { openWorkbook } from './workbook/open-workbook.ts';

export type AppContext = {
  db: Database;
  workbookPath: string;
  handlers: Handlers;
  files: FileRegistry;
  jobs: JobRunner;
  log: ErrorLog;
  /** The direct transport: validate, run, wrap — exactly what IPC and HTTP do. */
  call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ApiResult<ResponseOf<C>>>;
  close(): void;
};

export type AppContextOptions = {
  workbookPath: string;
  mode: ServiceDeps['mode'];
  version: string;
  clock: Clock;
  /** Worker thread for jobs (app, serve) or the caller's connection (CLI, tests). */
  jobs: { mode: 'worker'; workerScript?: string | URL } | { mode: 'in-process' };
  pickFiles?: () => Promise<FileRef[]>;
  log?: ErrorLog;
};

/**
 * The job worker: its source when running from source (CLI, serve, tests), the bundled `job-worker.js` beside the
 * bundle when running from the build (the built CLI; the Electron build passes its copy explicitly).
 */
export const JOB_WORKER_SCRIPT = new URL(import.meta.url.endsWith('.ts') ? './jobs/job-worker.ts' : './job-worker.js', import.meta.url);

/** Opens the workbook and wires the services: the composition root of every Node-side entry point. */
export function openAppContext(options: AppContextOptions): AppContext {
  const log: ErrorLog = options.log ?? ((message, error) => console.error(`[tokenhedge] ${message}`, error));
  const db = openWorkbook(options.workbookPath, { clock: options.clock });
  const actor = currentUser();
  const jobs = createJobRunner(
    options.jobs.mode === 'worker'
      ? { mode: 'worker', workerScript: options.jobs.workerScript ?? JOB_WORKER_SCRIPT, workbookPath: options.workbookPath }
      : { mode: 'in-process', db, clock: options.clock },
    actor,
    log,
  );
  const files = createFileRegistry();
  const handlers = createHandlers({
    db,
    workbookPath: options.workbookPath,
    mode: options.mode,
    version: options.version,
    clock: options.clock,
    actor,
    files,
    jobs,
    ...(options.pickFiles ? { pickFiles: options.pickFiles } : {}),
  });
  return {
    db,
    workbookPath: options.workbookPath,
    handlers,
    files,
    jobs,
    log,
    call: (channel, request) => dispatch(handlers, channel, request, log) as never,
    close: () => db.close(),
  };
}

function currentUser(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}
