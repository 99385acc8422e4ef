import type { Database, Statement } from 'better-sqlite3';
import type { FxConverter } from '../../common/money/fx.ts';
import type { Micros } from '../../common/money/micros.ts';
import type { UsageLine } from '../../common/usage/usage-line.ts';

/** The columns of a stored usage line, in the order both `usage_lines` and `usage_lines_superseded` use. */
export const LINE_COLUMNS = [
  'line_id', 'batch_id', 'source_row', 'natural_key', 'period_start_ms', 'period_end_ms', 'usage_date', 'provider',
  'model', 'model_raw', 'token_kind', 'charge_kind', 'tokens', 'cost_micros', 'currency', 'cost_base_micros',
  'cost_centre', 'provider_account', 'project', 'source_ref', 'measure', 'pricing_tier', 'invoice_id', 'tokens_source',
  'cost_centre_source',
] as const;
const COLUMN_LIST = LINE_COLUMNS.join(', ');
const INSERT_COLUMNS = LINE_COLUMNS.slice(1);
/** Rows per multi-row INSERT: fewer calls from JS into SQLite for the same work. */
export const ROWS_PER_INSERT = 40;

export type WriteResult = 'inserted' | 'duplicate' | 'restated';

/** A line ready to store: the mapper's line after aliases and cost-centre rules, and its 16-byte natural key. */
export type PreparedLine = { line: UsageLine; key: Uint8Array; costCentreSource: string | null };

/**
 * Writes the lines of one batch inside the import transaction.
 * - A new natural key: inserted.
 * - The same key twice in this file: two real lines (`withOccurrence` gives the 2nd, 3rd… key).
 * - The same key from another batch with the same figures: a duplicate, not stored twice. The line is parked in
 *   a temporary table in case this batch turns out to restate that batch wholesale (see `supersedeCoveredBatches`).
 * - The same key from another batch with other figures: the source restated the line (an API bucket completed, a
 *   month-to-date bill updated); the older line moves to `usage_lines_superseded` and this one takes its place.
 */
