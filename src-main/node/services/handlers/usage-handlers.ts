import type { Handlers } from '../../../common/api/dispatch.ts';
import { dashboard } from '../dashboard.ts';
import { usageReport } from '../usage-report.ts';
import type { ServiceDeps } from './deps.ts';

type UsageHandlers = Pick<Handlers, 'usage:report' | 'dashboard:get'>;

/** Actuals: the usage report and the dashboard figures. */
export function usageHandlers(deps: ServiceDeps): UsageHandlers {
  return {
    'usage:report': (request) => usageReport(deps.db, request),
    'dashboard:get': (request) => dashboard(deps.db, request),
  };
}
