import type { Database } from 'better-sqlite3';
import { DomainError } from '../../../common/errors.ts';
import { parseCurrencyCode } from '../../../common/money/currency.ts';
import { parseAmountText } from '../../../common/money/amount-text.ts';
import { decimalToMicros } from '../../../common/money/micros.ts';
import type { Clock } from '../../../common/time/clock.ts';
import { isoDateOfMs, isIsoMonth } from '../../../common/time/iso-date.ts';
import { parseDateTimeToMs } from '../../../common/time/parse-date-time.ts';
import { appendAudit } from '../../workbook/audit-log-repo.ts';
import { findInstrument, indexCurrencies } from '../../workbook/instruments-repo.ts';
import { upsertIndexFixings, upsertSettlementPrices, type Replacement } from '../../workbook/market-data-repo.ts';
import { CsvSyntaxError } from '../csv/csv-parser.ts';
import { readDelimitedFile } from '../csv/read-delimited-file.ts';
import { headerIndex } from '../row-outcome.ts';

/**
 * Market data as CSV, recognised from the header (column names ignore case, spaces and underscores):
 * - settlement prices: `date`, `contract_month`, `settlement` [, `instrument`, `source`] —
 *   "2026-10-30,2027-01,2.615" is the January 2027 contract settling at 2.615 on 30 October 2026;
 * - index fixings: `date`, `value` [, `index`, `currency`, `source`] — "2026-10-30,2.58".
 * Without an `instrument` / `index` column the rows belong to the instrument chosen for the import (and its
 * reference index). Amounts are exact decimals with a "." decimal mark ("2.615", "$2.615"; "," separates
 * thousands), rounded once half-even to micros. Atomic like every import: one bad row and nothing is written.
 */
export type MarketDataKind = 'settlement-prices' | 'index-fixings';

export type MarketDataImportReport = {
  fileName: string;
  status: 'imported' | 'rejected' | 'failed';
  kind: MarketDataKind | null;
  message: string;
  counts: { read: number; inserted: number; replaced: number; unchanged: number; rejected: number };
  /** The first 200 rejected rows. */
  rejections: { row: number; column: string; reason: string }[];
};

const MAX_LISTED = 200;

type Columns = { kind: MarketDataKind; col: (...names: string[]) => number };

export function detectMarketData(header: readonly string[]): MarketDataKind | undefined {
  const col = headerIndex(header);
  const date = col('date', 'price_date', 'trade_date', 'fixing_date', 'as_of');
  if (date < 0) return undefined;
  if (col('contract_month', 'contract', 'expiry_month', 'delivery_month') >= 0 && col('settlement', 'settlement_price', 'settle', 'price') >= 0) {
    return 'settlement-prices';
  }
  if (col('value', 'fixing', 'index_value', 'close') >= 0) return 'index-fixings';
  return undefined;
}

/** "2027-03", "2027-03-01", "2027/03", "202703", "Mar 2027", "Mar-27" → "2027-03"; undefined otherwise. */
export function parseContractMonth(text: string): string | undefined {
  const t = text.trim();
  let m = /^(\d{4})[-/](\d{1,2})(?:[-/]\d{1,2})?$/.exec(t) ?? /^(\d{4})(\d{2})$/.exec(t);
  if (m) {
    const month = `${m[1]}-${m[2]!.padStart(2, '0')}`;
    return isIsoMonth(month) ? month : undefined;
  }
  m = /^([A-Za-z]{3})[a-z]*[\s-]+(\d{2}|\d{4})$/.exec(t);
  if (m) {
    const index = MONTHS.indexOf(m[1]!.toLowerCase());
    if (index < 0) return undefined;
    const year = m[2]!.length === 2 ? 2000 + Number(m[2]) : Number(m[2]);
    return `${year}-${String(index + 1).padStart(2, '0')}`;
  }
  return undefined;
}
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Imports one market-data file for instrument `code`, all or nothing, and records it in the audit log.
 * Never throws for a bad file: the report names the row, column and reason.
 */