export function createLineWriter(db: Database, batchId: number, fx: FxConverter) {
  const placeholders = `(${INSERT_COLUMNS.map(() => '?').join(', ')})`;
  const insertOne = db.prepare(`INSERT OR IGNORE INTO usage_lines (${INSERT_COLUMNS.join(', ')}) VALUES ${placeholders}`);
  const insertMany = db.prepare(
    `INSERT OR IGNORE INTO usage_lines (${INSERT_COLUMNS.join(', ')}) VALUES ${Array(ROWS_PER_INSERT).fill(placeholders).join(', ')}`,
  );
  const existing = db.prepare('SELECT line_id, batch_id, source_row, tokens, tokens_source, cost_micros FROM usage_lines WHERE natural_key = ?');
  const moveOut = db.prepare(
    `INSERT INTO usage_lines_superseded (superseded_by, ${COLUMN_LIST}) SELECT ?, ${COLUMN_LIST} FROM usage_lines WHERE line_id = ?`,
  );
  const deleteLine = db.prepare('DELETE FROM usage_lines WHERE line_id = ?');
  db.exec(`DROP TABLE IF EXISTS temp.import_pending;
    CREATE TEMP TABLE import_pending AS SELECT ${INSERT_COLUMNS.join(', ')}, 0 AS duplicate_of_batch FROM usage_lines WHERE 0`);
  const park = db.prepare(`INSERT INTO temp.import_pending VALUES (${INSERT_COLUMNS.map(() => '?').join(', ')}, ?)`);
  const params: unknown[] = new Array(INSERT_COLUMNS.length * ROWS_PER_INSERT);
  let pending: PreparedLine[] = [];
  let parked = 0;

  const bind = (out: unknown[], offset: number, p: PreparedLine, key: Uint8Array): void => {
    const l = p.line;
    out[offset] = batchId;
    out[offset + 1] = l.sourceRow;
    out[offset + 2] = key;
    out[offset + 3] = l.periodStartMs;
    out[offset + 4] = l.periodEndMs;
    out[offset + 5] = l.usageDate;
    out[offset + 6] = l.provider;
    out[offset + 7] = l.model;
    out[offset + 8] = l.modelRaw;
    out[offset + 9] = l.tokenKind;
    out[offset + 10] = l.chargeKind;
    out[offset + 11] = l.tokens;
    out[offset + 12] = l.costMicros;
    out[offset + 13] = l.currency;
    out[offset + 14] = fx.convert(l.costMicros, l.currency, l.usageDate) ?? null;
    out[offset + 15] = l.costCentre;
    out[offset + 16] = l.providerAccount;
    out[offset + 17] = l.project;
    out[offset + 18] = l.sourceRef ?? null;
    out[offset + 19] = l.measure ?? 'cost';
    out[offset + 20] = l.pricingTier ?? '';
    out[offset + 21] = l.invoiceId || null;
    out[offset + 22] = null;
    out[offset + 23] = p.costCentreSource;
  };
  const one: unknown[] = new Array(INSERT_COLUMNS.length);

  function writeOne(p: PreparedLine, withOccurrence: (n: number) => Uint8Array): WriteResult {
    let key = p.key;
    for (let occurrence = 1; ; occurrence++) {
      if (occurrence > 1) key = withOccurrence(occurrence);
      bind(one, 0, p, key);
      if (insertOne.run(one).changes === 1) return 'inserted';
      const old = existing.get(key) as
        | { line_id: number; batch_id: number; source_row: number; tokens: number; tokens_source: number | null; cost_micros: number }
        | undefined;
      if (!old) continue;
      if (old.batch_id === batchId) continue;
      const sameFigures = (old.tokens_source ?? old.tokens) === p.line.tokens && old.cost_micros === p.line.costMicros;
      if (sameFigures) {
        park.run(...one, old.batch_id);
        parked++;
        return 'duplicate';
      }
      moveOut.run(batchId, old.line_id);
      deleteLine.run(old.line_id);
      bind(one, 0, p, key);
      insertOne.run(one);
      return 'restated';
    }
  }

  return {
    /**
     * Writes `lines` and returns what happened to each, in order. Lines are written 40 to a statement; a
     * statement that hit an existing key is redone line by line to tell duplicates, restatements and repeats apart.
     */
    write(lines: readonly PreparedLine[], withOccurrence: (p: PreparedLine, n: number) => Uint8Array, out: WriteResult[]): void {
      let i = 0;
      for (; i + ROWS_PER_INSERT <= lines.length; i += ROWS_PER_INSERT) {
        for (let j = 0; j < ROWS_PER_INSERT; j++) bind(params, j * INSERT_COLUMNS.length, lines[i + j]!, lines[i + j]!.key);
        const changes = insertMany.run(params).changes;
        if (changes === ROWS_PER_INSERT) {
          for (let j = 0; j < ROWS_PER_INSERT; j++) out.push('inserted');
          continue;
        }
        // Some keys already existed: find which of the chunk went in, and handle the others one by one.
        for (let j = 0; j < ROWS_PER_INSERT; j++) {
          const p = lines[i + j]!;
          const row = existing.get(p.key) as { batch_id: number; source_row: number } | undefined;
          if (row && row.batch_id === batchId && row.source_row === p.line.sourceRow && !sameKeyEarlierInChunk(lines, i, j)) {
            out.push('inserted');
          } else out.push(writeOne(p, (n) => withOccurrence(p, n)));
        }
      }
      for (; i < lines.length; i++) out.push(writeOne(lines[i]!, (n) => withOccurrence(lines[i]!, n)));
    },
    get parked(): number {
      return parked;
    },
    pendingCount: () => pending.length,
    reset(): void {
      pending = [];
    },
  };
}

function sameKeyEarlierInChunk(lines: readonly PreparedLine[], start: number, j: number): boolean {
  const key = lines[start + j]!.key;
  for (let k = 0; k < j; k++) {
    const other = lines[start + k]!.key;
    if (other.length === key.length && other.every((b, x) => b === key[x])) return true;
  }
  return false;
}

/** One (scope, period) a batch covers. Scope: `format|provider|account|project`; end exclusive. */
export type BatchScope = { scope: string; periodStartMs: number; periodEndMs: number; lines: number };

