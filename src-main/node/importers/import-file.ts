import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { DomainError } from '../../common/errors.ts';
import { createFxConverter } from '../../common/money/fx.ts';
import { describeStyle, detectFileStyle, type FileStyle } from '../../common/money/number-style.ts';
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
import { listCostCentreRules, listModelAliases, saveColumnMapping } from '../workbook/import-settings-repo.ts';
import {
  createLineWriter,
  createOriginalWriter,
  dropPending,
  insertScopes,
  reconcileVolumeLines,
  registerVolumeProviders,
  RepeatedKeyWithoutMaterial,
  supersedeCoveredBatches,
  volumeProviders,
  WRITE_DUPLICATE,
  WRITE_RESTATED,
  type StoredOriginal,
  type Supersession,
} from '../workbook/import-writer.ts';
import { readSettings } from '../workbook/settings-repo.ts';
import { recomputeBaseCosts } from '../workbook/usage-lines-repo.ts';
import { CsvSyntaxError } from './csv/csv-parser.ts';
import { sha256OfFile } from './csv/read-delimited-file.ts';
import type { SplitPlan } from './csv/split-plan.ts';
import { produceDelimited, type DelimitedHooks, type DelimitedSummary } from './delimited-producer.ts';
import type { ColumnMapping } from './formats/custom-mapping.ts';
import { chooseFormat, SUPPORTED_FORMATS_TEXT } from './formats.ts';
import { produceDelimitedInWorker, SPLIT_THRESHOLD_BYTES, SplitReadMismatch, type ImportReaders } from './import-worker-protocol.ts';
import { createLineBatchDictionary, N, NUMBER_COLUMN_COUNT, T, TEXT_COLUMN_COUNT, type LineBatch } from './line-batch.ts';
import { compressSync, csvLine, ORIGINAL_COMPRESSION } from './original-file.ts';
import type { FormatMatch } from './row-outcome.ts';
import { BATCH_LINES, createRowProducer, redactFields, type ProducerShared, type ProducerTally, type TableSetup } from './row-producer.ts';
import { loadTables, sniffContainer } from './sources/load-tables.ts';
import type { ContainerKind } from './sources/table.ts';

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
  /**
   * Read a delimited file in a worker thread while this thread writes (default: for files of
   * `WORKER_THRESHOLD_BYTES` or more). Both ways import exactly the same lines.
   */
  readInWorker?: boolean;
  /** The reader threads to use (a job importing several files shares them); by default they are started for the file. */
  readers?: ImportReaders;
  /**
   * Read a large delimited file in two parts, by two reader threads at once (default: from `SPLIT_THRESHOLD_BYTES`;
   * see `split-plan.ts`). The same lines are imported either way; when the parts do not meet where the cut said,
   * nothing is kept and the file is read again in one thread. A `SplitPlan` is a cut to use (tests of that case).
   * One difference remains: when a file repeats a line in both parts and an earlier import holds that line with
   * other figures, which copy restates it and which is the file's second copy follows the order they are written in.
   */
  splitRead?: boolean | SplitPlan;
};

