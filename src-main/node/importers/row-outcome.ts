import type { UsageLine } from '../../common/usage/usage-line.ts';
import type { FxRateRecord } from '../workbook/fx-rates-repo.ts';

/** What one data row of a file becomes. */
export type RowOutcome =
  | { kind: 'usage'; line: UsageLine; keyMaterial: string; warning?: string }
  | { kind: 'fx'; rate: FxRateRecord }
  /** A valid row that is not AI usage (e.g. a storage line in a cloud bill): counted, not stored. */
  | { kind: 'skip'; reason: string }
  /** A row that cannot be read: named column and reason. */
  | { kind: 'reject'; column: string; reason: string };

/** Reads the rows of one file whose header has been recognised. */
export type RowMapper = { mapRow(fields: readonly string[], row: number): RowOutcome };

/** A recognised file format and how sure the detection is (0–1). */
export type FormatMatch = {
  format: string;
  version: string;
  confidence: number;
  createMapper(context: { fileName: string }): RowMapper;
};

/** Looks up columns by name, ignoring case, spaces and underscores ("Billed Cost" = "BilledCost"). */
export function headerIndex(header: readonly string[]): (...names: string[]) => number {
  const positions = new Map<string, number>();
  header.forEach((name, i) => {
    const key = normaliseColumnName(name);
    if (!positions.has(key)) positions.set(key, i);
  });
  return (...names) => {
    for (const name of names) {
      const i = positions.get(normaliseColumnName(name));
      if (i !== undefined) return i;
    }
    return -1;
  };
}

export function normaliseColumnName(name: string): string {
  return name.trim().toLowerCase().replace(/[\s_]+/g, '');
}

/** Null markers seen in exports. */
export function isNullText(text: string | undefined): boolean {
  if (text === undefined) return true;
  const t = text.trim();
  return t === '' || t === 'NULL' || t === 'null' || t === 'None' || t === 'N/A';
}
