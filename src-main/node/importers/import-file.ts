import { statSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { DomainError } from '../../common/errors.ts';
import { createFxConverter } from '../../common/money/fx.ts';
import type { Clock } from '../../common/time/clock.ts';
import { appendAudit } from '../workbook/audit-log-repo.ts';
import { loadFxRates, upsertFxRate } from '../workbook/fx-rates-repo.ts';
import {
  findBatchBySha,
  finishBatch,
  insertPendingBatch,
  insertRejections,
  type ImportCounts,
} from '../workbook/import-batches-repo.ts';
import { readSettings } from '../workbook/settings-repo.ts';
import { createUsageLineWriter, recomputeBaseCosts } from '../workbook/usage-lines-repo.ts';
import { CsvSyntaxError, type CsvRecord } from './csv/csv-parser.ts';
import { readDelimitedFile } from './csv/read-delimited-file.ts';
import { detectFormat, SUPPORTED_FORMATS_TEXT } from './formats.ts';
import { naturalKeyOf } from './natural-key.ts';
import type { RowMapper, RowOutcome } from './row-outcome.ts';

export type ImportStatus = 'imported' | 'already-imported' | 'rejected' | 'failed' | 'cancelled';

export type RowRejection = { row: number; column: string; reason: string };

/** What happened to one file; the import page and the CLI show it as it is. */
export type ImportReport = {
  fileName: string;
  status: ImportStatus;
  message: string;
  format: string;
  formatVersion: string;
  batchId: number | null;
  counts: ImportCounts;
  skippedReasons: { reason: string; rows: number }[];
  /** The first rejected rows (at most `MAX_LISTED_REJECTIONS`); `counts.rejected` has the total. */
  rejections: RowRejection[];
  warnings: string[];
  costByCurrency: { currency: string; costMicros: number }[];
  tokens: number;
};

export type ImportOptions = {
  clock: Clock;
  /** Who imports (recorded in the audit log). */
  actor: string;
  /** Import the good rows of a file that has rejected rows (the rejected ones are listed and left out). */
  skipRejectedRows?: boolean;
  signal?: AbortSignal;
  onProgress?(fraction: number): void;
};

export const MAX_LISTED_REJECTIONS = 200;
const MAX_STORED_REJECTIONS = 10_000;

/**
 * Imports one file into the workbook, atomically: every row it adds is written in one transaction that commits
 * only when the whole file was read and accepted. Rows are streamed, so memory does not grow with file size.
 * - The same file again (same SHA-256) adds nothing and says when it was imported.
 * - Lines already in the workbook from an overlapping export (same natural key) are counted as duplicates.
 * - Strict by default: a file with any rejected row is not imported; with `skipRejectedRows` the good rows are.
 * Never throws for a bad file: the report says what was wrong, naming the file, row and column.
 */
export async function importFile(db: Database, file: { path: string; name: string }, options: ImportOptions): Promise<ImportReport> {
  const report: ImportReport = {
    fileName: file.name,
    status: 'failed',
    message: '',
    format: 'unknown',
    formatVersion: '',
    batchId: null,
    counts: { read: 0, imported: 0, duplicate: 0, skipped: 0, rejected: 0 },
    skippedReasons: [],
    rejections: [],
    warnings: [],
    costByCurrency: [],
    tokens: 0,
  };
  let sizeBytes: number;
  try {
    const stat = statSync(file.path);
    if (!stat.isFile()) throw new Error('not a regular file');
    sizeBytes = stat.size;
  } catch (error) {
    report.message = `${file.name}: cannot read the file (${(error as Error).message})`;
    return report;
  }
  if (db.inTransaction) throw new Error('importFile needs a connection without an open transaction');

  const skipped = new Map<string, number>();
  const warnings = new Map<string, number>();
  const storedRejections: RowRejection[] = [];
  const costByCurrency = new Map<string, bigint>();
  const fxCurrencies = new Set<string>();
  const settings = readSettings(db);
  const fx = createFxConverter(loadFxRates(db, settings.baseCurrency), settings.baseCurrency);

  let mapper: RowMapper | undefined;
  let writer: ReturnType<typeof createUsageLineWriter> | undefined;
  let batchId = 0;
  let row = 0;

  const onRecords = (records: CsvRecord[]): void => {
    for (const record of records) {
      row++;
      report.counts.read++;
      let outcome: RowOutcome;
      try {
        outcome = mapper!.mapRow(record.fields, row);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        outcome = { kind: 'reject', column: '(row)', reason: error.message };
      }
      switch (outcome.kind) {
        case 'usage': {
          const { line, keyMaterial } = outcome;
          const result = writer!.insert(line, naturalKeyOf(keyMaterial), (n) => naturalKeyOf(keyMaterial, n));
          if (result === 'duplicate') {
            report.counts.duplicate++;
            break;
          }
          report.counts.imported++;
          report.tokens += line.tokens;
          costByCurrency.set(line.currency, (costByCurrency.get(line.currency) ?? 0n) + BigInt(line.costMicros));
          if (outcome.warning) warnings.set(outcome.warning, (warnings.get(outcome.warning) ?? 0) + 1);
          break;
        }
        case 'fx': {
          const result = upsertFxRate(db, outcome.rate, batchId);
          if (result === 'unchanged') report.counts.duplicate++;
          else {
            report.counts.imported++;
            fxCurrencies.add(outcome.rate.base).add(outcome.rate.quote);
            if (result === 'replaced') {
              const w = 'rates replaced an earlier rate for the same pair and date';
              warnings.set(w, (warnings.get(w) ?? 0) + 1);
            }
          }
          break;
        }
        case 'skip':
          report.counts.skipped++;
          skipped.set(outcome.reason, (skipped.get(outcome.reason) ?? 0) + 1);
          break;
        case 'reject': {
          report.counts.rejected++;
          const rejection = { row, column: outcome.column, reason: `line ${record.line}: ${outcome.column} ${outcome.reason}` };
          if (report.rejections.length < MAX_LISTED_REJECTIONS) report.rejections.push(rejection);
          if (storedRejections.length < MAX_STORED_REJECTIONS) storedRejections.push(rejection);
          break;
        }
      }
    }
  };

  db.exec('BEGIN IMMEDIATE');
  try {
    const read = await readDelimitedFile(file.path, {
      signal: options.signal,
      onProgress: (bytes) => options.onProgress?.(sizeBytes ? Math.min(1, bytes / sizeBytes) : 1),
      onHeader: ({ header }) => {
        const match = detectFormat(header);
        if (!match) {
          const shown = header.slice(0, 8).join(', ') + (header.length > 8 ? ', …' : '');
          throw new DomainError(
            'invalid-input',
            `${file.name}: format not recognised from its header (${shown}). TokenHedge reads: ${SUPPORTED_FORMATS_TEXT}.`,
          );
        }
        report.format = match.format;
        report.formatVersion = match.version;
        mapper = match.createMapper({ fileName: file.name });
        batchId = insertPendingBatch(db, {
          fileName: file.name,
          sizeBytes,
          format: match.format,
          formatVersion: match.version,
          importedAtMs: options.clock.now(),
        });
        writer = createUsageLineWriter(db, batchId, fx);
      },
      onRecords,
    });

    report.skippedReasons = [...skipped].map(([reason, rows]) => ({ reason, rows })).sort((a, b) => b.rows - a.rows);
    report.warnings = [...warnings].map(([w, n]) => `${n} ${n === 1 ? 'row' : 'rows'}: ${w}`);
    report.costByCurrency = [...costByCurrency].map(([currency, micros]) => ({ currency, costMicros: Number(micros) }));

    const earlier = findBatchBySha(db, read.sha256);
    if (earlier) {
      db.exec('ROLLBACK');
      report.status = 'already-imported';
      report.batchId = earlier.batchId;
      report.counts = { ...report.counts, imported: 0, duplicate: report.counts.read - report.counts.skipped - report.counts.rejected };
      report.costByCurrency = [];
      report.tokens = 0;
      report.message = `${file.name} was already imported on ${new Date(earlier.importedAtMs).toISOString().slice(0, 10)} as batch #${earlier.batchId} (${earlier.fileName}); nothing was added.`;
      return report;
    }
    if (report.counts.rejected > 0 && !options.skipRejectedRows) {
      db.exec('ROLLBACK');
      report.status = 'rejected';
      report.message =
        `${file.name}: ${report.counts.rejected} of ${report.counts.read} rows were rejected, so nothing was imported. ` +
        'Correct the file, or import it again choosing to skip the rejected rows.';
      report.costByCurrency = [];
      report.tokens = 0;
      report.counts = { ...report.counts, imported: 0, duplicate: 0 };
      return report;
    }
    finishBatch(db, batchId, read.sha256, report.counts, { warnings: report.warnings, skippedReasons: report.skippedReasons });
    insertRejections(db, batchId, storedRejections);
    if (fxCurrencies.size > 0) {
      const fresh = createFxConverter(loadFxRates(db, settings.baseCurrency), settings.baseCurrency);
      recomputeBaseCosts(db, fresh, [...fxCurrencies].filter((c) => c !== settings.baseCurrency));
    }
    appendAudit(db, {
      atMs: options.clock.now(),
      actor: options.actor,
      action: 'import',
      entity: 'import_batch',
      entityId: String(batchId),
      before: null,
      after: { fileName: file.name, sha256: read.sha256, format: report.format, counts: report.counts },
    });
    db.exec('COMMIT');
    report.status = 'imported';
    report.batchId = batchId;
    const c = report.counts;
    report.message =
      `${file.name}: ${c.imported} ${report.format === 'fx-rates' ? 'rates' : 'lines'} imported from ${c.read} rows` +
      (c.duplicate ? `, ${c.duplicate} already in the workbook` : '') +
      (c.skipped ? `, ${c.skipped} skipped as not AI usage` : '') +
      (c.rejected ? `, ${c.rejected} rejected rows left out` : '') +
      '.';
    return report;
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    report.counts = { ...report.counts, imported: 0, duplicate: 0 };
    report.costByCurrency = [];
    report.tokens = 0;
    if (error instanceof DomainError && error.code === 'cancelled') {
      report.status = 'cancelled';
      report.message = `${file.name}: import cancelled after ${report.counts.read} rows; nothing was added.`;
      return report;
    }
    report.status = 'failed';
    if (error instanceof CsvSyntaxError) {
      report.message = `${file.name} line ${error.line}: ${error.message}; nothing was imported.`;
    } else if (error instanceof DomainError) {
      report.message = error.message.startsWith(file.name) ? error.message : `${file.name}: ${error.message}`;
    } else {
      throw error;
    }
    return report;
  }
}
