import type { Database } from 'better-sqlite3';
import type { Handlers } from '../../common/api/dispatch.ts';
import { DomainError } from '../../common/errors.ts';
import { createFxConverter } from '../../common/money/fx.ts';
import type { Clock } from '../../common/time/clock.ts';
import { addMonths, monthOf, type IsoMonth } from '../../common/time/iso-date.ts';
import type { JobRunner } from '../jobs/job-runner.ts';
import { appendAudit } from '../workbook/audit-log-repo.ts';
import { countFxRates, listFxRates, loadFxRates } from '../workbook/fx-rates-repo.ts';
import { listBatches } from '../workbook/import-batches-repo.ts';
import { schemaVersion } from '../workbook/open-workbook.ts';
import { readSettings, writeSettings } from '../workbook/settings-repo.ts';
import { countUsageLines, recomputeBaseCosts } from '../workbook/usage-lines-repo.ts';
import { dashboard } from './dashboard.ts';
import type { FileRef, FileRegistry } from './file-registry.ts';
import { usageReport } from './usage-report.ts';

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

/** Seed of the demo organisation when the request does not choose one. */
export const DEFAULT_DEMO_SEED = 20_260_101;

/** The application's use cases, one per API channel. */
export function createHandlers(deps: ServiceDeps): Handlers {
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
        appendAudit(db, {
          atMs: deps.clock.now(),
          actor: deps.actor,
          action: 'update',
          entity: 'settings',
          entityId: null,
          before,
          after,
        });
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
      const jobId = deps.jobs.start({ kind: 'demo', seed: request.seed ?? DEFAULT_DEMO_SEED, endMonth });
      return { jobId };
    },

    'files:pick': async () => {
      if (!deps.pickFiles) {
        throw new DomainError('unsupported', 'There is no native file dialog in this mode; upload the files instead.');
      }
      return deps.pickFiles();
    },

    'imports:start': (request) => {
      const files = request.fileIds.map((id) => deps.files.resolve(id));
      return { jobId: deps.jobs.start({ kind: 'import', files, skipRejectedRows: request.skipRejectedRows }) };
    },

    'imports:list': () =>
      listBatches(db).map((b) => ({
        batchId: b.batchId,
        fileName: b.fileName,
        sha256: b.sha256,
        format: b.format,
        formatVersion: b.formatVersion,
        importedAtMs: b.importedAtMs,
        counts: b.counts,
      })),

    'jobs:get': (request) => deps.jobs.get(request.jobId),
    'jobs:cancel': (request) => deps.jobs.cancel(request.jobId),

    'fx:list': (request) => ({ total: countFxRates(db), rates: listFxRates(db, request.limit) }),

    'usage:report': (request) => usageReport(db, request),

    'dashboard:get': (request) => dashboard(db, request),
  };
}