export function insertScopes(db: Database, batchId: number, scopes: readonly BatchScope[]): void {
  const insert = db.prepare(
    `INSERT INTO import_scopes (batch_id, scope, period_start_ms, period_end_ms, lines) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (batch_id, scope, period_start_ms) DO UPDATE SET period_end_ms = max(period_end_ms, excluded.period_end_ms), lines = lines + excluded.lines`,
  );
  for (const s of scopes) insert.run(batchId, s.scope, s.periodStartMs, s.periodEndMs, s.lines);
}

export type Supersession = { batchId: number; fileName: string; lines: number };

/**
 * A newer export of the same scope and period replaces the older one: every active batch all of whose
 * (scope, period) pairs lie within this batch's pairs of the same scope is superseded. Its lines move to
 * `usage_lines_superseded` (so undoing this batch brings them back); the lines of this file that were parked as
 * duplicates of them are stored as this batch's own. Returns the batches replaced and how many parked lines
 * became this batch's.
 */
export function supersedeCoveredBatches(db: Database, batchId: number): { replaced: Supersession[]; adopted: number } {
  const mine = db.prepare('SELECT scope, period_start_ms, period_end_ms FROM import_scopes WHERE batch_id = ?').all(batchId) as {
    scope: string;
    period_start_ms: number;
    period_end_ms: number;
  }[];
  if (mine.length === 0) return { replaced: [], adopted: 0 };
  const candidates = db
    .prepare(
      `SELECT DISTINCT s.batch_id FROM import_scopes s JOIN import_batches b USING (batch_id)
       WHERE s.scope IN (SELECT scope FROM import_scopes WHERE batch_id = ?) AND s.batch_id <> ? AND b.state = 'active'`,
    )
    .pluck()
    .all(batchId, batchId) as number[];
  const scopesOf = db.prepare('SELECT scope, period_start_ms, period_end_ms FROM import_scopes WHERE batch_id = ?');
  const replaced: Supersession[] = [];
  for (const candidate of candidates) {
    const theirs = scopesOf.all(candidate) as typeof mine;
    const covered = theirs.every((t) =>
      mine.some((m) => m.scope === t.scope && m.period_start_ms <= t.period_start_ms && t.period_end_ms <= m.period_end_ms),
    );
    if (!covered) continue;
    const lines = db
      .prepare(`INSERT INTO usage_lines_superseded (superseded_by, ${COLUMN_LIST}) SELECT ?, ${COLUMN_LIST} FROM usage_lines WHERE batch_id = ?`)
      .run(batchId, candidate).changes;
    db.prepare('DELETE FROM usage_lines WHERE batch_id = ?').run(candidate);
    db.prepare("UPDATE import_batches SET state = 'superseded', superseded_by = ? WHERE batch_id = ?").run(batchId, candidate);
    const fileName = db.prepare('SELECT file_name FROM import_batches WHERE batch_id = ?').pluck().get(candidate) as string;
    replaced.push({ batchId: candidate, fileName, lines });
  }
  let adopted = 0;
  if (replaced.length > 0) {
    const ids = replaced.map((r) => r.batchId);
    adopted = db
      .prepare(
        `INSERT OR IGNORE INTO usage_lines (${INSERT_COLUMNS.join(', ')}) SELECT ${INSERT_COLUMNS.join(', ')} FROM temp.import_pending
         WHERE duplicate_of_batch IN (${ids.map(() => '?').join(', ')})`,
      )
      .run(...ids).changes;
  }
  return { replaced, adopted };
}

export function dropPending(db: Database): void {
  db.exec('DROP TABLE IF EXISTS temp.import_pending');
}

/**
 * Usage (volume) and cost (money) sources of the same provider are reconciled, not summed: where a cost source
 * reports tokens for a provider and day, the volume source's tokens for that day stop counting in totals (`tokens`
 * becomes 0 and the reported figure is kept in `tokens_source`); where none does, they count again.
 */
