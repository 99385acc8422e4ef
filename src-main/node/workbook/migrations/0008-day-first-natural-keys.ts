import type { Database } from 'better-sqlite3';

/**
 * Natural keys with the day first (see `importers/natural-key.ts`): a stored key was the first 16 bytes of the
 * line's SHA-1; it becomes the UTC day of the line's period start (2 bytes, days since 1970 within 0–65535,
 * big-endian) followed by the first 14 bytes of the same SHA-1 — exactly the key an import now computes for
 * the same line, so re-importing an export after this migration still finds its lines. Lines that were replaced
 * (kept for undo) are converted too. The unique index is rebuilt once rather than updated row by row.
 */
export function up(db: Database): void {
  // The day in hexadecimal, then the hash's first 14 bytes in hexadecimal, back to a blob (SQLite's || joins text,
  // never blobs).
  const dayFirst = (table: string) => `
    UPDATE ${table} SET natural_key =
      unhex(printf('%04X', max(0, min(65535, period_start_ms / 86400000))) || hex(substr(natural_key, 1, 14)))`;
  db.exec(`
    DROP INDEX usage_lines_natural_key;
    ${dayFirst('usage_lines')};
    CREATE UNIQUE INDEX usage_lines_natural_key ON usage_lines(natural_key);
    ${dayFirst('usage_lines_superseded')};
  `);
}
