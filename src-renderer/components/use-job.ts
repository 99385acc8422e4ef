import { useCallback, useEffect, useRef, useState } from 'react';
import type { ResponseOf } from '../../src-main/common/api/contract.ts';
import { call } from '../api/client.ts';

export type JobStatus = ResponseOf<'jobs:get'>;

const POLL_MS = 250;

/**
 * Follows a long job (import, demo) by polling its status, which works the same over IPC and HTTP.
 * `start` takes a function that starts the job and returns its id; `cancel` asks the services to stop it.
 */
export function useJob(onFinished?: (status: JobStatus) => void) {
  const [status, setStatus] = useState<JobStatus | null>(null);
  const [error, setError] = useState<unknown>(null);
  const timer = useRef<number | undefined>(undefined);
  // The job being followed: a poll of a job started earlier (and replaced) is dropped.
  const current = useRef<string | null>(null);
  const finished = useRef(onFinished);
  finished.current = onFinished;

  useEffect(() => () => window.clearTimeout(timer.current), []);

  const poll = useCallback((jobId: string) => {
    call('jobs:get', { jobId })
      .then((next) => {
        if (current.current !== jobId) return;
        setStatus(next);
        if (next.state === 'running') timer.current = window.setTimeout(() => poll(jobId), POLL_MS);
        else finished.current?.(next);
      })
      .catch(setError);
  }, []);

  const start = useCallback(
    async (begin: () => Promise<{ jobId: string }>) => {
      setError(null);
      setStatus(null);
      try {
        const { jobId } = await begin();
        current.current = jobId;
        window.clearTimeout(timer.current);
        poll(jobId);
      } catch (e) {
        setError(e);
      }
    },
    [poll],
  );

  const cancel = useCallback(() => {
    if (status?.state === 'running') call('jobs:cancel', { jobId: status.jobId }).catch(setError);
  }, [status]);

  return { status, error, start, cancel, running: status?.state === 'running' };
}
