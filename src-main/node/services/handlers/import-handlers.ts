import type { Handlers } from '../../../common/api/dispatch.ts';
import { DomainError } from '../../../common/errors.ts';
import { countFxRates, listFxRates } from '../../workbook/fx-rates-repo.ts';
import { listBatches } from '../../workbook/import-batches-repo.ts';
import type { ColumnMapping } from '../../importers/formats/custom-mapping.ts';
import type { ServiceDeps } from './deps.ts';

type ImportHandlers = Pick<Handlers, 'files:pick' | 'imports:start' | 'imports:list' | 'jobs:get' | 'jobs:cancel' | 'fx:list'>;

/** Choosing files, importing them as jobs, following the jobs, and the FX rates imported. */
export function importHandlers(deps: ServiceDeps): ImportHandlers {
  const { db } = deps;
  return {
    'files:pick': async () => {
      if (!deps.pickFiles) {
        throw new DomainError('unsupported', 'There is no native file dialog in this mode; upload the files instead.');
      }
      return deps.pickFiles();
    },

    'imports:start': (request) => {
      const choices = new Map((request.choices ?? []).map((c) => [c.fileId, c]));
      const files = request.fileIds.map((id) => {
        const file = deps.files.resolve(id);
        const choice = choices.get(id);
        return {
          ...file,
          ...(choice?.format ? { format: choice.format } : {}),
          ...(choice?.mapping ? { mapping: choice.mapping as ColumnMapping } : {}),
          ...(choice?.saveMappingAs ? { saveMappingAs: choice.saveMappingAs } : {}),
        };
      });
      return {
        jobId: deps.jobs.start({
          kind: 'import',
          files,
          skipRejectedRows: request.skipRejectedRows,
          format: request.format,
          mapping: request.mapping as ColumnMapping | undefined,
          saveMappingAs: request.saveMappingAs,
        }),
      };
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
  };
}
