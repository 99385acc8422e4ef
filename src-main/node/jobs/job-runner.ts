import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import { toApiError, type ErrorLog } from '../../common/api/dispatch.ts';
import { DomainError } from '../../common/errors.ts';
import type { Clock } from '../../common/time/clock.ts';
import type { JobResult, JobSpec, JobStatus, WorkerMessage } from './job-types.ts';
import { runJob } from './run-job.ts';

/** How a job is executed: in a worker thread (app, serve mode) or on the caller's connection (CLI, tests). */
export type JobExecution =
  | { mode: 'worker'; workerScript: string | URL; workbookPath: string }
  | { mode: 'in-process'; db: Database; clock: Clock };

type Execute = (spec: JobSpec, report: (fraction: number, message: string) => void, signal: AbortSignal) => Promise<
  { result: JobResult; cancelled: boolean }
>;

export type JobRunner = {
  start(spec: JobSpec): string;
  get(jobId: string): JobStatus;
  cancel(jobId: string): JobStatus;
  /** Resolves when the job has ended (for the CLI and tests). */
  wait(jobId: string): Promise<JobStatus>;
};

const KEEP_FINISHED = 50;

/**
 * Runs jobs one at a time, in order (two imports never write at once), and keeps their status for polling.
 */
export function createJobRunner(execution: JobExecution, actor: string, log: ErrorLog): JobRunner {
  const statuses = new Map<string, JobStatus>();
  const controllers = new Map<string, AbortController>();
  const done = new Map<string, Promise<JobStatus>>();
  let queue: Promise<unknown> = Promise.resolve();
  const execute = execution.mode === 'worker' ? workerExecutor(execution, actor) : inProcessExecutor(execution, actor);

  const find = (jobId: string): JobStatus => {
    const status = statuses.get(jobId);
    if (!status) throw new DomainError('not-found', `No job ${jobId} (jobs are kept until the app closes)`);
    return status;
  };

  return {
    start(spec) {
      const jobId = randomUUID();
      const status: JobStatus = {
        jobId,
        kind: spec.kind,
        state: 'running',
        progress: { fraction: 0, message: 'Waiting for the previous job to finish' },
        result: null,
        error: null,
      };
      statuses.set(jobId, status);
      const controller = new AbortController();
      controllers.set(jobId, controller);
      const run = queue.then(async () => {
        if (controller.signal.aborted) {
          status.state = 'cancelled';
          status.progress = { fraction: status.progress.fraction, message: 'Cancelled before it started' };
          return status;
        }
        try {
          const outcome = await execute(
            spec,
            (fraction, message) => {
              status.progress = { fraction: Math.max(0, Math.min(1, fraction)), message };
            },
            controller.signal,
          );
          status.result = outcome.result;
          status.state = outcome.cancelled ? 'cancelled' : 'succeeded';
          status.progress = { fraction: 1, message: outcome.cancelled ? 'Cancelled' : 'Done' };
        } catch (error) {
          status.state = 'failed';
          status.error = toApiError(error, `job ${spec.kind}`, log);
          status.progress = { fraction: status.progress.fraction, message: status.error.message };
        }
        controllers.delete(jobId);
        prune();
        return status;
      });
      queue = run;
      done.set(jobId, run);
      return jobId;
    },
    get: find,
    cancel(jobId) {
      const status = find(jobId);
      if (status.state === 'running') {
        controllers.get(jobId)?.abort();
        status.progress = { ...status.progress, message: 'Cancelling…' };
      }
      return status;
    },
    wait(jobId) {
      find(jobId);
      return done.get(jobId)!;
    },
  };

  function prune(): void {
    const finished = [...statuses.values()].filter((s) => s.state !== 'running');
    for (const s of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) {
      statuses.delete(s.jobId);
      done.delete(s.jobId);
    }
  }
}

function inProcessExecutor(execution: { db: Database; clock: Clock }, actor: string): Execute {
  return async (spec, report, signal) => {
    const result = await runJob(execution.db, spec, { clock: execution.clock, actor, signal, onProgress: report });
    return { result, cancelled: signal.aborted };
  };
}

function workerExecutor(execution: { workerScript: string | URL; workbookPath: string }, actor: string): Execute {
  return (spec, report, signal) =>
    new Promise((resolve, reject) => {
      const worker = new Worker(execution.workerScript, {
        workerData: { workbookPath: execution.workbookPath, spec, actor },
      });
      let settled = false;
      const onAbort = () => worker.postMessage('cancel');
      signal.addEventListener('abort', onAbort, { once: true });
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'progress') report(message.fraction, message.message);
        else if (message.type === 'done') {
          settled = true;
          resolve({ result: message.result, cancelled: message.cancelled });
        } else {
          settled = true;
          reject(new DomainError(message.error.code, message.error.message));
        }
      });
      worker.on('error', (error) => {
        if (!settled) {
          settled = true;
          reject(error);
        }
      });
      worker.on('exit', (code) => {
        signal.removeEventListener('abort', onAbort);
        if (!settled) reject(new Error(`The job worker stopped unexpectedly (exit code ${code})`));
      });
    });
}
