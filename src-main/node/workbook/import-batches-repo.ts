import type { Database } from 'better-sqlite3';

export type ImportCounts = { read: number; imported: number; duplicate: number; skipped: number; rejected: number };

/** One imported file: where it came from, how it was read, and what it added. */
export type ImportBatch = {
  batchId: number;
  fileName: string;
  sha256: string;
  sizeBytes: number;
  format: string;
  formatVersion: string;
  importedAtMs: number;
  counts: ImportCounts;
  state: 'active' | 'superseded';
  supersededBy: number | null;
  confidence: number;
  numberStyle: string;
  /** The import report's details kept with the batch (warnings, skipped reasons, restatements). */
  details: Record<string, unknown>;
};

type ImportBatchRow = {
  batch_id: number;
  file_name: string;
  file_sha256: string;
  file_size_bytes: number;
  format: string;
  format_version: string;
  imported_at_ms: number;
  rows_read: number;
  rows_imported: number;
  rows_duplicate: number;
  rows_skipped: number;
  rows_rejected: number;
  report_json: string;
  state: 'active' | 'superseded';
  superseded_by: number | null;
  detection_confidence: number;
  number_style: string;
};

function batchFromRow(r: ImportBatchRow): ImportBatch {
  return {
    batchId: r.batch_id,
    fileName: r.file_name,
    sha256: r.file_sha256,
    sizeBytes: r.file_size_bytes,
    format: r.format,
    formatVersion: r.format_version,
    importedAtMs: r.imported_at_ms,
    counts: {
      read: r.rows_read,
      imported: r.rows_imported,
      duplicate: r.rows_duplicate,
      skipped: r.rows_skipped,
      rejected: r.rows_rejected,
    },
    state: r.state,
    supersededBy: r.superseded_by,
    confidence: r.detection_confidence,
    numberStyle: r.number_style,
    details: safeJson(r.report_json),
  };
}

/**
 * Starts a batch inside the import transaction. The hash is not known until the whole file is read, so a
 * unique placeholder holds its place until `finishBatch`.
 */
export function insertPendingBatch(
  db: Database,
  batch: { fileName: string; sizeBytes: number; format: string; formatVersion: string; importedAtMs: number },
): number {
  const placeholder = `pending:${process.pid}:${batch.importedAtMs}:${Math.random()}`;
  const info = db
    .prepare(
      `INSERT INTO import_batches (file_name, file_sha256, file_size_bytes, format, format_version, imported_at_ms,
         rows_read, rows_imported, rows_duplicate, rows_skipped, rows_rejected, report_json)
       VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0, '{}')`,
    )
    .run(batch.fileName, placeholder, batch.sizeBytes, batch.format, batch.formatVersion, batch.importedAtMs);
  return Number(info.lastInsertRowid);
}

export function finishBatch(
  db: Database,
  batchId: number,
  sha256: string,
  counts: ImportCounts,
  report: { warnings: string[]; skippedReasons: { reason: string; rows: number }[] } & Record<string, unknown>,
): void {
  db.prepare(
    `UPDATE import_batches SET file_sha256 = ?, rows_read = ?, rows_imported = ?, rows_duplicate = ?,
       rows_skipped = ?, rows_rejected = ?, report_json = ? WHERE batch_id = ?`,
  ).run(
    sha256,
    counts.read,
    counts.imported,
    counts.duplicate,
    counts.skipped,
    counts.rejected,
    JSON.stringify(report),
    batchId,
  );
}

export function findBatchBySha(db: Database, sha256: string): ImportBatch | undefined {
  const row = db.prepare('SELECT * FROM import_batches WHERE file_sha256 = ?').get(sha256) as ImportBatchRow | undefined;
  return row && batchFromRow(row);
}

export function listBatches(db: Database): ImportBatch[] {
  const rows = db.prepare('SELECT * FROM import_batches ORDER BY batch_id DESC').all() as ImportBatchRow[];
  return rows.map(batchFromRow);
}

export function insertRejections(
  db: Database,
  batchId: number,
  rejections: readonly { row: number; column: string; reason: string }[],
): void {
  const insert = db.prepare('INSERT INTO import_rejections (batch_id, source_row, column_name, reason) VALUES (?, ?, ?, ?)');
  for (const r of rejections) insert.run(batchId, r.row, r.column, r.reason);
}

function safeJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function findBatch(db: Database, batchId: number): ImportBatch | undefined {
  const row = db.prepare('SELECT * FROM import_batches WHERE batch_id = ?').get(batchId) as ImportBatchRow | undefined;
  return row && batchFromRow(row);
}

/** Lines stored per batch (active lines only), for the batch list. */
export function lineCountsByBatch(db: Database): Map<number, number> {
  // The facts alone (their batch index), without joining each line to its dimension.
  const rows = db.prepare('SELECT batch_id, count(*) AS n FROM usage_line_facts GROUP BY batch_id').all() as { batch_id: number; n: number }[];
  return new Map(rows.map((r) => [r.batch_id, r.n]));
}