export async function importMarketDataFile(
  db: Database,
  file: { path: string; name: string },
  options: { code: string; clock: Clock; actor: string },
): Promise<MarketDataImportReport> {
  const report: MarketDataImportReport = {
    fileName: file.name,
    status: 'failed',
    kind: null,
    message: '',
    counts: { read: 0, inserted: 0, replaced: 0, unchanged: 0, rejected: 0 },
    rejections: [],
  };
  const instrument = findInstrument(db, options.code);
  if (!instrument) throw new DomainError('not-found', `No instrument ${options.code} in this workbook`);
  const knownCodes = new Set(db.prepare('SELECT code FROM instrument_products').pluck().all() as string[]);
  const currencies = indexCurrencies(db);

  let columns: Columns | undefined;
  const prices = new Map<string, { code: string; contractMonth: string; priceDate: string; priceMicros: number; source: string; row: number }>();
  const fixings = new Map<string, { indexCode: string; date: string; valueMicros: number; currency: string; source: string; row: number }>();
  let row = 0;
  const reject = (column: string, reason: string) => {
    report.counts.rejected++;
    if (report.rejections.length < MAX_LISTED) report.rejections.push({ row, column, reason: `row ${row}: ${column} ${reason}` });
  };

  let sha256 = '';
  try {
    const read = await readDelimitedFile(file.path, {
      onHeader: ({ header }) => {
        const kind = detectMarketData(header);
        if (!kind) {
          throw new DomainError(
            'invalid-input',
            `${file.name}: not recognised as market data from its header (${header.slice(0, 8).join(', ')}). ` +
              'Settlement prices need date, contract_month and settlement columns; index fixings need date and value.',
          );
        }
        columns = { kind, col: headerIndex(header) };
        report.kind = kind;
      },
      onRecords: (records) => {
        const { kind, col } = columns!;
        const c = {
          date: col('date', 'price_date', 'trade_date', 'fixing_date', 'as_of'),
          month: col('contract_month', 'contract', 'expiry_month', 'delivery_month'),
          price: col('settlement', 'settlement_price', 'settle', 'price'),
          value: col('value', 'fixing', 'index_value', 'close'),
          instrument: col('instrument', 'instrument_code', 'code'),
          index: col('index', 'index_code'),
          currency: col('currency'),
          source: col('source'),
        };
        for (const record of records) {
          row++;
          report.counts.read++;
          const get = (i: number) => (i < 0 ? '' : (record.fields[i] ?? '').trim());
          if (record.fields.every((f) => f.trim() === '')) {
            report.counts.read--;
            continue;
          }
          const dateText = get(c.date);
          const ms = parseDateTimeToMs(dateText);
          if (ms === undefined) {
            reject('date', `"${dateText}" is not a date`);
            continue;
          }
          const date = isoDateOfMs(ms);
          const source = get(c.source) || `${file.name} row ${row}`;
          if (kind === 'settlement-prices') {
            const code = get(c.instrument) || options.code;
            if (!knownCodes.has(code)) {
              reject('instrument', `"${code}" is not an instrument in this workbook`);
              continue;
            }
            const month = parseContractMonth(get(c.month));
            if (!month) {
              reject('contract_month', `"${get(c.month)}" is not a contract month such as 2027-03`);
              continue;
            }
            const amount = parseAmountText(get(c.price));
            if (!amount || amount.units <= 0n) {
              reject('settlement', `"${get(c.price)}" is not a positive price`);
              continue;
            }
            const priceMicros = decimalToMicros(amount);
            const key = `${code}|${date}|${month}`;
            const earlier = prices.get(key);
            if (earlier && earlier.priceMicros !== priceMicros) {
              reject('settlement', `repeats row ${earlier.row} (${code} ${month} on ${date}) with a different price`);
              continue;
            }
            prices.set(key, { code, contractMonth: month, priceDate: date, priceMicros, source, row });
          } else {
            const indexCode = get(c.index) || instrument.index.code;
            const currencyText = get(c.currency);
            const currency = currencyText ? parseCurrencyCode(currencyText) : (indexCode === instrument.index.code ? instrument.priceCurrency : currencies.get(indexCode));
            if (!currency) {
              reject('currency', currencyText ? `"${currencyText}" is not an ISO currency code` : `is needed: no instrument settles against index "${indexCode}"`);
              continue;
            }
            const amount = parseAmountText(get(c.value));
            if (!amount || amount.units <= 0n) {
              reject('value', `"${get(c.value)}" is not a positive index value`);
              continue;
            }
            const valueMicros = decimalToMicros(amount);
            const key = `${indexCode}|${date}`;
            const earlier = fixings.get(key);
            if (earlier && earlier.valueMicros !== valueMicros) {
              reject('value', `repeats row ${earlier.row} (${indexCode} on ${date}) with a different value`);
              continue;
            }
            fixings.set(key, { indexCode, date, valueMicros, currency, source, row });
          }
        }
      },
    });
    sha256 = read.sha256;
  } catch (error) {
    if (error instanceof CsvSyntaxError) {
      report.message = `${file.name} line ${error.line}: ${error.message}; nothing was imported.`;
      return report;
    }
    if (error instanceof DomainError) {
      report.message = error.message.startsWith(file.name) ? error.message : `${file.name}: ${error.message}`;
      return report;
    }
    throw error;
  }

  if (report.counts.rejected > 0) {
    report.status = 'rejected';
    report.message = `${file.name}: ${report.counts.rejected} of ${report.counts.read} rows were rejected, so nothing was imported. Correct the file and import it again.`;
    return report;
  }
  if (report.counts.read === 0) {
    report.status = 'rejected';
    report.message = `${file.name}: the file has a header but no rows; nothing was imported.`;
    return report;
  }

  const atMs = options.clock.now();
  let replacements: Replacement[] = [];
  db.transaction(() => {
    const write = <T,>(groups: Map<string, T[]>, upsert: (key: string, rows: T[]) => ReturnType<typeof upsertIndexFixings>) => {
      for (const [key, rows] of groups) {
        const counts = upsert(key, rows);
        add(report, counts);
        replacements = replacements.concat(counts.replacements.map((r) => ({ ...r, key: `${key} ${r.key}` })));
      }
    };
    if (report.kind === 'settlement-prices') {
      write(groupBy(prices.values(), (p) => p.code), (code, rows) => upsertSettlementPrices(db, code, rows, atMs));
    } else {
      write(groupBy(fixings.values(), (f) => f.indexCode), (indexCode, rows) => upsertIndexFixings(db, indexCode, rows, atMs));
    }
    appendAudit(db, {
      atMs,
      actor: options.actor,
      action: 'import',
      entity: report.kind === 'settlement-prices' ? 'settlement_prices' : 'index_fixings',
      entityId: options.code,
      before: replacements.length ? { replaced: replacements.slice(0, 100) } : null,
      after: { fileName: file.name, sha256, counts: report.counts },
    });
  })();
  report.status = 'imported';
  const what = report.kind === 'settlement-prices' ? 'settlement prices' : 'index fixings';
  const c = report.counts;
  report.message =
    `${file.name}: ${c.inserted} ${what} added from ${c.read} rows` +
    (c.replaced ? `, ${c.replaced} replaced with a revised value` : '') +
    (c.unchanged ? `, ${c.unchanged} already in the workbook` : '') +
    '.';
  return report;
}

function add(report: MarketDataImportReport, counts: { inserted: number; replaced: number; unchanged: number }): void {
  report.counts.inserted += counts.inserted;
  report.counts.replaced += counts.replaced;
  report.counts.unchanged += counts.unchanged;
}

function groupBy<T>(items: Iterable<T>, keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(item);
  }
  return groups;
}
