import type { Database, Statement } from 'better-sqlite3';
import type { Micros } from '../../common/money/micros.ts';
import type { UsageLine } from '../../common/usage/usage-line.ts';
import {
  KEY_BYTES,
  N,
  NULL_TEXT,
  NUMBER_COLUMN_COUNT,
  T,
  TEXT_COLUMN_COUNT,
  type LineBatch,
} from '../importers/line-batch.ts';
import { naturalKeyOf } from '../importers/natural-key.ts';
import { createDimStore, DIM_COLUMNS, type UsageDim } from './usage-dims-repo.ts';

/** The columns of a stored usage line as the `usage_lines` view shows them, in the order `usage_lines_superseded` uses. */
export const LINE_COLUMNS = [
  'line_id', 'batch_id', 'source_row', 'natural_key', 'period_start_ms', 'period_end_ms', 'usage_date', 'provider',
  'model', 'model_raw', 'token_kind', 'charge_kind', 'tokens', 'cost_micros', 'currency', 'cost_base_micros',
  'cost_centre', 'provider_account', 'project', 'source_ref', 'measure', 'pricing_tier', 'invoice_id', 'tokens_source',
  'cost_centre_source',
] as const;
const COLUMN_LIST = LINE_COLUMNS.join(', ');
/** The columns an import writes into `usage_line_facts` (`tokens_source` starts NULL), in binding order. */
const FACT_COLUMNS = [
  'batch_id', 'source_row', 'natural_key', 'period_start_ms', 'period_end_ms', 'usage_date', 'dim_id', 'tokens', 'cost_micros',
  'cost_base_micros', 'source_ref', 'invoice_id',
] as const;
const FACT_LIST = FACT_COLUMNS.join(', ');
/** Rows per multi-row INSERT: fewer calls from JS into SQLite for the same work. */
export const ROWS_PER_INSERT = 64;

export type WriteResult = 'inserted' | 'duplicate' | 'restated';
/** What happened to each line of a batch, by index (`WRITE_INSERTED`…). */
export const WRITE_INSERTED = 0;
export const WRITE_DUPLICATE = 1;
export const WRITE_RESTATED = 2;

/**
 * A line's key was given before in this file but no material for the key came with it or before. Cannot happen
 * when one thread reads the file. When two read its parts, the copy that found the key new (and sent no material)
 * may be written after the copy that brought it, which is why the writer keeps the materials it received; but a
 * file with more than `MAX_KNOWN_MATERIALS` repeated lines may repeat one across the parts after the writer
 * stopped keeping them: the file is then read again in one thread. (Both threads meeting one key at the same
 * instant is not a case: the shared key filter sets a key's bits in one atomic operation, so exactly one of them
 * finds the key new.)
 */
export class RepeatedKeyWithoutMaterial extends Error {}

/** At most this many materials are kept for the whole import (≈ 20 MB). */
const MAX_KNOWN_MATERIALS = 100_000;

/** A line ready to store: the mapper's line after aliases and cost-centre rules, and its 16-byte natural key. */
export type PreparedLine = { line: UsageLine; key: Uint8Array; costCentreSource: string | null };

type ExistingLine = { line_id: number; batch_id: number; tokens: number; tokens_source: number | null; cost_micros: number };

/**
 * Writes the lines of one batch inside the import transaction, from packed batches (see `line-batch.ts`).
 * - A new natural key: inserted.
 * - The same key twice in this file: two real lines (the 2nd, 3rd… copy gets the key of its occurrence,
 *   `naturalKeyOf(material, n)`), also when the earlier copy was a duplicate of another batch's line.
 * - The same key from another batch with the same figures: a duplicate, not stored twice. The line is parked in
 *   a temporary table in case this batch turns out to restate that batch wholesale (see `supersedeCoveredBatches`).
 * - The same key from another batch with other figures: the source restated the line (an API bucket completed, a
 *   month-to-date bill updated); the older line moves to `usage_lines_superseded` and this one takes its place.
 */
