/**
 * A table read from a file: a header and records of text fields. CSV files give one (streamed); a JSON export
 * gives one whose records are its flattened results; a ZIP gives one per CSV entry; an XLSX its first sheet.
 */
export type TableRecord = {
  fields: string[];
  /** 1-based data row within the table (header excluded): the CSV row, or the ordinal of a JSON result. */
  row: number;
  /** Physical line in the file where the record starts (CSV), for messages. */
  line: number;
  /** Where the record is when a row number alone does not say it: `data[3].results[1]`, `amount-2026-01.csv:12`. */
  ref?: string;
};

export type ContainerKind = 'text' | 'json' | 'jsonl' | 'zip' | 'xlsx';

export type LoadedTable = {
  /** The entry name inside a ZIP ('' for the file itself). */
  entry: string;
  kind: ContainerKind;
  header: string[];
  records: TableRecord[];
};

/** Null markers seen in exports. */
export function cleanHeaderName(name: string, first: boolean): string {
  return (first ? name.replace(/^\uFEFF/, '') : name).trim();
}
