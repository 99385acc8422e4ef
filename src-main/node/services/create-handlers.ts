import type { Handlers } from '../../common/api/dispatch.ts';
import { appHandlers } from './handlers/app-handlers.ts';
import type { ServiceDeps } from './handlers/deps.ts';
import { hedgingHandlers } from './handlers/hedging-handlers.ts';
import { forecastHandlers } from './handlers/forecast-handlers.ts';
import { importHandlers } from './handlers/import-handlers.ts';
import { importEngineHandlers } from './handlers/import-engine-handlers.ts';
import { proposalsHandlers } from './handlers/proposals-handlers.ts';
import { usageHandlers } from './handlers/usage-handlers.ts';

export type { ServiceDeps };

/** The application's use cases, one per API channel, gathered from each feature's handler module. */
export function createHandlers(deps: ServiceDeps): Handlers {
  return {
    ...appHandlers(deps),
    ...importHandlers(deps),
    ...importEngineHandlers(deps),
    ...usageHandlers(deps),
    ...hedgingHandlers(deps),
    ...forecastHandlers(deps),
    ...proposalsHandlers(deps),
  };
}