export function createLineWriter(db: Database, batchId: number) {
  // The batch is written into the statements themselves: the same for every line, bound it was a twelfth of the
  // values passed from JavaScript to SQLite (a million of them per million lines).
  if (!Number.isSafeInteger(batchId)) throw new Error(`batch id ${batchId} is not an integer`);
  const placeholders = `(${batchId}, ${FACT_COLUMNS.slice(1).map(() => '?').join(', ')})`;
  const insertOne = db.prepare(`INSERT OR IGNORE INTO usage_line_facts (${FACT_LIST}) VALUES ${placeholders}`);
  const insertMany = db.prepare(
    `INSERT OR IGNORE INTO usage_line_facts (${FACT_LIST}) VALUES ${Array(ROWS_PER_INSERT).fill(placeholders).join(', ')}`,
  );
  const existing = db.prepare('SELECT line_id, batch_id, tokens, tokens_source, cost_micros FROM usage_line_facts WHERE natural_key = ?');
  const moveOut = db.prepare(
    `INSERT INTO usage_lines_superseded (superseded_by, ${COLUMN_LIST}) SELECT ?, ${COLUMN_LIST} FROM usage_lines WHERE line_id = ?`,
  );
  const deleteLine = db.prepare('DELETE FROM usage_line_facts WHERE line_id = ?');
  db.exec(`DROP TABLE IF EXISTS temp.import_pending;
    CREATE TEMP TABLE import_pending AS SELECT ${FACT_LIST}, 0 AS duplicate_of_batch FROM usage_line_facts WHERE 0;
    CREATE INDEX temp.import_pending_key ON import_pending(natural_key)`);
  const parkedBefore = db.prepare('SELECT 1 FROM temp.import_pending WHERE natural_key = ?').pluck();
  const park = db.prepare(`INSERT INTO temp.import_pending VALUES (${FACT_COLUMNS.map(() => '?').join(', ')}, ?)`);
  const BOUND = FACT_COLUMNS.length - 1;
  const params: unknown[] = new Array(BOUND * ROWS_PER_INSERT);
  const one: unknown[] = new Array(BOUND);
  // Text numbers are the reader's: each part of a file read in two parts has a dictionary of its own.
  const store = createDimStore(db);
  const dimsOfPart = [createBatchDims(store), createBatchDims(store)];
  let dims = dimsOfPart[0]!;
  let parked = 0;
  // The key material received so far, by key (equal keys have equal material). When two threads read the parts
  // of a file, the copy of a repeated line that brought the material may be written before the one that needs it.
  const knownMaterials = new Map<string, string>();
  const keyText = (key: Uint8Array): string => Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1');

  let batch: LineBatch;
  let texts: readonly (string | null)[];
  const number = (i: number, column: number): number | null => {
    const v = batch.numbers[i * NUMBER_COLUMN_COUNT + column]!;
    return v !== v ? null : v;
  };
  const keyOf = (i: number): Uint8Array => batch.keys.subarray(i * KEY_BYTES, (i + 1) * KEY_BYTES);
  // The keys bound by a multi-row INSERT, copied into arrays kept for the whole import: a view of the batch per
  // line would be a million short-lived objects for the garbage collector (SQLite copies the bytes it is given).
  const insertKeys = Array.from({ length: ROWS_PER_INSERT }, () => new Uint8Array(KEY_BYTES));
  const keyCopy = (i: number, j: number): Uint8Array => {
    const out = insertKeys[j]!;
    const keys = batch.keys;
    for (let b = 0, from = i * KEY_BYTES; b < KEY_BYTES; b++) out[b] = keys[from + b]!;
    return out;
  };

  // In FACT_COLUMNS order after batch_id (which the statements hold).
  const bind = (out: unknown[], o: number, i: number, key: Uint8Array): void => {
    const t = i * TEXT_COLUMN_COUNT;
    const n = i * NUMBER_COLUMN_COUNT;
    const ids = batch.texts;
    const nums = batch.numbers;
    let id: number;
    out[o] = nums[n + N.source_row];
    out[o + 1] = key;
    out[o + 2] = nums[n + N.period_start_ms];
    out[o + 3] = nums[n + N.period_end_ms];
    out[o + 4] = texts[ids[t + T.usage_date]!];
    out[o + 5] = dims.idOf(batch, texts, i);
    out[o + 6] = nums[n + N.tokens];
    out[o + 7] = nums[n + N.cost_micros];
    const base = nums[n + N.cost_base_micros]!;
    out[o + 8] = base !== base ? null : base;
    out[o + 9] = (id = ids[t + T.source_ref]!) === NULL_TEXT ? null : texts[id];
    out[o + 10] = (id = ids[t + T.invoice_id]!) === NULL_TEXT ? null : texts[id];
  };

  function writeOne(i: number): number {
    let key = keyOf(i);
    for (let occurrence = 1; ; occurrence++) {
      if (occurrence > 1) {
        const material = batch.materials.get(i) ?? knownMaterials.get(keyText(keyOf(i)));
        if (material === undefined) throw new RepeatedKeyWithoutMaterial(`row ${number(i, N.source_row)}: a repeated natural key without its material`);
        key = naturalKeyOf(material, number(i, N.period_start_ms)!, occurrence);
      }
      bind(one, 0, i, key);
      if (insertOne.run(one).changes === 1) return WRITE_INSERTED;
      const old = existing.get(key) as ExistingLine | undefined;
      if (!old) continue;
      // This file already gave a line with this key (stored, restated or parked as a duplicate): this one is the
      // next occurrence of the same line.
      if (old.batch_id === batchId || parkedBefore.get(key) !== undefined) continue;
      const sameFigures = (old.tokens_source ?? old.tokens) === number(i, N.tokens) && old.cost_micros === number(i, N.cost_micros);
      if (sameFigures) {
        park.run(batchId, ...one, old.batch_id);
        parked++;
        return WRITE_DUPLICATE;
      }
      moveOut.run(batchId, old.line_id);
      deleteLine.run(old.line_id);
      bind(one, 0, i, key);
      insertOne.run(one);
      return WRITE_RESTATED;
    }
  }

  return {
    /**
     * Writes the lines of `lineBatch` (its texts looked up in `dictionary`) and records what happened to each in
     * `results` (`WRITE_INSERTED`, `WRITE_DUPLICATE`, `WRITE_RESTATED`). Lines are written 64 to a statement; a
     * statement that hit an existing key is redone line by line to tell duplicates, restatements and repeats apart.
     */
    write(lineBatch: LineBatch, dictionary: readonly (string | null)[], results: Uint8Array, part: 0 | 1 = 0): void {
      batch = lineBatch;
      texts = dictionary;
      dims = dimsOfPart[part]!;
      for (const [i, material] of lineBatch.materials) {
        if (knownMaterials.size >= MAX_KNOWN_MATERIALS) break;
        knownMaterials.set(keyText(keyOf(i)), material);
      }
      if (lineBatch.resetDictionary) dims.forgetTextNumbers();
      const count = lineBatch.count;
      let i = 0;
      for (; i + ROWS_PER_INSERT <= count; i += ROWS_PER_INSERT) {
        for (let j = 0; j < ROWS_PER_INSERT; j++) bind(params, j * BOUND, i + j, keyCopy(i + j, j));
        const info = insertMany.run(params);
        if (info.changes === ROWS_PER_INSERT) {
          results.fill(WRITE_INSERTED, i, i + ROWS_PER_INSERT);
          continue;
        }
        // Some keys already existed: the rows this statement inserted have the last `changes` line ids; the
        // others are handled one by one.
        const lastId = Number(info.lastInsertRowid);
        const firstId = lastId - info.changes + 1;
        for (let j = 0; j < ROWS_PER_INSERT; j++) {
          const row = existing.get(keyOf(i + j)) as ExistingLine | undefined;
          if (info.changes > 0 && row && row.line_id >= firstId && row.line_id <= lastId && !sameKeyEarlierInChunk(i, j)) {
            results[i + j] = WRITE_INSERTED;
          } else results[i + j] = writeOne(i + j);
        }
      }
      for (; i < count; i++) results[i] = writeOne(i);
    },
    get parked(): number {
      return parked;
    },
  };

  function sameKeyEarlierInChunk(start: number, j: number): boolean {
    const keys = batch.keys;
    const at = (start + j) * KEY_BYTES;
    for (let k = 0; k < j; k++) {
      const other = (start + k) * KEY_BYTES;
      let same = true;
      for (let x = 0; x < KEY_BYTES; x++) {
        if (keys[at + x] !== keys[other + x]) {
          same = false;
          break;
        }
      }
      if (same) return true;
    }
    return false;
  }
}

