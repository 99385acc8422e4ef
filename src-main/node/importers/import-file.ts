import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { DomainError } from '../../common/errors.ts';
import { createFxConverter } from '../../common/money/fx.ts';
import { describeStyle, detectFileStyle, type FileStyle } from '../../common/money/number-style.ts';
import type { Clock } from '../../common/time/clock.ts';
import { compileCostCentreRules, compileModelAliases } from '../../common/usage/cost-centre-rules.ts';
import { appendAudit } from '../workbook/audit-log-repo.ts';
import { loadFxRates, upsertFxRate } from '../workbook/fx-rates-repo.ts';
import {
  findBatchBySha,
  finishBatch,
  insertPendingBatch,
  insertRejections,
  type ImportCounts,
} from '../workbook/import-batches-repo.ts';
import { listCostCentreRules, listModelAliases, saveColumnMapping } from '../workbook/import-settings-repo.ts';
import {
  createLineWriter,
  createOriginalWriter,
  dropPending,
  insertScopes,
  reconcileVolumeLines,
  supersedeCoveredBatches,
  type BatchScope,
  type PreparedLine,
  type Supersession,
  type WriteResult,
} from '../workbook/import-writer.ts';
import { readSettings } from '../workbook/settings-repo.ts';
import { recomputeBaseCosts } from '../workbook/usage-lines-repo.ts';
import { CsvSyntaxError } from './csv/csv-parser.ts';
import { readDelimitedFile } from './csv/read-delimited-file.ts';
import type { ColumnMapping } from './formats/custom-mapping.ts';
import { chooseFormat, SUPPORTED_FORMATS_TEXT } from './formats.ts';
import { naturalKeyOf } from './natural-key.ts';
import { compressSync, createCompressor, csvLine, ORIGINAL_COMPRESSION } from './original-file.ts';
import type { FormatMatch, RowMapper, RowOutcome } from './row-outcome.ts';
import { loadTables, sniffContainer } from './sources/load-tables.ts';
import type { ContainerKind, TableRecord } from './sources/table.ts';

export type ImportStatus = 'imported' | 'already-imported' | 'rejected' | 'failed' | 'cancelled';

export type RowRejection = { row: number; column: string; reason: string };

/** What happened to one file; the import page and the CLI show it as it is. */
export type ImportReport = {
  fileName: string;
  status: ImportStatus;
  message: string;
  format: string;
  formatVersion: string;
  /** How sure the detection was (1 when the user chose the format or a saved mapping matched). */
  confidence: number;
  formatLabel: string;
  /** How numbers and dates are written in the file, as detected. */
  numberStyle: string;
  batchId: number | null;
  counts: ImportCounts;
  /** Lines that replaced an earlier import's line for the same bucket with new figures. */
  restated: number;
  /** Earlier imports of the same scope and period that this file replaced. */
  replacedBatches: Supersession[];
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
  /** Read the file as this format instead of the detected one (the user's override). */
  format?: string;
  /** Read the file through this column mapping (the mapping wizard); saved for the same header when `saveMappingAs`. */
  mapping?: ColumnMapping;
  saveMappingAs?: string;
  signal?: AbortSignal;
  onProgress?(fraction: number): void;
};

export const MAX_LISTED_REJECTIONS = 200;
const MAX_STORED_REJECTIONS = 10_000;
const FLUSH_LINES = 4_000;

/**
 * Imports one file into the workbook, atomically: every row it adds is written in one transaction that commits
 * only when the whole file was read and accepted. Delimited text is streamed, so memory does not grow with the
 * file; JSON, JSON lines, ZIP and XLSX files are read whole (up to 512 MB).
 * - The format is recognised from the content (header and first rows, never the name) with a confidence; the
 *   user may override it or supply a column mapping.
 * - The same file again (same SHA-256) adds nothing and says when it was imported.
 * - A line already in the workbook from an overlapping export (same natural key, same figures) is a duplicate;
 *   with other figures it is a restatement and replaces the older line. A newer export covering the whole scope
 *   and period of an older one replaces it; both are recorded and undone together.
 * - Strict by default: a file with any rejected row is not imported; with `skipRejectedRows` the good rows are.
 * - The original file is kept compressed with the batch (columns with personal data hashed).
 * Never throws for a bad file: the report says what was wrong, naming the file, row and column.
 */
