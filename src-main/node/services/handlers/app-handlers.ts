import type { Handlers } from '../../../common/api/dispatch.ts';
import { DomainError } from '../../../common/errors.ts';
import { createFxConverter } from '../../../common/money/fx.ts';
import { addMonths, monthOf, type IsoMonth } from '../../../common/time/iso-date.ts';
import { appendAudit } from '../../workbook/audit-log-repo.ts';
import { loadFxRates } from '../../workbook/fx-rates-repo.ts';
import { listBatches } from '../../workbook/import-batches-repo.ts';
import { schemaVersion } from '../../workbook/open-workbook.ts';
import { readSettings, writeSettings } from '../../workbook/settings-repo.ts';
import { countUsageLines, recomputeBaseCosts } from '../../workbook/usage-lines-repo.ts';
import type { ServiceDeps } from './deps.ts';

/** Seed of the demo organisation when the request does not choose one. */
export const DEFAULT_DEMO_SEED = 20_260_101;

type AppHandlers = Pick<Handlers, 'app:info' | 'settings:update' | 'demo:create'>;

/** The workbook as a whole: what it holds, its settings, and the demo organisation. */
export function appHandlers(deps: ServiceDeps): AppHandlers {
  const { db } = deps;

  const appInfo = () => {
    const settings = readSettings(db);
    const usageLineCount = countUsageLines(db);
    return {
      version: deps.version,
      mode: deps.mode,
      workbookPath: deps.workbookPath,
      schemaVersion: schemaVersion(db),
      organisationName: settings.organisationName,
      baseCurrency: settings.baseCurrency,
      usageLineCount,
      isEmpty: usageLineCount === 0 && listBatches(db).length === 0,
    };
  };

  return {
    'app:info': appInfo,

    'settings:update': (request) => {
      const before = readSettings(db);
      db.transaction(() => {
        writeSettings(db, request);
        const after = readSettings(db);
        if (after.baseCurrency !== before.baseCurrency) {
          // Every base-currency amount depends on the base currency: derive them all again.
          recomputeBaseCosts(db, createFxConverter(loadFxRates(db, after.baseCurrency), after.baseCurrency));
        }
        appendAudit(db, { atMs: deps.clock.now(), actor: deps.actor, action: 'update', entity: 'settings', entityId: null, before, after });
      })();
      return appInfo();
    },

    'demo:create': (request) => {
      if (!appInfo().isEmpty) {
        throw new DomainError(
          'conflict',
          'This workbook already holds data. The demo organisation is only loaded into an empty workbook; ' +
            'start TokenHedge with a new workbook file to explore it.',
        );
      }
      const endMonth = (request.endMonth ?? addMonths(monthOf(deps.clock.today()), -1)) as IsoMonth;
      return { jobId: deps.jobs.start({ kind: 'demo', seed: request.seed ?? DEFAULT_DEMO_SEED, endMonth }) };
    },
  };
}