/** The text columns of a packed line that make its dimension, in `DIM_COLUMNS` order. */
const DIM_TEXTS = Int32Array.from(DIM_COLUMNS, (c) => T[c]);
const DIM_COUNT = DIM_TEXTS.length;

/**
 * The dimension id of each packed line, from the text numbers of its dimension columns: a line costs a hash of
 * twelve integers and a comparison; only a combination not seen before in this import is looked up (or added)
 * in `usage_dims`. Text numbers mean other texts after the reader starts its dictionary afresh
 * (`forgetTextNumbers`).
 */
function createBatchDims(store: ReturnType<typeof createDimStore>) {
  // hash of the text numbers → entries of [text numbers…, dim id]
  let seen = new Map<number, Int32Array[]>();
  return {
    idOf(batch: LineBatch, texts: readonly (string | null)[], i: number): number {
      const ids = batch.texts;
      const t = i * TEXT_COLUMN_COUNT;
      let hash = 0;
      for (let c = 0; c < DIM_COUNT; c++) hash = (Math.imul(hash, 0x9e3779b1) + ids[t + DIM_TEXTS[c]!]!) | 0;
      const bucket = seen.get(hash);
      if (bucket) {
        for (const entry of bucket) {
          let c = 0;
          while (c < DIM_COUNT && entry[c] === ids[t + DIM_TEXTS[c]!]) c++;
          if (c === DIM_COUNT) return entry[DIM_COUNT]!;
        }
      }
      // A combination new to this import: its texts, in DIM_COLUMNS order (only cost_centre_source may be NULL).
      const values = Array.from(DIM_TEXTS, (column) => {
        const id = ids[t + column]!;
        return id === NULL_TEXT ? null : texts[id]!;
      });
      const dim = Object.fromEntries(DIM_COLUMNS.map((c, k) => [c, values[k]])) as UsageDim;
      const entry = new Int32Array(DIM_COUNT + 1);
      for (let c = 0; c < DIM_COUNT; c++) entry[c] = ids[t + DIM_TEXTS[c]!]!;
      entry[DIM_COUNT] = store.idOf(dim);
      if (bucket) bucket.push(entry);
      else seen.set(hash, [entry]);
      return entry[DIM_COUNT]!;
    },
    forgetTextNumbers(): void {
      seen = new Map();
    },
  };
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
    db.prepare('DELETE FROM usage_line_facts WHERE batch_id = ?').run(candidate);
    db.prepare("UPDATE import_batches SET state = 'superseded', superseded_by = ? WHERE batch_id = ?").run(batchId, candidate);
    const fileName = db.prepare('SELECT file_name FROM import_batches WHERE batch_id = ?').pluck().get(candidate) as string;
    replaced.push({ batchId: candidate, fileName, lines });
  }
  let adopted = 0;
  if (replaced.length > 0) {
    const ids = replaced.map((r) => r.batchId);
    adopted = db
      .prepare(
        `INSERT OR IGNORE INTO usage_line_facts (${FACT_LIST}) SELECT ${FACT_LIST} FROM temp.import_pending
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
  // Only providers that may have volume lines at all: finding that out from the lines means reading every line
  // of the provider (a second per million lines), for every import, although most workbooks have none.
  const known = volumeProviders(db);
  providers = providers.filter((p) => known.has(p));
  if (providers.length === 0) return;
  const hasVolume = db.prepare("SELECT 1 FROM usage_dims WHERE provider = ? AND measure = 'volume' LIMIT 1").pluck();
  const volumeDims = "dim_id IN (SELECT dim_id FROM usage_dims WHERE provider = ? AND measure = 'volume')";
  const shadow = db.prepare(
    `UPDATE usage_line_facts SET tokens_source = COALESCE(tokens_source, tokens), tokens = 0
     WHERE ${volumeDims} AND tokens_source IS NULL AND usage_date IN
       (SELECT usage_date FROM usage_lines WHERE provider = ? AND measure = 'cost' AND tokens <> 0)`,
  );
  const restore = db.prepare(
    `UPDATE usage_line_facts SET tokens = tokens_source, tokens_source = NULL
     WHERE ${volumeDims} AND tokens_source IS NOT NULL AND usage_date NOT IN
       (SELECT usage_date FROM usage_lines WHERE provider = ? AND measure = 'cost' AND tokens <> 0)`,
  );
  for (const provider of providers) {
    if (!hasVolume.get(provider)) continue;
    shadow.run(provider, provider);
    restore.run(provider, provider);
  }
}

const VOLUME_PROVIDERS_KEY = 'volume_providers';

/**
 * The providers for which the workbook has, or had, volume (usage-only) lines: a superset, kept in `settings` so
 * that reconciling after an import does not read every line to find out. A workbook that does not have the list
 * yet (written before it existed) gets it from its lines once.
 */
export function volumeProviders(db: Database): Set<string> {
  const stored = db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(VOLUME_PROVIDERS_KEY) as string | undefined;
  if (stored !== undefined) return new Set(JSON.parse(stored) as string[]);
  const found = db
    .prepare("SELECT provider FROM usage_lines WHERE measure = 'volume' UNION SELECT provider FROM usage_lines_superseded WHERE measure = 'volume'")
    .pluck()
    .all() as string[];
  storeVolumeProviders(db, found);
  return new Set(found);
}

/** Adds the providers of newly written volume lines to the list (`volumeProviders`), in the caller's transaction. */
export function registerVolumeProviders(db: Database, providers: readonly string[]): void {
  const known = volumeProviders(db);
  if (providers.every((p) => known.has(p))) return;
  for (const p of providers) known.add(p);
  storeVolumeProviders(db, [...known]);
}

function storeVolumeProviders(db: Database, providers: readonly string[]): void {
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
    VOLUME_PROVIDERS_KEY,
    JSON.stringify([...providers].sort()),
  );
}

export type StoredOriginal = { entryName: string; sizeBytes: number; compression: 'zstd' | 'gzip'; redacted: boolean };

/**
 * The chunks of the second part of a file read in two parts (see `split-plan.ts`) are numbered from here: each
 * part is compressed on its own, as a stream of its own, stored after the first part's.
 */
const PART_SEQ_STEP = 1_000_000_000;

/** Keeps the original file (compressed) with its batch: chunks of at most a few MB each. */
export function createOriginalWriter(db: Database, batchId: number) {
  const insertFile = db.prepare(
    'INSERT INTO import_files (batch_id, entry_name, size_bytes, compression, redacted) VALUES (?, ?, ?, ?, ?)',
  );
  const insertChunk = db.prepare('INSERT INTO import_file_chunks (batch_id, entry_name, seq, data) VALUES (?, ?, ?, ?)');
  const seqs = new Map<string, number>();
  return {
    /** Stores the next compressed chunk of `entryName`, of part 0 (the whole file, or its first part) or 1. */
    chunk(entryName: string, data: Uint8Array, part: 0 | 1 = 0): void {
      const counter = `${part}\u0000${entryName}`;
      const seq = seqs.get(counter) ?? 0;
      seqs.set(counter, seq + 1);
      insertChunk.run(batchId, entryName, part * PART_SEQ_STEP + seq, data);
    },
    finish(file: StoredOriginal): void {
      insertFile.run(batchId, file.entryName, file.sizeBytes, file.compression, file.redacted ? 1 : 0);
    },
  };
}

/** The stored originals of a batch: each as its compressed streams (one, or two for a file read in two parts). */
export function readOriginalChunks(db: Database, batchId: number): { file: StoredOriginal; streams: Buffer[][] }[] {
  const files = db.prepare('SELECT entry_name, size_bytes, compression, redacted FROM import_files WHERE batch_id = ? ORDER BY entry_name').all(batchId) as {
    entry_name: string;
    size_bytes: number;
    compression: 'zstd' | 'gzip';
    redacted: number;
  }[];
  const chunks = db.prepare('SELECT seq, data FROM import_file_chunks WHERE batch_id = ? AND entry_name = ? ORDER BY seq');
  return files.map((f) => {
    const streams = new Map<number, Buffer[]>();
    for (const { seq, data } of chunks.all(batchId, f.entry_name) as { seq: number; data: Buffer }[]) {
      const part = Math.floor(seq / PART_SEQ_STEP);
      const stream = streams.get(part);
      if (stream) stream.push(data);
      else streams.set(part, [data]);
    }
    return {
      file: { entryName: f.entry_name, sizeBytes: f.size_bytes, compression: f.compression, redacted: f.redacted === 1 },
      streams: [...streams.values()],
    };
  });
}

export type UndoneBatch = { batchId: number; fileName: string; linesRemoved: number; linesRestored: number; ratesRemoved: number; restoredBatches: number[] };

/**
 * Removes a batch and everything it added (its lines, FX rates, stored file, scopes, rejections) and brings back
 * the lines it had replaced, in the caller's transaction. Returns what changed, for the audit log.
 */
export function undoBatch(db: Database, batchId: number): UndoneBatch | undefined {
  const batch = db.prepare('SELECT file_name FROM import_batches WHERE batch_id = ?').get(batchId) as { file_name: string } | undefined;
  if (!batch) return undefined;
  const linesRemoved = db.prepare('DELETE FROM usage_line_facts WHERE batch_id = ?').run(batchId).changes;
  // Through the view's INSERT trigger (which finds each line's dimension); a trigger's rows are not counted in
  // `changes`, so they are counted first.
  const linesRestored = db.prepare('SELECT count(*) FROM usage_lines_superseded WHERE superseded_by = ?').pluck().get(batchId) as number;
  db.prepare(`INSERT INTO usage_lines (${COLUMN_LIST}) SELECT ${COLUMN_LIST} FROM usage_lines_superseded WHERE superseded_by = ?`).run(batchId);
  db.prepare('DELETE FROM usage_lines_superseded WHERE superseded_by = ?').run(batchId);
  const restoredBatches = db.prepare('SELECT batch_id FROM import_batches WHERE superseded_by = ?').pluck().all(batchId) as number[];
  db.prepare("UPDATE import_batches SET state = 'active', superseded_by = NULL WHERE superseded_by = ?").run(batchId);
  const ratesRemoved = db.prepare('DELETE FROM fx_rates WHERE batch_id = ?').run(batchId).changes;
  db.prepare('DELETE FROM import_batches WHERE batch_id = ?').run(batchId);
  return { batchId, fileName: batch.file_name, linesRemoved, linesRestored, ratesRemoved, restoredBatches };
}

export type { Micros, Statement };
