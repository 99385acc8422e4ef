import { parentPort, workerData } from 'node:worker_threads';
import { toApiError } from '../../common/api/dispatch.ts';
import { systemClock } from '../system-clock.ts';
import { openWorkbook } from '../workbook/open-workbook.ts';
import type { JobSpec, WorkerMessage } from './job-types.ts';
import { runJob } from './run-job.ts';

/**
 * Entry of a job worker thread: opens its own connection to the workbook (so the main connection keeps serving
 * the UI and sees only committed data), runs one job, and reports progress and the result as messages.
 */
const { workbookPath, spec, actor } = workerData as { workbookPath: string; spec: JobSpec; actor: string };
const port = parentPort!;
const controller = new AbortController();
port.on('message', (message) => {
  if (message === 'cancel') controller.abort();
});

const post = (message: WorkerMessage) => port.postMessage(message);
let lastProgressMs = 0;

// No top-level await: the Electron build bundles this worker as CommonJS.
async function main(): Promise<void> {
  try {
    const db = openWorkbook(workbookPath, { clock: systemClock, create: false });
    try {
      const result = await runJob(db, spec, {
        clock: systemClock,
        actor,
        signal: controller.signal,
        onProgress: (fraction, message) => {
          const now = Date.now();
          if (now - lastProgressMs < 100 && fraction < 1) return;
          lastProgressMs = now;
          post({ type: 'progress', fraction, message });
        },
      });
      post({ type: 'done', result, cancelled: controller.signal.aborted });
    } finally {
      db.close();
    }
  } catch (error) {
    post({ type: 'failed', error: toApiError(error, `job ${spec.kind}`, (m, e) => console.error(m, e)) });
  }
  port.close();
}

void main();
