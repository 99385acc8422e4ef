import type { Handlers } from '../../../common/api/dispatch.ts';
import { DomainError } from '../../../common/errors.ts';
import { listForecastRuns, loadForecastRun } from '../../workbook/forecast-runs-repo.ts';
import { forecastSegments, runForecast, saveForecast } from '../forecast.ts';
import type { ServiceDeps } from './deps.ts';

type ForecastHandlers = Pick<
  Handlers,
  'forecast:segments' | 'forecast:run' | 'forecast:save' | 'forecast:runs' | 'forecast:get-run' | 'forecast:start' | 'forecast:job-result'
>;

/** Forecasting: segments to choose from, forecast runs, saved (immutable) runs. */
export function forecastHandlers(deps: ServiceDeps): ForecastHandlers {
  const { db, clock } = deps;
  return {
    'forecast:segments': () => forecastSegments(db, clock),
    'forecast:run': (request) => runForecast(db, clock, request),
    'forecast:save': (request) => saveForecast(db, clock, deps.actor, request),
    'forecast:runs': () => listForecastRuns(db),
    'forecast:get-run': (request) => loadForecastRun(db, request.runId),
    'forecast:start': (request) => ({ jobId: deps.jobs.start({ kind: 'forecast', request }) }),
    'forecast:job-result': (request) => {
      const status = deps.jobs.get(request.jobId);
      const result = status.kind === 'forecast' && status.state === 'succeeded' ? status.result?.forecast : undefined;
      if (!result) throw new DomainError('not-found', `Job ${request.jobId} is not a finished forecast (${status.kind}, ${status.state})`);
      return result;
    },
  };
}
