import type { Database } from 'better-sqlite3';
import { DomainError } from '../../common/errors.ts';
import { exposureMappingIssues, type ExposureFilter, type ExposureMapping, type ExposureMappingDraft } from '../../common/hedging/exposure.ts';
import { decimalToString, parseDecimal, type Decimal } from '../../common/money/decimal.ts';
import type { FxConverter } from '../../common/money/fx.ts';
import type { IsoDate } from '../../common/time/iso-date.ts';
import { TOKEN_KINDS } from '../../common/usage/usage-line.ts';

type MappingRow = {
  mapping_id: number;
  code: string;
  name: string;
  filter_json: string;
  contract_units_per_token: string;
  note: string;
  created_at_ms: number;
  created_by: string;
};

function toMapping(r: MappingRow): ExposureMapping {
  return {
    mappingId: r.mapping_id,
    instrumentCode: r.code,
    name: r.name,
    filter: JSON.parse(r.filter_json) as ExposureFilter,
    contractUnitsPerToken: r.contract_units_per_token,
    note: r.note,
    createdAtMs: r.created_at_ms,
    createdBy: r.created_by,
  };
}

export function listExposureMappings(db: Database, code: string): ExposureMapping[] {
  return (db.prepare('SELECT * FROM instrument_exposures WHERE code = ? ORDER BY mapping_id').all(code) as MappingRow[]).map(toMapping);
}

export function findExposureMapping(db: Database, mappingId: number): ExposureMapping | undefined {
  const row = db.prepare('SELECT * FROM instrument_exposures WHERE mapping_id = ?').get(mappingId) as MappingRow | undefined;
  return row ? toMapping(row) : undefined;
}

/** Inserts a mapping, or replaces mapping `mappingId`; the instrument must exist. Call inside a transaction. */
export function saveExposureMapping(db: Database, draft: ExposureMappingDraft, meta: { atMs: number; actor: string; mappingId?: number }): ExposureMapping {
  const issues = exposureMappingIssues(draft);
  if (issues.length > 0) throw new DomainError('invalid-input', `The exposure mapping cannot be saved: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, issues);
  const exists = db.prepare('SELECT 1 FROM instrument_products WHERE code = ?').get(draft.instrumentCode);
  if (!exists) throw new DomainError('not-found', `No instrument ${draft.instrumentCode} in this workbook`);
  const factor = decimalToString(parseDecimal(draft.contractUnitsPerToken.trim())!);
  const filter: ExposureFilter = {
    providers: [...new Set(draft.filter.providers.map((s) => s.trim()))],
    models: [...new Set(draft.filter.models.map((s) => s.trim()))],
    costCentres: [...new Set(draft.filter.costCentres.map((s) => s.trim()))],
    tokenKinds: [...new Set(draft.filter.tokenKinds)],
  };
  if (meta.mappingId !== undefined) {
    const info = db
      .prepare('UPDATE instrument_exposures SET code = ?, name = ?, filter_json = ?, contract_units_per_token = ?, note = ? WHERE mapping_id = ?')
      .run(draft.instrumentCode, draft.name.trim(), JSON.stringify(filter), factor, draft.note.trim(), meta.mappingId);
    if (info.changes === 0) throw new DomainError('not-found', `No exposure mapping #${meta.mappingId}`);
    return findExposureMapping(db, meta.mappingId)!;
  }
  const info = db
    .prepare(
      `INSERT INTO instrument_exposures (code, name, filter_json, contract_units_per_token, note, created_at_ms, created_by)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(draft.instrumentCode, draft.name.trim(), JSON.stringify(filter), factor, draft.note.trim(), meta.atMs, meta.actor);
  return findExposureMapping(db, Number(info.lastInsertRowid))!;
}

export function deleteExposureMapping(db: Database, mappingId: number): ExposureMapping {
  const found = findExposureMapping(db, mappingId);
  if (!found) throw new DomainError('not-found', `No exposure mapping #${mappingId}`);
  db.prepare('DELETE FROM instrument_exposures WHERE mapping_id = ?').run(mappingId);
  return found;
}

/** One month of hedged usage: tokens × factor (exact) and the cost in the instrument's currency. */
export type ExposureMonthTotal = {
  month: string;
  tokens: number;
  tokensTimesFactor: Decimal;
  /** Null while some day's cost cannot be converted (see `missingFx`). */
  costMicros: number | null;
};

/**
 * The usage that `mappings` hedge, per month: usage charges only (no tax, credits or fees — those are not the
 * price being hedged) of token kinds other than `other`, filtered by each mapping. Costs are converted into
 * `currency` day by day with dated FX rates (`fx` converts into `currency`), rounded once per day and currency.
 * Mappings are added up: they should not overlap.
 */
export function exposureByMonth(
  db: Database,
  mappings: readonly ExposureMapping[],
  fx: FxConverter,
): { months: ExposureMonthTotal[]; missingFx: { currency: string; days: number }[] } {
  const byMonth = new Map<string, { tokens: number; units: Decimal; cost: bigint; complete: boolean }>();
  const missing = new Map<string, number>();
  for (const mapping of mappings) {
    const factor = parseDecimal(mapping.contractUnitsPerToken)!;
    const where = ["charge_kind = 'usage'"];
    const params: (string | number)[] = [];
    const kinds = mapping.filter.tokenKinds.length ? mapping.filter.tokenKinds : TOKEN_KINDS.filter((k) => k !== 'other');
    where.push(`token_kind IN (${kinds.map(() => '?').join(', ')})`);
    params.push(...kinds);
    for (const [column, values] of [
      ['provider', mapping.filter.providers],
      ['model', mapping.filter.models],
      ['cost_centre', mapping.filter.costCentres],
    ] as const) {
      if (values.length === 0) continue;
      where.push(`${column} IN (${values.map(() => '?').join(', ')})`);
      params.push(...values);
    }
    const rows = db
      .prepare(
        `SELECT usage_date AS date, currency, SUM(tokens) AS tokens, SUM(cost_micros) AS cost FROM usage_lines
         WHERE ${where.join(' AND ')} GROUP BY usage_date, currency ORDER BY usage_date`,
      )
      .all(...params) as { date: IsoDate; currency: string; tokens: number; cost: number }[];
    for (const r of rows) {
      const month = r.date.slice(0, 7);
      let entry = byMonth.get(month);
      if (!entry) byMonth.set(month, (entry = { tokens: 0, units: { units: 0n, scale: 0 }, cost: 0n, complete: true }));
      entry.tokens += r.tokens;
      entry.units = addDecimals(entry.units, { units: BigInt(r.tokens) * factor.units, scale: factor.scale });
      const converted = r.currency === fx.baseCurrency ? r.cost : fx.convert(r.cost, r.currency, r.date);
      if (converted === undefined) {
        entry.complete = false;
        missing.set(r.currency, (missing.get(r.currency) ?? 0) + 1);
      } else {
        entry.cost += BigInt(converted);
      }
    }
  }
  const months = [...byMonth]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([month, e]) => ({ month, tokens: e.tokens, tokensTimesFactor: e.units, costMicros: e.complete ? Number(e.cost) : null }));
  return { months, missingFx: [...missing].map(([currency, days]) => ({ currency, days })) };
}

function addDecimals(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  return { units: a.units * 10n ** BigInt(scale - a.scale) + b.units * 10n ** BigInt(scale - b.scale), scale };
}
