import type { ResponseOf } from '../../../common/api/contract.ts';
import type { Handlers } from '../../../common/api/dispatch.ts';
import { DomainError } from '../../../common/errors.ts';
import { createFxConverter } from '../../../common/money/fx.ts';
import { describeStyle, detectFileStyle } from '../../../common/money/number-style.ts';
import { createCsvParser, CsvSyntaxError, sniffDelimiter } from '../../importers/csv/csv-parser.ts';
import { chooseFormat, detectFormats, FORMATS } from '../../importers/formats.ts';
import type { ColumnMapping } from '../../importers/formats/custom-mapping.ts';
import type { FormatMatch } from '../../importers/row-outcome.ts';
import { compileCostCentreRules, compileModelAliases } from '../../../common/usage/cost-centre-rules.ts';
import { columnMappingSchema } from '../../../common/api/contracts/import-engine.ts';
import { decodeText, loadTables, sniffContainer } from '../../importers/sources/load-tables.ts';
import type { LoadedTable } from '../../importers/sources/table.ts';
import { appendAudit } from '../../workbook/audit-log-repo.ts';
import { loadFxRates } from '../../workbook/fx-rates-repo.ts';
import { lineCountsByBatch, listBatches } from '../../workbook/import-batches-repo.ts';
import { findColumnMapping, listCostCentreRules, listModelAliases, replaceCostCentreRules, replaceModelAliases } from '../../workbook/import-settings-repo.ts';
import { reconcileVolumeLines, undoBatch } from '../../workbook/import-writer.ts';
import { readSettings } from '../../workbook/settings-repo.ts';
import { recomputeBaseCosts } from '../../workbook/usage-lines-repo.ts';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { ServiceDeps } from './deps.ts';

type ImportEngineHandlers = Pick<
  Handlers,
  'imports:preview' | 'imports:formats' | 'imports:undo' | 'imports:batches' | 'reconciliation:get' | 'invoices:enter' | 'import-rules:get' | 'import-rules:set'
>;

type TrialResult = ResponseOf<'imports:preview'>['tables'][number]['trial'];

/** The preview reads at most this many rows of a table to find its first lines. */
const MAX_TRIAL_ROWS = 5_000;

/** A mapping saved by an earlier version may not parse any more: then it is not offered. */
function parseSavedMapping(json: string): ColumnMapping | null {
  try {
    const parsed = columnMappingSchema.safeParse(JSON.parse(json));
    return parsed.success ? (parsed.data as ColumnMapping) : null;
  } catch {
    return null;
  }
}