export function reconcileVolumeLines(db: Database, providers: readonly string[]): void {
  const hasVolume = db.prepare("SELECT 1 FROM usage_lines WHERE provider = ? AND measure = 'volume' LIMIT 1").pluck();
  const shadow = db.prepare(
    `UPDATE usage_lines SET tokens_source = COALESCE(tokens_source, tokens), tokens = 0
     WHERE provider = ? AND measure = 'volume' AND tokens_source IS NULL AND usage_date IN
       (SELECT usage_date FROM usage_lines WHERE provider = ? AND measure = 'cost' AND tokens <> 0)`,
  );
  const restore = db.prepare(
    `UPDATE usage_lines SET tokens = tokens_source, tokens_source = NULL
     WHERE provider = ? AND measure = 'volume' AND tokens_source IS NOT NULL AND usage_date NOT IN
       (SELECT usage_date FROM usage_lines WHERE provider = ? AND measure = 'cost' AND tokens <> 0)`,
  );
  for (const provider of providers) {
    if (!hasVolume.get(provider)) continue;
    shadow.run(provider, provider);
    restore.run(provider, provider);
  }
}

export type StoredOriginal = { entryName: string; sizeBytes: number; compression: 'zstd' | 'gzip'; redacted: boolean };

/** Keeps the original file (compressed) with its batch: chunks of at most a few MB each. */
export function createOriginalWriter(db: Database, batchId: number) {
  const insertFile = db.prepare(
    'INSERT INTO import_files (batch_id, entry_name, size_bytes, compression, redacted) VALUES (?, ?, ?, ?, ?)',
  );
  const insertChunk = db.prepare('INSERT INTO import_file_chunks (batch_id, entry_name, seq, data) VALUES (?, ?, ?, ?)');
  const seqs = new Map<string, number>();
  return {
    chunk(entryName: string, data: Uint8Array): void {
      const seq = seqs.get(entryName) ?? 0;
      seqs.set(entryName, seq + 1);
      insertChunk.run(batchId, entryName, seq, data);
    },
    finish(file: StoredOriginal): void {
      insertFile.run(batchId, file.entryName, file.sizeBytes, file.compression, file.redacted ? 1 : 0);
    },
  };
}

export function readOriginalChunks(db: Database, batchId: number): { file: StoredOriginal; chunks: Buffer[] }[] {
  const files = db.prepare('SELECT entry_name, size_bytes, compression, redacted FROM import_files WHERE batch_id = ? ORDER BY entry_name').all(batchId) as {
    entry_name: string;
    size_bytes: number;
    compression: 'zstd' | 'gzip';
    redacted: number;
  }[];
  const chunks = db.prepare('SELECT data FROM import_file_chunks WHERE batch_id = ? AND entry_name = ? ORDER BY seq').pluck();
  return files.map((f) => ({
    file: { entryName: f.entry_name, sizeBytes: f.size_bytes, compression: f.compression, redacted: f.redacted === 1 },
    chunks: chunks.all(batchId, f.entry_name) as Buffer[],
  }));
}

export type UndoneBatch = { batchId: number; fileName: string; linesRemoved: number; linesRestored: number; ratesRemoved: number; restoredBatches: number[] };

/**
 * Removes a batch and everything it added (its lines, FX rates, stored file, scopes, rejections) and brings back
 * the lines it had replaced, in the caller's transaction. Returns what changed, for the audit log.
 */
export function undoBatch(db: Database, batchId: number): UndoneBatch | undefined {
  const batch = db.prepare('SELECT file_name FROM import_batches WHERE batch_id = ?').get(batchId) as { file_name: string } | undefined;
  if (!batch) return undefined;
  const linesRemoved = db.prepare('DELETE FROM usage_lines WHERE batch_id = ?').run(batchId).changes;
  const linesRestored = db
    .prepare(`INSERT INTO usage_lines (${COLUMN_LIST}) SELECT ${COLUMN_LIST} FROM usage_lines_superseded WHERE superseded_by = ?`)
    .run(batchId).changes;
  db.prepare('DELETE FROM usage_lines_superseded WHERE superseded_by = ?').run(batchId);
  const restoredBatches = db.prepare('SELECT batch_id FROM import_batches WHERE superseded_by = ?').pluck().all(batchId) as number[];
  db.prepare("UPDATE import_batches SET state = 'active', superseded_by = NULL WHERE superseded_by = ?").run(batchId);
  const ratesRemoved = db.prepare('DELETE FROM fx_rates WHERE batch_id = ?').run(batchId).changes;
  db.prepare('DELETE FROM import_batches WHERE batch_id = ?').run(batchId);
  return { batchId, fileName: batch.file_name, linesRemoved, linesRestored, ratesRemoved, restoredBatches };
}

export type { Micros, Statement };
