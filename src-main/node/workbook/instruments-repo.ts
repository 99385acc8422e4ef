import type { Database } from 'better-sqlite3';
import { DomainError } from '../../common/errors.ts';
import { instrumentIssues, type Instrument, type InstrumentDraft } from '../../common/hedging/instrument.ts';
import { decimalOfNumber } from '../../common/hedging/numbers.ts';
import { decimalToString, parseDecimal } from '../../common/money/decimal.ts';
import { asMicros } from '../../common/money/micros.ts';

type InstrumentRow = {
  instrument_id: number;
  code: string;
  version: number;
  name: string;
  status: string;
  instrument_type: string;
  venue: string;
  underlying_kind: string;
  index_code: string;
  index_json: string;
  contract_quantity: string;
  quantity_unit: string;
  price_currency: string;
  price_unit: string;
  tick_size_micros: number;
  tick_value_micros: number;
  listing_json: string;
  last_trading_json: string;
  settlement_type: string;
  settlement_method: string;
  payment_lag_days: number;
  margin_json: string;
  fee_per_contract_micros: number;
  provenance: string;
  created_at_ms: number;
  created_by: string;
};

/** The row → domain mapping, in one place. JSON columns were validated before they were written. */
function toInstrument(r: InstrumentRow): Instrument {
  const index = JSON.parse(r.index_json) as Omit<Instrument['index'], 'code'>;
  const quantity = parseDecimal(r.contract_quantity);
  if (!quantity) throw new Error(`instrument ${r.code} v${r.version}: contract_quantity "${r.contract_quantity}" is not a decimal`);
  return {
    code: r.code,
    version: r.version,
    name: r.name,
    status: r.status as Instrument['status'],
    instrumentType: r.instrument_type as Instrument['instrumentType'],
    venue: r.venue,
    underlyingKind: r.underlying_kind as Instrument['underlyingKind'],
    index: { code: r.index_code, ...index },
    contractQuantity: Number(r.contract_quantity),
    quantityUnit: r.quantity_unit,
    priceCurrency: r.price_currency,
    priceUnit: r.price_unit,
    tickSizeMicros: asMicros(r.tick_size_micros, 'tick size'),
    tickValueMicros: asMicros(r.tick_value_micros, 'tick value'),
    listing: JSON.parse(r.listing_json) as Instrument['listing'],
    lastTrading: JSON.parse(r.last_trading_json) as Instrument['lastTrading'],
    settlement: {
      type: r.settlement_type as Instrument['settlement']['type'],
      method: r.settlement_method as Instrument['settlement']['method'],
      paymentLagBusinessDays: r.payment_lag_days,
    },
    margin: JSON.parse(r.margin_json) as Instrument['margin'],
    feePerContractMicros: asMicros(r.fee_per_contract_micros, 'fee'),
    provenance: r.provenance,
    createdAtMs: r.created_at_ms,
    createdBy: r.created_by,
  };
}

/** The latest version of every instrument, by code. */
export function listInstruments(db: Database): Instrument[] {
  const rows = db
    .prepare(
      `SELECT i.* FROM instruments i
       JOIN (SELECT code, MAX(version) AS version FROM instruments GROUP BY code) latest USING (code, version)
       ORDER BY i.code`,
    )
    .all() as InstrumentRow[];
  return rows.map(toInstrument);
}

/** One version of an instrument (the latest when `version` is left out), or undefined. */
export function findInstrument(db: Database, code: string, version?: number): Instrument | undefined {
  const row = (
    version === undefined
      ? db.prepare('SELECT * FROM instruments WHERE code = ? ORDER BY version DESC LIMIT 1').get(code)
      : db.prepare('SELECT * FROM instruments WHERE code = ? AND version = ?').get(code, version)
  ) as InstrumentRow | undefined;
  return row ? toInstrument(row) : undefined;
}

export function getInstrument(db: Database, code: string, version?: number): Instrument {
  const found = findInstrument(db, code, version);
  if (!found) throw new DomainError('not-found', `No instrument ${code}${version === undefined ? '' : ` version ${version}`} in this workbook`);
  return found;
}

export function listInstrumentVersions(db: Database, code: string): Instrument[] {
  return (db.prepare('SELECT * FROM instruments WHERE code = ? ORDER BY version DESC').all(code) as InstrumentRow[]).map(toInstrument);
}

/**
 * Saves `draft` as the next version of its code (version 1 for a new code), after validation. Saving a draft
 * identical to the latest version writes nothing and returns that version. Call inside a transaction with the
 * audit entry.
 */
export function saveInstrument(db: Database, draft: InstrumentDraft, meta: { atMs: number; actor: string }): { instrument: Instrument; created: boolean } {
  const issues = instrumentIssues(draft);
  if (issues.length > 0) {
    throw new DomainError('invalid-input', `The instrument cannot be saved: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, issues);
  }
  const latest = findInstrument(db, draft.code);
  if (latest && sameSpec(latest, draft)) return { instrument: latest, created: false };
  const version = (latest?.version ?? 0) + 1;
  db.prepare('INSERT OR IGNORE INTO instrument_products (code, created_at_ms) VALUES (?, ?)').run(draft.code, meta.atMs);
  const { code: indexCode, ...index } = draft.index;
  db.prepare(
    `INSERT INTO instruments (code, version, name, status, instrument_type, venue, underlying_kind, index_code, index_json,
       contract_quantity, quantity_unit, price_currency, price_unit, tick_size_micros, tick_value_micros, listing_json,
       last_trading_json, settlement_type, settlement_method, payment_lag_days, margin_json, fee_per_contract_micros,
       provenance, created_at_ms, created_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    draft.code,
    version,
    draft.name.trim(),
    draft.status,
    draft.instrumentType,
    draft.venue.trim(),
    draft.underlyingKind,
    indexCode,
    JSON.stringify({ provider: index.provider, name: index.name, methodology: index.methodology, fallbackRule: index.fallbackRule }),
    decimalToString(decimalOfNumber(draft.contractQuantity)),
    draft.quantityUnit.trim(),
    draft.priceCurrency,
    draft.priceUnit.trim(),
    draft.tickSizeMicros,
    draft.tickValueMicros,
    JSON.stringify(draft.listing),
    JSON.stringify(draft.lastTrading),
    draft.settlement.type,
    draft.settlement.method,
    draft.settlement.paymentLagBusinessDays,
    JSON.stringify(draft.margin),
    draft.feePerContractMicros,
    draft.provenance.trim(),
    meta.atMs,
    meta.actor,
  );
  return { instrument: getInstrument(db, draft.code, version), created: true };
}

/** The editable fields of a saved version, for comparison with a draft. */
export function draftOf(instrument: Instrument): InstrumentDraft {
  const { version: _v, createdAtMs: _c, createdBy: _b, ...draft } = instrument;
  return draft;
}

function sameSpec(saved: Instrument, draft: InstrumentDraft): boolean {
  return canonical(draftOf(saved)) === canonical(draft);
}

/** JSON with keys sorted at every level, so two equal specs compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(typeof value === 'string' ? value.trim() : value);
}

/** Index codes referenced by any instrument, with the currency of the latest instrument using each. */
export function indexCurrencies(db: Database): Map<string, string> {
  const map = new Map<string, string>();
  for (const i of listInstruments(db)) if (!map.has(i.index.code)) map.set(i.index.code, i.priceCurrency);
  return map;
}