export const MAX_LISTED_REJECTIONS = 200;
/** From this size a delimited file is read in a worker thread (below it, starting the thread costs more than it saves). */
export const WORKER_THRESHOLD_BYTES = 8 * 1024 * 1024;
/** The page cache of the import's connection while it writes: keeps the natural-key index's pages in memory. */
const IMPORT_CACHE_KIB = 64 * 1024;

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

  const settings = readSettings(db);
  const shared: ProducerShared = {
    fileName: file.name,
    sizeBytes,
    modelAliases: listModelAliases(db),
    costCentreRules: listCostCentreRules(db),
    fxRates: loadFxRates(db, settings.baseCurrency),
    baseCurrency: settings.baseCurrency,
  };
  const formats: string[] = [];
  const sharedAcrossTables = new Map<string, unknown>();
  let writer: ReturnType<typeof createBatchWriter> | undefined;
  let batchId = 0;

  /** Recognises a table's format from its header (the workbook's saved mappings included) and starts the batch. */
  const beginTable = (header: readonly string[], samples: readonly (readonly string[])[], kind: ContainerKind, delimiter: string, entry: string): TableSetup => {
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
    // The tables of one file (a ZIP's entries) share what they learn (see MapperContext.shared); a text file read in
    // the reader thread has one table, so the copy it receives is all it needs.
    const context = { fileName: file.name, style, container: kind, shared: sharedAcrossTables };
    try {
      // Made here too so that a file that does not fit its format fails with the same message in either thread.
      match.createMapper(context);
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw new DomainError('invalid-input', `${file.name}: the file does not fit the format ${match.format} (${(error as Error).message})`);
    }
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
      writer = createBatchWriter(db, batchId);
    }
    if (options.mapping && options.saveMappingAs) saveColumnMapping(db, header, options.saveMappingAs, JSON.stringify(options.mapping), options.clock.now());
    return { format: match.format, mapping: match.mapping, context, entry };
  };

  let tally: ProducerTally;
  let sha256: string;
  let splitRead = false;
  const restorePragmas = tuneForImport(db);
  db.exec('BEGIN IMMEDIATE');
  try {
    // Read (or, for a workbook that has none yet, make) the list of providers with volume lines now, while the
    // workbook does not hold this file's lines: making it reads every line.
    volumeProviders(db);
    if (container === 'text') {
      const entryName = file.name;
      // The file's SHA-256 is made in this thread meanwhile (it mostly waits for the reader threads), settled into
      // a value at once so that a failure is not an unhandled rejection while the file is still being read. It
      // starts with the first batch, leaving the cores to the reader threads while they start.
      const stopHashing = new AbortController();
      let hashing: Promise<{ sha256: string; sizeBytes: number } | Error> | undefined;
      const startHashing = () =>
        (hashing ??= sha256OfFile(file.path, stopHashing.signal).then(
          (hashed) => hashed,
          (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
        ));
      const hooks: DelimitedHooks = {
        signal: options.signal,
        onProgress: (bytes) => options.onProgress?.(sizeBytes ? Math.min(1, bytes / sizeBytes) : 1),
        onHeader: (header, samples, delimiter) => beginTable(header, samples, 'text', delimiter, ''),
        onBatch: (batch, _transfer, original, part = 0) => {
          startHashing();
          if (batch) writer!.write(batch, part);
          for (const piece of original) writer!.original(entryName, piece, part);
        },
      };
      const inWorker = options.readInWorker ?? sizeBytes >= WORKER_THRESHOLD_BYTES;
      const split = inWorker ? (options.splitRead ?? sizeBytes >= SPLIT_THRESHOLD_BYTES) : false;
      splitRead = split !== false;
      let read: DelimitedSummary;
      try {
        read = !inWorker
          ? await produceDelimited(file.path, shared, hooks)
          : options.readers
            ? await options.readers.produce(file.path, shared, hooks, split)
            : await produceDelimitedInWorker(file.path, shared, hooks, split);
      } catch (error) {
        stopHashing.abort();
        throw error;
      }
      const hashed = await startHashing();
      if (hashed instanceof Error) throw new DomainError('invalid-input', `cannot read the file (${hashed.message})`);
      if (hashed.sizeBytes !== read.sizeBytes) {
        throw new DomainError(
          'invalid-input',
          `${file.name}: the file changed while it was being imported; nothing was imported. Import it again once it is complete.`,
        );
      }
      sha256 = hashed.sha256;
      tally = read.tally;
      if (batchId) writer!.finishOriginal({ entryName, sizeBytes: read.original.sizeBytes, compression: ORIGINAL_COMPRESSION, redacted: read.original.redacted });
    } else {
      const loaded = loadTables(file.path, container, sizeBytes);
      sha256 = createHash('sha256').update(loaded.bytes).digest('hex');
      const producer = createRowProducer(shared);
      const total = loaded.tables.reduce((n, t) => n + t.records.length, 0) || 1;
      let done = 0;
      const redactedEntries: { name: string; text: string }[] = [];
      const write = (all: boolean): void => {
        for (const { batch } of producer.take(all)) writer!.write(batch);
      };
      for (const table of loaded.tables) {
        const setup = beginTable(table.header, table.records.slice(0, 200).map((r) => r.fields), table.kind, ',', container === 'zip' ? table.entry : '');
        const redact = producer.beginTable(table.header, setup).personalColumns ?? [];
        let redactedText = redact.length > 0 ? csvLine(table.header) : '';
        for (const record of table.records) {
          producer.record(record.fields, record.row, record.line, record.ref);
          if (redact.length > 0) redactedText += csvLine(redactFields(record.fields, redact));
          if (++done % 2000 === 0) {
            write(true);
            options.onProgress?.(done / total);
            await new Promise((resolve) => setImmediate(resolve));
            if (options.signal?.aborted) throw new DomainError('cancelled', 'Import cancelled');
          }
        }
        write(true);
        if (redact.length > 0) redactedEntries.push({ name: `${table.entry || file.name}${table.kind === 'text' ? '' : '.csv'}`, text: redactedText });
      }
      tally = producer.tally();
      if (batchId) {
        if (redactedEntries.length === 0) {
          writer!.original(file.name, compressSync(loaded.bytes));
          writer!.finishOriginal({ entryName: file.name, sizeBytes: loaded.bytes.length, compression: ORIGINAL_COMPRESSION, redacted: false });
        } else {
          for (const e of redactedEntries) {
            const bytes = Buffer.from(e.text);
            writer!.original(e.name, compressSync(bytes));
            writer!.finishOriginal({ entryName: e.name, sizeBytes: bytes.length, compression: ORIGINAL_COMPRESSION, redacted: true });
          }
        }
      }
      options.onProgress?.(1);
    }
    if (!batchId) throw new DomainError('invalid-input', `${file.name}: the file is empty: no header row`);

    const written = writer!.totals();
    report.counts = {
      read: tally.read,
      imported: written.imported,
      duplicate: written.duplicate,
      skipped: tally.skipped,
      rejected: tally.rejected,
    };
    report.restated = written.restated;
    report.tokens = written.tokens;
    report.rejections = tally.rejections.slice(0, MAX_LISTED_REJECTIONS);
    const warnings = new Map(tally.warnings);
    for (const [w, n] of written.warnings) warnings.set(w, (warnings.get(w) ?? 0) + n);
    report.skippedReasons = tally.skippedReasons.map(([reason, rows]) => ({ reason, rows })).sort((a, b) => b.rows - a.rows);
    report.warnings = [...warnings].map(([w, n]) => `${n} ${n === 1 ? 'row' : 'rows'}: ${w}`);
    report.costByCurrency = written.costByCurrency;
    if (formats.length > 1) report.format = formats.join('+');
    const fxCurrencies = written.fxCurrencies;
    const providers = tally.providers;

    const earlier = findBatchBySha(db, sha256);
    if (earlier) {
      rollback(db);
      restorePragmas();
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
      restorePragmas();
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
    insertScopes(db, batchId, tally.scopes);
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
    insertRejections(db, batchId, tally.rejections);
    registerVolumeProviders(db, tally.volumeProviders);
    reconcileVolumeLines(db, providers);
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
    restorePragmas();
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
    rollback(db);
    restorePragmas();
    if (splitRead && (error instanceof SplitReadMismatch || error instanceof RepeatedKeyWithoutMaterial)) {
      // The two parts did not fit together (see `SplitReadMismatch`): nothing was kept; read it in one thread.
      return importFile(db, file, { ...options, splitRead: false });
    }
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

/**
 * Settings of the import's connection while it writes, restored afterwards (the returned function):
 * - a page cache of `IMPORT_CACHE_KIB`, so the pages of the natural-key index (where each new line lands at a
 *   random place) stay in memory instead of going to the WAL and back;
 * - temporary files in memory: a multi-row INSERT keeps a statement journal of every page it changes (so that
 *   a failing row could be undone alone), which SQLite otherwise writes to a temporary file, page by page.
 */
function tuneForImport(db: Database): () => void {
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  const tempStore = db.pragma('temp_store', { simple: true }) as number;
  const cacheKib = cacheSize < 0 ? -cacheSize : (cacheSize * (db.pragma('page_size', { simple: true }) as number)) / 1024;
  if (cacheKib < IMPORT_CACHE_KIB) db.pragma(`cache_size = -${IMPORT_CACHE_KIB}`);
  db.pragma('temp_store = MEMORY');
  return () => {
    db.pragma(`cache_size = ${cacheSize}`);
    db.pragma(`temp_store = ${tempStore}`);
  };
}

/**
 * The writing half of an import, in the importing thread: writes the batches of lines (see `createLineWriter`),
 * the FX rates they carry and the pieces of the stored original, and adds up what was stored.
 */
function createBatchWriter(db: Database, batchId: number) {
  const lines = createLineWriter(db, batchId);
  const originals = createOriginalWriter(db, batchId);
  // One text dictionary per part of a file read in two parts (see `ImportOptions.splitRead`).
  const dictionaries = [createLineBatchDictionary(), createLineBatchDictionary()];
  let results = new Uint8Array(BATCH_LINES);
  let imported = 0;
  let duplicate = 0;
  let restated = 0;
  let tokens = 0;
  // Cost per currency: exact sums as numbers while they stay safe integers, BigInt beyond.
  const cost = new Map<string, { small: number; big: bigint }>();
  const warnings = new Map<string, number>();
  const fxCurrencies = new Set<string>();
  return {
    write(batch: LineBatch, part: 0 | 1 = 0): void {
      const texts = dictionaries[part]!.apply(batch);
      if (results.length < batch.count) results = new Uint8Array(batch.count);
      lines.write(batch, texts, results, part);
      const nums = batch.numbers;
      const ids = batch.texts;
      for (let i = 0; i < batch.count; i++) {
        const r = results[i]!;
        if (r === WRITE_DUPLICATE) {
          duplicate++;
          continue;
        }
        if (r === WRITE_RESTATED) restated++;
        imported++;
        tokens += nums[i * NUMBER_COLUMN_COUNT + N.tokens]!;
        const micros = nums[i * NUMBER_COLUMN_COUNT + N.cost_micros]!;
        const currency = texts[ids[i * TEXT_COLUMN_COUNT + T.currency]!]!;
        const sum = cost.get(currency);
        if (!sum) cost.set(currency, { small: micros, big: 0n });
        else {
          const next = sum.small + micros;
          if (Number.isSafeInteger(next)) sum.small = next;
          else {
            sum.big += BigInt(sum.small) + BigInt(micros);
            sum.small = 0;
          }
        }
      }
      for (const rate of batch.rates) {
        const result = upsertFxRate(db, rate, batchId);
        if (result === 'unchanged') duplicate++;
        else {
          imported++;
          fxCurrencies.add(rate.base).add(rate.quote);
          if (result === 'replaced') {
            const w = 'rates replaced an earlier rate for the same pair and date';
            warnings.set(w, (warnings.get(w) ?? 0) + 1);
          }
        }
      }
    },
    original(entryName: string, data: Uint8Array, part: 0 | 1 = 0): void {
      originals.chunk(entryName, data, part);
    },
    finishOriginal(file: StoredOriginal): void {
      originals.finish(file);
    },
    totals() {
      return {
        imported,
        duplicate,
        restated,
        tokens,
        costByCurrency: [...cost].map(([currency, sum]) => ({ currency, costMicros: Number(sum.big + BigInt(sum.small)) })),
        warnings,
        fxCurrencies,
      };
    },
  };
}
