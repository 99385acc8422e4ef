import type { Database } from 'better-sqlite3';
import type { Clock } from '../../../common/time/clock.ts';
import type { JobRunner } from '../../jobs/job-runner.ts';
import type { FileRef, FileRegistry } from '../file-registry.ts';

/** What every feature's handlers may use: the open workbook and the app's shared services. */
export type ServiceDeps = {
  db: Database;
  workbookPath: string;
  mode: 'electron' | 'serve' | 'direct';
  version: string;
  clock: Clock;
  /** Who acts (the OS user), recorded in the audit log. */
  actor: string;
  files: FileRegistry;
  jobs: JobRunner;
  /** The native "open files" dialog; only the Electron app has one. */
  pickFiles?: () => Promise<FileRef[]>;
};
