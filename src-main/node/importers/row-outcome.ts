import type { FileStyle } from '../../common/money/number-style.ts';
import type { UsageLine } from '../../common/usage/usage-line.ts';
import type { FxRateRecord } from '../workbook/fx-rates-repo.ts';
import type { ContainerKind } from './sources/table.ts';

/**
 * One usage line as a mapper produces it, with the text its natural key is hashed from. `keyMaterial` names what
 * identifies the line in its source; for sources that restate figures (API buckets, month-to-date bills) it leaves
 * the figures out, so a later export's line for the same bucket replaces the earlier one instead of adding to it.
 */
export type MappedLine = { line: UsageLine; keyMaterial: string };

/** What one data row of a file becomes. */
export type RowOutcome =
  /** One row may give several lines (a usage bucket: input, cache read, cache write, output). */
  | { kind: 'usage'; lines: MappedLine[]; warning?: string | undefined }
  | { kind: 'fx'; rate: FxRateRecord }
  /** A valid row that is not AI usage (e.g. a storage line in a cloud bill), or an empty bucket: counted, not stored. */
  | { kind: 'skip'; reason: string }
  /** A row that cannot be read: named column and reason. */
  | { kind: 'reject'; column: string; reason: string };

/** Reads the rows of one table whose header has been recognised. */
export type RowMapper = {
  mapRow(fields: readonly string[], row: number, ref?: string): RowOutcome;
  /** Columns holding personal data (emails, key names): hashed in the stored copy of the original file. */
  personalColumns?: readonly number[];
  /**
   * Every column `mapRow` may read, when the mapper can say: a reader may then give the other fields as ''
   * instead of cutting them out of the line.
   */
  columnsRead?: readonly number[];
};

export type MapperContext = {
  fileName: string;
  style: FileStyle;
  container: ContainerKind;
  /**
   * State the tables of one file share (the entries of a ZIP are read in name order): DeepSeek's cost CSV reads
   * the token amounts its amount CSV recorded here, to give its money the token directions. Optional.
   */
  shared?: Map<string, unknown>;
};

/** How sure a detector is, and which version of its format the header shows. */
export type Detection = { version: string; confidence: number };

/** A format the importer reads: recognised from the header and the first rows (never from the file name). */
export type FormatDefinition = {
  id: string;
  label: string;
  detect(header: readonly string[], samples: readonly (readonly string[])[], container: ContainerKind): Detection | undefined;
  createMapper(header: readonly string[], context: MapperContext): RowMapper;
};

/** A recognised file format and how sure the detection is (0–1). */
export type FormatMatch = {
  format: string;
  label: string;
  version: string;
  confidence: number;
  createMapper(context: MapperContext): RowMapper;
  /** The column mapping, when the format is `custom-mapping` (so another thread can make the same mapper). */
  mapping?: import('./formats/custom-mapping.ts').ColumnMapping | undefined;
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

/**
 * A column name reduced for matching: lower case without spaces, underscores, slashes or dots, and a localised
 * Azure label `Nombre de medidor (MeterName)` / `计量名称 (MeterName)` read as its English name in parentheses.
 */
export function normaliseColumnName(name: string): string {
  const localised = /^(.+?)\s*\(([A-Za-z][A-Za-z0-9]*[a-z][A-Za-z0-9]*)\)\s*$/.exec(name);
  const base = localised ? localised[2]! : name;
  return base.trim().toLowerCase().replace(/[\s_/.\-]+/g, '');
}

/** Null markers seen in exports. */
export function isNullText(text: string | undefined): boolean {
  if (text === undefined) return true;
  // Fast path for the common cell: every marker is empty after trimming or starts with N, n or U (and `trim`
  // removes only white space, which is ≤ 32 or outside ASCII).
  const first = text.charCodeAt(0);
  if (first > 32 && first < 127 && first !== 78 && first !== 110 && first !== 85) return false;
  const t = text.trim();
  return t === '' || t === 'NULL' || t === 'null' || t === 'None' || t === 'N/A' || t === 'Not applicable' || t === 'Unassigned';
}
