import type { Database } from 'better-sqlite3';
import { DomainError } from '../../common/errors.ts';
import { parseCurrencyCode, type CurrencyCode } from '../../common/money/currency.ts';

/** Workbook-wide settings. */
export type WorkbookSettings = { organisationName: string; baseCurrency: CurrencyCode };

const DEFAULTS: WorkbookSettings = { organisationName: 'My organisation', baseCurrency: 'USD' as CurrencyCode };

type SettingRow = { key: string; value: string };

export function readSettings(db: Database): WorkbookSettings {
  const rows = db.prepare('SELECT key, value FROM settings').all() as SettingRow[];
  const map = new Map(rows.map((r) => [r.key, r.value]));
  return {
    organisationName: map.get('organisation_name') ?? DEFAULTS.organisationName,
    baseCurrency: parseCurrencyCode(map.get('base_currency') ?? '') ?? DEFAULTS.baseCurrency,
  };
}

export function writeSettings(db: Database, changes: { organisationName?: string | undefined; baseCurrency?: string | undefined }): void {
  const upsert = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  if (changes.organisationName !== undefined) upsert.run('organisation_name', changes.organisationName);
  if (changes.baseCurrency !== undefined) {
    const code = parseCurrencyCode(changes.baseCurrency);
    if (!code) throw new DomainError('invalid-input', `"${changes.baseCurrency}" is not an ISO 4217 currency code`);
    upsert.run('base_currency', code);
  }
}
