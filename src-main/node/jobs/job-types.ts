import type { ParsedRequestOf } from '../../common/api/contract.ts';
import type { ApiError } from '../../common/api/result.ts';
import type { ForecastJobResult } from '../services/forecast.ts';
import type { IsoMonth } from '../../common/time/iso-date.ts';
import type { ImportReport } from '../importers/import-file.ts';
import type { ColumnMapping } from '../importers/formats/custom-mapping.ts';

/** A file to import, with the user's own choice of format or column mapping for it (over the job's). */
export type ImportJobFile = { path: string; name: string; format?: string | undefined; mapping?: ColumnMapping | undefined; saveMappingAs?: string | undefined };

/** A long-running piece of work, described as plain data so it can be handed to a worker thread. */
export type JobSpec =
  | { kind: 'import'; files: ImportJobFile[]; skipRejectedRows: boolean; format?: string | undefined; mapping?: ColumnMapping | undefined; saveMappingAs?: string | undefined }
  | { kind: 'demo'; seed: number; endMonth: IsoMonth }
  | { kind: 'forecast'; request: ParsedRequestOf<'forecast:start'> };

/** Import reports (none for a forecast job) and, for a forecast job, its view and saved run id (see `forecast:job-result`). */
export type JobResult = { reports: ImportReport[]; forecast?: ForecastJobResult };

export type JobState = 'running' | 'succeeded' | 'failed' | 'cancelled';

export type JobStatus = {
  jobId: string;
  kind: JobSpec['kind'];
  state: JobState;
  progress: { fraction: number; message: string };
  result: JobResult | null;
  error: ApiError | null;
};

/** Messages from a job worker to the main thread. */
export type WorkerMessage =
  | { type: 'progress'; fraction: number; message: string }
  | { type: 'done'; result: JobResult; cancelled: boolean }
  | { type: 'failed'; error: ApiError };