/** Preview before importing, the batch list with undo, reconciliation, invoices and import rules. */
export function importEngineHandlers(deps: ServiceDeps): ImportEngineHandlers {
  const { db } = deps;
  return {
    'imports:preview': (request) => {
      const file = deps.files.resolve(request.fileId);
      const container = sniffContainer(file.path);
      let tables: LoadedTable[];
      let semicolons = false;
      if (container === 'text') {
        // Only the first 1 MB is read: enough for the header, the first rows and the detection.
        const size = statSync(file.path).size;
        const fd = openSync(file.path, 'r');
        const head = Buffer.alloc(Math.min(1 << 20, size));
        try {
          readSync(fd, head, 0, head.length, 0);
        } finally {
          closeSync(fd);
        }
        const text = decodeText(head);
        const delimiter = sniffDelimiter(text.split(/\r|\n/)[0] ?? '');
        semicolons = delimiter === ';';
        const parser = createCsvParser(delimiter);
        let records;
        try {
          records = parser.push(text);
          if (head.length === size) records.push(...parser.end());
        } catch (error) {
          if (error instanceof CsvSyntaxError) throw new DomainError('invalid-input', `${file.name} line ${error.line}: ${error.message}`);
          throw error;
        }
        if (records.length === 0) throw new DomainError('invalid-input', `${file.name} is empty`);
        tables = [{ entry: '', kind: 'text', header: records[0]!.fields.map((f, i) => (i === 0 ? f.replace(/^\uFEFF/, '') : f).trim()), records: records.slice(1).map((r, i) => ({ fields: r.fields, row: i + 1, line: r.line })) }];
      } else {
        try {
          tables = loadTables(file.path, container, statSync(file.path).size).tables;
        } catch (error) {
          if (error instanceof DomainError) throw new DomainError(error.code, `${file.name}: ${error.message}`);
          throw error;
        }
      }
      const shared = new Map<string, unknown>();
      const alias = compileModelAliases(listModelAliases(db));
      const costCentreRule = compileCostCentreRules(listCostCentreRules(db));
      return {
        fileName: file.name,
        container,
        tables: tables.map((t) => {
          const samples = t.records.slice(0, 200).map((r) => r.fields);
          const style = detectFileStyle(samples, t.kind === 'text' && semicolons);
          const saved = findColumnMapping(db, t.header);
          const where = (entry: string) => `${file.name}${entry ? ` (${entry})` : ''}`;
          const trial: TrialResult = { rowsScanned: 0, lines: [], rejections: [], skipped: [], error: null };
          let chosen: FormatMatch | undefined;
          const skip = (reason: string) => {
            const found = trial.skipped.find((x) => x.reason === reason);
            if (found) found.rows++;
            else trial.skipped.push({ reason, rows: 1 });
          };
          try {
            chosen = chooseFormat(db, t.header, samples, t.kind, { format: request.format, mapping: request.mapping as ColumnMapping | undefined, mappingName: request.mappingName });
            if (!chosen) trial.error = `${where(t.entry)}: no format recognises this header; map its columns below.`;
            else {
              const mapper = chosen.createMapper({ fileName: file.name, style, container: t.kind, shared });
              // The first `rows` lines, looking past rows the import skips (other services of a cloud bill).
              for (const record of t.records) {
                if (trial.lines.length >= request.rows || trial.rowsScanned >= MAX_TRIAL_ROWS || trial.rejections.length >= request.rows) break;
                trial.rowsScanned++;
                let outcome;
                try {
                  outcome = mapper.mapRow(record.fields, record.row, record.ref);
                } catch (error) {
                  if (!(error instanceof DomainError)) throw error;
                  outcome = { kind: 'reject' as const, column: '(row)', reason: error.message };
                }
                const ref = record.ref ?? null;
                if (outcome.kind === 'usage') {
                  for (const { line } of outcome.lines) {
                    const model = alias(line.modelRaw, line.model);
                    const costCentre = costCentreRule({ ...line, model }) ?? line.costCentre;
                    if (trial.lines.length >= request.rows) break;
                    trial.lines.push({
                      row: record.row, ref, usageDate: line.usageDate, provider: line.provider, model, modelRaw: line.modelRaw, tokenKind: line.tokenKind,
                      chargeKind: line.chargeKind, tokens: line.tokens, costMicros: line.costMicros, currency: line.currency, costCentre, project: line.project,
                      measure: line.measure ?? 'cost',
                    });
                  }
                } else if (outcome.kind === 'fx') {
                  skip('FX rates (stored as rates, not usage lines)');
                } else if (outcome.kind === 'skip') skip(outcome.reason);
                else trial.rejections.push({ row: record.row, ref, column: outcome.column, reason: `${where(t.entry)} ${ref ?? `row ${record.row}`}: ${outcome.column} ${outcome.reason}` });
              }
            }
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            trial.error = error.message.startsWith(file.name) ? error.message : `${where(t.entry)}: ${error.message}`;
          }
          const match = (m: FormatMatch) => ({ format: m.format, label: m.label, version: m.version, confidence: m.confidence });
          return {
            entry: t.entry,
            header: t.header,
            rows: t.records.slice(0, request.rows).map((r) => r.fields),
            numberStyle: describeStyle(style),
            detected: detectFormats(t.header, samples, t.kind).map(match),
            savedMapping: saved?.name ?? null,
            savedColumnMapping: saved ? parseSavedMapping(saved.mappingJson) : null,
            chosen: chosen ? match(chosen) : null,
            trial,
          };
        }),
      };
    },

    'imports:formats': () => [
      ...FORMATS.map((f) => ({ id: f.id, label: f.label })),
    ],

    'imports:undo': (request) =>
      db.transaction(() => {
        const providers = db.prepare('SELECT DISTINCT provider FROM usage_lines WHERE batch_id = ?').pluck().all(request.batchId) as string[];
        const undone = undoBatch(db, request.batchId);
        if (!undone) throw new DomainError('not-found', `There is no import batch #${request.batchId}`);
        reconcileVolumeLines(db, providers);
        if (undone.ratesRemoved > 0) {
          const base = readSettings(db).baseCurrency;
          recomputeBaseCosts(db, createFxConverter(loadFxRates(db, base), base));
        }
        appendAudit(db, { atMs: deps.clock.now(), actor: deps.actor, action: 'undo-import', entity: 'import_batch', entityId: String(request.batchId), before: undone, after: null });
        return undone;
      })(),

    'imports:batches': () => {
      const lines = lineCountsByBatch(db);
      return listBatches(db).map((b) => ({
        batchId: b.batchId,
        fileName: b.fileName,
        format: b.format,
        formatVersion: b.formatVersion,
        importedAtMs: b.importedAtMs,
        state: b.state,
        supersededBy: b.supersededBy,
        confidence: b.confidence,
        lines: lines.get(b.batchId) ?? 0,
        rowsRead: b.counts.read,
        counts: b.counts,
        formatLabel: typeof b.details.formatLabel === 'string' ? b.details.formatLabel : '',
        numberStyle: b.numberStyle,
        sizeBytes: b.sizeBytes,
        sha256: b.sha256,
        restated: typeof b.details.restated === 'number' ? b.details.restated : 0,
        replacedBatches: Array.isArray(b.details.replacedBatches) ? (b.details.replacedBatches as { batchId: number; fileName: string; lines: number }[]) : [],
      }));
    },

    'reconciliation:get': () => {
      const usageVsCost = db
        .prepare(
          `SELECT provider, usage_month AS month,
             SUM(CASE WHEN measure = 'volume' THEN COALESCE(tokens_source, tokens) ELSE 0 END) AS volume_tokens,
             SUM(CASE WHEN measure = 'cost' THEN tokens ELSE 0 END) AS cost_tokens,
             MAX(CASE WHEN measure = 'cost' THEN currency END) AS currency,
             SUM(CASE WHEN measure = 'cost' THEN cost_micros ELSE 0 END) AS cost_micros
           FROM usage_lines GROUP BY provider, usage_month
           HAVING SUM(measure = 'volume') > 0 ORDER BY provider, month`,
        )
        .all() as { provider: string; month: string; volume_tokens: number; cost_tokens: number; currency: string | null; cost_micros: number }[];
      const invoices = db
        .prepare(
          `WITH line_sums AS (SELECT provider, invoice_id AS ref, currency, SUM(cost_micros) AS lines, MIN(usage_month) AS month
             FROM usage_lines WHERE invoice_id IS NOT NULL GROUP BY provider, invoice_id, currency)
           SELECT COALESCE(l.provider, i.provider) AS provider, COALESCE(l.ref, i.invoice_ref) AS ref, COALESCE(l.currency, i.currency) AS currency,
             COALESCE(l.lines, 0) AS lines, i.total_micros AS total, COALESCE(i.month, l.month) AS month
           FROM line_sums l LEFT JOIN invoices i ON i.provider = l.provider AND i.invoice_ref = l.ref
           UNION ALL
           SELECT i.provider, i.invoice_ref, i.currency, 0, i.total_micros, i.month FROM invoices i
           WHERE NOT EXISTS (SELECT 1 FROM line_sums l WHERE l.provider = i.provider AND l.ref = i.invoice_ref)
           ORDER BY 1, 6, 2`,
        )
        .all() as { provider: string; ref: string; currency: string; lines: number; total: number | null; month: string | null }[];
      return {
        usageVsCost: usageVsCost.map((r) => ({ provider: r.provider, month: r.month, volumeTokens: r.volume_tokens, costTokens: r.cost_tokens, currency: r.currency, costMicros: r.cost_micros })),
        invoices: invoices.map((r) => ({ provider: r.provider, invoiceRef: r.ref, month: r.month, currency: r.currency, linesMicros: r.lines, totalMicros: r.total, differenceMicros: r.total === null ? null : r.lines - r.total })),
      };
    },

    'invoices:enter': (request) => {
      db.transaction(() => {
        db.prepare(
          `INSERT INTO invoices (provider, invoice_ref, month, currency, total_micros, includes_tax, entered_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (provider, invoice_ref) DO UPDATE SET month = excluded.month, currency = excluded.currency, total_micros = excluded.total_micros, includes_tax = excluded.includes_tax`,
        ).run(request.provider, request.invoiceRef, request.month, request.currency, request.totalMicros, request.includesTax ? 1 : 0, deps.clock.now());
        appendAudit(db, { atMs: deps.clock.now(), actor: deps.actor, action: 'enter', entity: 'invoice', entityId: `${request.provider}:${request.invoiceRef}`, before: null, after: request });
      })();
      return { ok: true as const };
    },

    'import-rules:get': () => ({
      costCentreRules: listCostCentreRules(db).map((r) => ({ priority: r.priority, field: r.field, pattern: r.pattern, costCentre: r.costCentre })),
      modelAliases: listModelAliases(db),
    }),

    'import-rules:set': (request) =>
      db.transaction(() => {
        const before = { costCentreRules: listCostCentreRules(db), modelAliases: listModelAliases(db) };
        let linesChanged = 0;
        if (request.costCentreRules) linesChanged += replaceCostCentreRules(db, request.costCentreRules);
        if (request.modelAliases) linesChanged += replaceModelAliases(db, request.modelAliases);
        appendAudit(db, { atMs: deps.clock.now(), actor: deps.actor, action: 'update', entity: 'import_rules', entityId: null, before, after: request });
        return { linesChanged };
      })(),
  };
}