export async function importFile(db: Database, file: { path: string; name: string }, options: ImportOptions): Promise<ImportReport> {
  const report: ImportReport = {
    fileName: file.name,
    status: 'failed',
    message: '',
    format: 'unknown',
    formatVersion: '',
    confidence: 0,
    formatLabel: '',
    numberStyle: '',
    batchId: null,
    counts: { read: 0, imported: 0, duplicate: 0, skipped: 0, rejected: 0 },
    restated: 0,
    replacedBatches: [],
    skippedReasons: [],
    rejections: [],
    warnings: [],
    costByCurrency: [],
    tokens: 0,
  };
  let sizeBytes: number;
  let container: ContainerKind;
  try {
    const stat = statSync(file.path);
    if (!stat.isFile()) throw new Error('not a regular file');
    sizeBytes = stat.size;
    container = sniffContainer(file.path);
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
  const providers = new Set<string>();
  const scopes = new Map<string, BatchScope>();
  const settings = readSettings(db);
  const fx = createFxConverter(loadFxRates(db, settings.baseCurrency), settings.baseCurrency);
  const alias = compileModelAliases(listModelAliases(db));
  const costCentreRule = compileCostCentreRules(listCostCentreRules(db));
  const formats: string[] = [];
  const note = (map: Map<string, number>, text: string) => map.set(text, (map.get(text) ?? 0) + 1);
  // What the tables of this file share (a ZIP's entries): see MapperContext.shared.
  const sharedAcrossTables = new Map<string, unknown>();

  let writer: ReturnType<typeof createLineWriter> | undefined;
  let originals: ReturnType<typeof createOriginalWriter> | undefined;
  let batchId = 0;
  let mapper: RowMapper | undefined;
  let tableFormat = '';
  let tableEntry = '';
  let excelDates = false;
  const buffer: PreparedLine[] = [];
  const results: WriteResult[] = [];

  const flush = (): void => {
    if (buffer.length === 0) return;
    results.length = 0;
    writer!.write(buffer, naturalKeyOfOccurrence, results);
    for (let i = 0; i < buffer.length; i++) {
      const r = results[i]!;
      const line = buffer[i]!.line;
      if (r === 'duplicate') {
        report.counts.duplicate++;
        continue;
      }
      if (r === 'restated') report.restated++;
      report.counts.imported++;
      report.tokens += line.tokens;
      costByCurrency.set(line.currency, (costByCurrency.get(line.currency) ?? 0n) + BigInt(line.costMicros));
    }
    buffer.length = 0;
  };
  const keyMaterials = new WeakMap<PreparedLine, string>();
  const naturalKeyOfOccurrence = (p: PreparedLine, n: number) => naturalKeyOf(keyMaterials.get(p)!, n);

  const beginTable = (header: readonly string[], samples: readonly (readonly string[])[], kind: ContainerKind, delimiter: string, entry: string): void => {
    const style: FileStyle = detectFileStyle(samples, delimiter === ';');
    const match: FormatMatch | undefined = chooseFormat(db, header, samples, kind, { format: options.format, mapping: options.mapping, mappingName: options.saveMappingAs });
    if (!match) {
      const shown = header.slice(0, 8).join(', ') + (header.length > 8 ? ', …' : '');
      throw new DomainError(
        'invalid-input',
        `${file.name}${entry ? ` (${entry})` : ''}: format not recognised from its header (${shown}). TokenHedge reads: ${SUPPORTED_FORMATS_TEXT}; ` +
          'for any other CSV or XLSX, map its columns once with the mapping wizard.',
      );
    }
    if (!formats.includes(match.format)) formats.push(match.format);
    if (report.format === 'unknown') {
      report.format = match.format;
      report.formatVersion = match.version;
      report.confidence = match.confidence;
      report.formatLabel = match.label;
      report.numberStyle = describeStyle(style);
    }
    try {
      mapper = match.createMapper({ fileName: file.name, style, container: kind, shared: sharedAcrossTables });
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw new DomainError('invalid-input', `${file.name}: the file does not fit the format ${match.format} (${(error as Error).message})`);
    }
    tableFormat = match.format;
    tableEntry = entry;
    excelDates = kind === 'xlsx';
    if (!batchId) {
      batchId = insertPendingBatch(db, {
        fileName: file.name,
        sizeBytes,
        format: match.format,
        formatVersion: match.version,
        importedAtMs: options.clock.now(),
      });
      db.prepare('UPDATE import_batches SET detection_confidence = ?, number_style = ? WHERE batch_id = ?').run(
        match.confidence,
        report.numberStyle,
        batchId,
      );
      writer = createLineWriter(db, batchId, fx);
      originals = createOriginalWriter(db, batchId);
    }
    if (options.mapping && options.saveMappingAs) saveColumnMapping(db, header, options.saveMappingAs, JSON.stringify(options.mapping), options.clock.now());
  };

  const handleRecord = (record: TableRecord): void => {
    report.counts.read++;
    let outcome: RowOutcome;
    try {
      outcome = mapper!.mapRow(record.fields, record.row, record.ref);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      outcome = { kind: 'reject', column: '(row)', reason: error.message };
    }
    switch (outcome.kind) {
      case 'usage': {
        if (outcome.warning) note(warnings, outcome.warning);
        for (const { line, keyMaterial } of outcome.lines) {
          const recognised = line.model;
          line.model = alias(line.modelRaw, recognised);
          const ruled = costCentreRule(line);
          const prepared: PreparedLine = {
            line,
            key: naturalKeyOf(keyMaterial),
            costCentreSource: ruled !== undefined && ruled !== line.costCentre ? line.costCentre : null,
          };
          if (ruled !== undefined) line.costCentre = ruled;
          if (tableEntry && !line.sourceRef) line.sourceRef = `${tableEntry}:${record.row}`;
          keyMaterials.set(prepared, keyMaterial);
          buffer.push(prepared);
          providers.add(line.provider);
          trackScope(line.provider, line.providerAccount, line.project, line.billingPeriodStartMs, line.billingPeriodEndMs, line.periodStartMs, line.periodEndMs);
        }
        if (buffer.length >= FLUSH_LINES) flush();
        break;
      }
      case 'fx': {
        flush();
        const result = upsertFxRate(db, outcome.rate, batchId);
        if (result === 'unchanged') report.counts.duplicate++;
        else {
          report.counts.imported++;
          fxCurrencies.add(outcome.rate.base).add(outcome.rate.quote);
          if (result === 'replaced') note(warnings, 'rates replaced an earlier rate for the same pair and date');
        }
        break;
      }
      case 'skip':
        report.counts.skipped++;
        note(skipped, outcome.reason);
        break;
      case 'reject': {
        report.counts.rejected++;
        const where = record.ref ?? `line ${record.line}`;
        const rejection = { row: record.row, column: outcome.column, reason: `${where}: ${outcome.column} ${outcome.reason}` };
        if (report.rejections.length < MAX_LISTED_REJECTIONS) report.rejections.push(rejection);
        if (storedRejections.length < MAX_STORED_REJECTIONS) storedRejections.push(rejection);
        break;
      }
    }
  };

  function trackScope(provider: string, account: string, project: string, bpStart: number | undefined, bpEnd: number | undefined, start: number, end: number): void {
    const scope = `${tableFormat}|${provider}|${account}|${project}`;
    const billed = bpStart !== undefined && bpEnd !== undefined;
    const key = billed ? `${scope}\u0000${bpStart}` : `${scope}\u0000coverage`;
    const s = scopes.get(key);
    if (!s) scopes.set(key, { scope, periodStartMs: billed ? bpStart : start, periodEndMs: billed ? bpEnd : end, lines: 1 });
    else {
      s.lines++;
      if (!billed) {
        if (start < s.periodStartMs) s.periodStartMs = start;
        if (end > s.periodEndMs) s.periodEndMs = end;
      }
    }
  }

  db.exec('BEGIN IMMEDIATE');
  let compressor: ReturnType<typeof createCompressor> | undefined;
  try {
    let sha256: string;
    if (container === 'text') {
      let redact: readonly number[] = [];
      let compressedBytes = 0;
      let storedSize = 0;
      let delimiter = ',';
      const read = await readDelimitedFile(file.path, {
        signal: options.signal,
        onProgress: (bytes) => options.onProgress?.(sizeBytes ? Math.min(1, bytes / sizeBytes) : 1),
        onHeader: (info, samples) => {
          delimiter = info.delimiter;
          beginTable(info.header, samples.map((s) => s.fields), 'text', info.delimiter, '');
          redact = mapper!.personalColumns ?? [];
          compressor = createCompressor((chunk) => {
            compressedBytes += chunk.length;
            originals!.chunk(file.name, chunk);
          });
          if (redact.length > 0) {
            const line = csvLine(info.header, info.delimiter);
            storedSize += Buffer.byteLength(line);
            compressor.write(Buffer.from(line));
          }
        },
        onChunk: (chunk) => {
          if (redact.length === 0) {
            storedSize += chunk.length;
            compressor?.write(chunk);
          }
        },
        onRecords: (records) => {
          let redactedText = '';
          for (let i = 0; i < records.length; i++) {
            const r = records[i]!;
            handleRecord({ fields: r.fields, row: report.counts.read + 1, line: r.line });
            if (redact.length > 0) redactedText += csvLine(redactFields(r.fields, redact), delimiter);
          }
          if (redactedText) {
            const bytes = Buffer.from(redactedText);
            storedSize += bytes.length;
            compressor?.write(bytes);
          }
          flush();
        },
      });
      sha256 = read.sha256;
      await compressor?.end();
      compressor = undefined;
      void compressedBytes;
      originals?.finish({ entryName: file.name, sizeBytes: storedSize, compression: ORIGINAL_COMPRESSION, redacted: redact.length > 0 });
    } else {
      const loaded = loadTables(file.path, container, sizeBytes);
      sha256 = createHash('sha256').update(loaded.bytes).digest('hex');
      const total = loaded.tables.reduce((n, t) => n + t.records.length, 0) || 1;
      let done = 0;
      const redactedEntries: { name: string; text: string }[] = [];
      for (const table of loaded.tables) {
        beginTable(table.header, table.records.slice(0, 200).map((r) => r.fields), table.kind, ',', container === 'zip' ? table.entry : '');
        const redact = mapper!.personalColumns ?? [];
        let redactedText = redact.length > 0 ? csvLine(table.header) : '';
        for (const record of table.records) {
          handleRecord(record);
          if (redact.length > 0) redactedText += csvLine(redactFields(record.fields, redact));
          if (++done % 2000 === 0) {
            flush();
            options.onProgress?.(done / total);
            await new Promise((resolve) => setImmediate(resolve));
            if (options.signal?.aborted) throw new DomainError('cancelled', 'Import cancelled');
          }
        }
        flush();
        if (redact.length > 0) redactedEntries.push({ name: `${table.entry || file.name}${table.kind === 'text' ? '' : '.csv'}`, text: redactedText });
      }
      if (redactedEntries.length === 0) {
        originals?.chunk(file.name, compressSync(loaded.bytes));
        originals?.finish({ entryName: file.name, sizeBytes: loaded.bytes.length, compression: ORIGINAL_COMPRESSION, redacted: false });
      } else {
        for (const e of redactedEntries) {
          const bytes = Buffer.from(e.text);
          originals?.chunk(e.name, compressSync(bytes));
          originals?.finish({ entryName: e.name, sizeBytes: bytes.length, compression: ORIGINAL_COMPRESSION, redacted: true });
        }
      }
      options.onProgress?.(1);
    }
    if (!batchId) throw new DomainError('invalid-input', `${file.name}: the file is empty: no header row`);

    report.skippedReasons = [...skipped].map(([reason, rows]) => ({ reason, rows })).sort((a, b) => b.rows - a.rows);
    report.warnings = [...warnings].map(([w, n]) => `${n} ${n === 1 ? 'row' : 'rows'}: ${w}`);
    report.costByCurrency = [...costByCurrency].map(([currency, micros]) => ({ currency, costMicros: Number(micros) }));
    if (formats.length > 1) report.format = formats.join('+');

    const earlier = findBatchBySha(db, sha256);
    if (earlier) {
      rollback(db);
      report.status = 'already-imported';
      report.batchId = earlier.batchId;
      report.counts = { ...report.counts, imported: 0, duplicate: report.counts.read - report.counts.skipped - report.counts.rejected };
      report.costByCurrency = [];
      report.tokens = 0;
      report.restated = 0;
      report.message = `${file.name} was already imported on ${new Date(earlier.importedAtMs).toISOString().slice(0, 10)} as batch #${earlier.batchId} (${earlier.fileName}); nothing was added.`;
      return report;
    }
    if (report.counts.rejected > 0 && !options.skipRejectedRows) {
      rollback(db);
      report.status = 'rejected';
      report.message =
        `${file.name}: ${report.counts.rejected} of ${report.counts.read} rows were rejected, so nothing was imported. ` +
        'Correct the file, or import it again choosing to skip the rejected rows.';
      report.costByCurrency = [];
      report.tokens = 0;
      report.restated = 0;
      report.counts = { ...report.counts, imported: 0, duplicate: 0 };
      return report;
    }
    insertScopes(db, batchId, [...scopes.values()]);
    const { replaced, adopted } = supersedeCoveredBatches(db, batchId);
    report.replacedBatches = replaced;
    report.counts.imported += adopted;
    report.counts.duplicate -= adopted;
    if (formats.length > 1) db.prepare('UPDATE import_batches SET format = ? WHERE batch_id = ?').run(report.format, batchId);
    finishBatch(db, batchId, sha256, report.counts, {
      warnings: report.warnings,
      skippedReasons: report.skippedReasons,
      restated: report.restated,
      replacedBatches: replaced,
      formatLabel: report.formatLabel,
      confidence: report.confidence,
    });
    insertRejections(db, batchId, storedRejections);
    reconcileVolumeLines(db, [...providers]);
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
      after: { fileName: file.name, sha256, format: report.format, counts: report.counts, restated: report.restated, replaced },
    });
    dropPending(db);
    db.exec('COMMIT');
    report.status = 'imported';
    report.batchId = batchId;
    const c = report.counts;
    report.message =
      `${file.name}: ${c.imported} ${report.format === 'fx-rates' ? 'rates' : 'lines'} imported from ${c.read} rows` +
      (c.duplicate ? `, ${c.duplicate} already in the workbook` : '') +
      (report.restated ? `, ${report.restated} restating earlier lines` : '') +
      (c.skipped ? `, ${c.skipped} skipped as not AI usage` : '') +
      (c.rejected ? `, ${c.rejected} rejected rows left out` : '') +
      (replaced.length ? `; replaces ${replaced.map((r) => `batch #${r.batchId} (${r.fileName})`).join(', ')} of the same scope and period` : '') +
      '.';
    return report;
  } catch (error) {
    compressor?.destroy();
    rollback(db);
    report.counts = { ...report.counts, imported: 0, duplicate: 0 };
    report.costByCurrency = [];
    report.tokens = 0;
    report.restated = 0;
    report.replacedBatches = [];
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

function rollback(db: Database): void {
  if (db.inTransaction) db.exec('ROLLBACK');
  dropPending(db);
}

function redactFields(fields: readonly string[], columns: readonly number[]): string[] {
  const copy = fields.slice();
  for (const c of columns) {
    const v = copy[c];
    if (v) copy[c] = `pd:${createHash('sha256').update(v.trim().toLowerCase()).digest('hex').slice(0, 12)}`;
  }
  return copy;
}
