import { createHash } from 'node:crypto';
import { DomainError } from '../../common/errors.ts';
import { createFxConverter, type FxRate } from '../../common/money/fx.ts';
import { compileCostCentreRules, compileModelAliases, type CostCentreRule } from '../../common/usage/cost-centre-rules.ts';
import type { BatchScope } from '../workbook/import-writer.ts';
import { ownText } from './fields.ts';
import { FORMATS } from './formats.ts';
import { createMappedMapper, type ColumnMapping } from './formats/custom-mapping.ts';
import { createLineBatchBuilder, N, T, type LineBatch } from './line-batch.ts';
import { KEY_HASH_OFFSET, writeNaturalKey } from './natural-key.ts';
import type { MapperContext, RowMapper, RowOutcome } from './row-outcome.ts';

/**
 * The reading half of an import: maps the rows of a table to usage lines, applies the workbook's model aliases
 * and cost-centre rules, computes natural keys and base-currency amounts, and packs the lines into batches for
 * the writer; counts skipped and rejected rows, notes warnings and the scopes the file covers. It never touches
 * the workbook, so it runs in the thread that reads the file — a worker thread for a large CSV, the importing
 * thread otherwise — and gives the same batches either way.
 */

/** What the reader needs from the workbook, known before reading (plain data, so it can go to a worker). */
export type ProducerShared = {
  fileName: string;
  /** For the Bloom filter's size. */
  sizeBytes: number;
  modelAliases: readonly { alias: string; canonical: string }[];
  costCentreRules: readonly CostCentreRule[];
  fxRates: readonly FxRate[];
  baseCurrency: string;
};

/** How to read a table whose header was recognised (chosen by the importing thread, which sees the workbook). */
export type TableSetup = {
  format: string;
  /** The column mapping, for the `custom-mapping` format. */
  mapping?: ColumnMapping | undefined;
  context: MapperContext;
  /** The entry name inside a ZIP ('' for the file itself). */
  entry: string;
};

export type StoredRejection = { row: number; column: string; reason: string };

/** What the reader counted, at the end of a file. */
export type ProducerTally = {
  read: number;
  skipped: number;
  rejected: number;
  skippedReasons: [reason: string, rows: number][];
  warnings: [warning: string, rows: number][];
  /** The first `MAX_LISTED_REJECTIONS`… of them are listed in the report, up to `MAX_STORED_REJECTIONS` stored. */
  rejections: StoredRejection[];
  /** `coverage`: a scope without billing periods, whose period is the span of its lines' periods. */
  scopes: (BatchScope & { coverage?: true })[];
  providers: string[];
  /** Providers of the file's volume (usage-only) lines. */
  volumeProviders: string[];
};

export const MAX_STORED_REJECTIONS = 10_000;
/** Lines per batch handed to the writer. */
export const BATCH_LINES = 4096;

/** The mapper of a table, from its setup (the same as the format's `createMapper` in the importing thread). */
export function mapperFromSetup(header: readonly string[], setup: TableSetup): RowMapper {
  if (setup.format === 'custom-mapping') {
    if (!setup.mapping) throw new Error('a custom-mapping table needs its mapping');
    try {
      return createMappedMapper(header, setup.mapping, setup.context);
    } catch (error) {
      throw new DomainError('invalid-input', `the column mapping does not fit this file: ${(error as Error).message}`);
    }
  }
  const definition = FORMATS.find((f) => f.id === setup.format);
  if (!definition) throw new Error(`unknown format ${setup.format}`);
  return definition.createMapper(header, setup.context);
}

export type RowProducer = {
  /** Starts a table: returns its mapper (for its personal-data columns). */
  beginTable(header: readonly string[], setup: TableSetup): RowMapper;
  /** Maps one data row. `row` is the 1-based data row, `line` the physical line, `ref` a position in JSON/ZIP. */
  record(fields: string[], row: number, line: number, ref?: string): void;
  /** Rows read so far. */
  readonly read: number;
  /** Batches completed since the last call (and the current one, when `all` and not empty). */
  take(all: boolean): { batch: LineBatch; transfer: ArrayBuffer[] }[];
  tally(): ProducerTally;
};

/** `sharedKeys`: the filter of keys seen, shared with the thread reading the file's other part (`sharedKeyFilter`). */
export function createRowProducer(shared: ProducerShared, sharedKeys?: SharedArrayBuffer): RowProducer {
  const alias = compileModelAliases(shared.modelAliases);
  const costCentreRule = compileCostCentreRules(shared.costCentreRules);
  const fx = createFxConverter(shared.fxRates, shared.baseCurrency);
  const builder = createLineBatchBuilder(BATCH_LINES);
  const ready: { batch: LineBatch; transfer: ArrayBuffer[] }[] = [];
  const bloom = createBloomFilter(shared.sizeBytes, sharedKeys);
  const skipped = new Map<string, number>();
  const warnings = new Map<string, number>();
  const rejections: StoredRejection[] = [];
  const scopes: BatchScope[] = [];
  const providers = new Set<string>();
  const volumeProviders = new Set<string>();
  let read = 0;
  let skippedRows = 0;
  let rejectedRows = 0;
  let mapper: RowMapper | undefined;
  let tableFormat = '';
  let tableEntry = '';

  const note = (map: Map<string, number>, text: string): void => {
    const n = map.get(text);
    if (n === undefined) map.set(ownText(text), 1);
    else map.set(text, n + 1);
  };

  // Scopes found by provider, account, project and billing period in turn (one index per format of the file's
  // tables): looking up four short texts costs less than joining them into one key per line.
  type ScopeIndex = Map<string, Map<string, Map<string, Map<number | 'coverage', BatchScope>>>>;
  const scopeIndexes = new Map<string, ScopeIndex>();
  let scopeIndex: ScopeIndex = new Map();
  function trackScope(provider: string, account: string, project: string, bpStart: number | undefined, bpEnd: number | undefined, start: number, end: number): void {
    const billed = bpStart !== undefined && bpEnd !== undefined;
    let byAccount = scopeIndex.get(provider);
    if (!byAccount) scopeIndex.set(ownText(provider), (byAccount = new Map()));
    let byProject = byAccount.get(account);
    if (!byProject) byAccount.set(ownText(account), (byProject = new Map()));
    let byPeriod = byProject.get(project);
    if (!byPeriod) byProject.set(ownText(project), (byPeriod = new Map()));
    const period = billed ? bpStart : 'coverage';
    const s = byPeriod.get(period);
    if (!s) {
      const scope = ownText(`${tableFormat}|${provider}|${account}|${project}`);
      const created: BatchScope & { coverage?: true } = { scope, periodStartMs: billed ? bpStart : start, periodEndMs: billed ? bpEnd : end, lines: 1 };
      if (!billed) created.coverage = true;
      byPeriod.set(period, created);
      scopes.push(created);
    } else {
      s.lines++;
      if (!billed) {
        if (start < s.periodStartMs) s.periodStartMs = start;
        if (end > s.periodEndMs) s.periodEndMs = end;
      }
    }
  }

  return {
    beginTable(header, setup) {
      mapper = mapperFromSetup(header, setup);
      tableFormat = setup.format;
      let index = scopeIndexes.get(tableFormat);
      if (!index) scopeIndexes.set(tableFormat, (index = new Map()));
      scopeIndex = index;
      tableEntry = setup.entry;
      return mapper;
    },
    get read() {
      return read;
    },
    record(fields, row, line, ref) {
      read++;
      let outcome: RowOutcome;
      try {
        outcome = mapper!.mapRow(fields, row, ref);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        outcome = { kind: 'reject', column: '(row)', reason: error.message };
      }
      switch (outcome.kind) {
        case 'usage': {
          if (outcome.warning) note(warnings, outcome.warning);
          for (const { line: l, keyMaterial } of outcome.lines) {
            const recognised = l.model;
            l.model = alias(l.modelRaw, recognised);
            const ruled = costCentreRule(l);
            const costCentreSource = ruled !== undefined && ruled !== l.costCentre ? l.costCentre : null;
            if (ruled !== undefined) l.costCentre = ruled;
            if (tableEntry && !l.sourceRef) l.sourceRef = `${tableEntry}:${row}`;
            const i = builder.add();
            builder.number(N.source_row, l.sourceRow);
            builder.number(N.period_start_ms, l.periodStartMs);
            builder.number(N.period_end_ms, l.periodEndMs);
            builder.number(N.tokens, l.tokens);
            builder.number(N.cost_micros, l.costMicros);
            builder.number(N.cost_base_micros, fx.convert(l.costMicros, l.currency, l.usageDate));
            builder.text(T.usage_date, l.usageDate);
            builder.text(T.provider, l.provider);
            builder.text(T.model, l.model);
            builder.text(T.model_raw, l.modelRaw);
            builder.text(T.token_kind, l.tokenKind);
            builder.text(T.charge_kind, l.chargeKind);
            builder.text(T.currency, l.currency);
            builder.text(T.cost_centre, l.costCentre);
            builder.text(T.provider_account, l.providerAccount);
            builder.text(T.project, l.project);
            builder.text(T.source_ref, l.sourceRef ?? null);
            builder.text(T.measure, l.measure ?? 'cost');
            builder.text(T.pricing_tier, l.pricingTier ?? '');
            builder.text(T.invoice_id, l.invoiceId || null);
            builder.text(T.cost_centre_source, costCentreSource);
            writeNaturalKey(keyMaterial, l.periodStartMs, 1, builder.keys, builder.keyOffset);
            // A key this file may have given before: the writer may need the material for the key of a repeat.
            if (bloom.seen(builder.keys, builder.keyOffset)) builder.material(i, keyMaterial);
            providers.add(l.provider);
            if (l.measure === 'volume') volumeProviders.add(l.provider);
            trackScope(l.provider, l.providerAccount, l.project, l.billingPeriodStartMs, l.billingPeriodEndMs, l.periodStartMs, l.periodEndMs);
            if (builder.count >= BATCH_LINES) ready.push(builder.take());
          }
          break;
        }
        case 'fx':
          builder.rate(outcome.rate);
          ready.push(builder.take());
          break;
        case 'skip':
          skippedRows++;
          note(skipped, outcome.reason);
          break;
        case 'reject': {
          rejectedRows++;
          if (rejections.length < MAX_STORED_REJECTIONS) {
            const where = ref ?? `line ${line}`;
            rejections.push({ row, column: ownText(outcome.column), reason: ownText(`${where}: ${outcome.column} ${outcome.reason}`) });
          }
          break;
        }
      }
    },
    take(all) {
      if (all && builder.count > 0) ready.push(builder.take());
      return ready.splice(0, ready.length);
    },
    tally() {
      return {
        read,
        skipped: skippedRows,
        rejected: rejectedRows,
        skippedReasons: [...skipped],
        warnings: [...warnings],
        rejections,
        scopes,
        providers: [...providers],
        volumeProviders: [...volumeProviders],
      };
    },
  };
}

/**
 * What the two threads reading the parts of one file counted, as one thread reading it all would have: counts
 * and reasons added, the first part's rejections before the later part's, a scope met in both parts counted once
 * (a coverage scope spanning both parts' periods).
 */
export function mergeTallies(first: ProducerTally, later: ProducerTally): ProducerTally {
  const add = (a: [string, number][], b: [string, number][]): [string, number][] => {
    const sums = new Map(a);
    for (const [text, n] of b) sums.set(text, (sums.get(text) ?? 0) + n);
    return [...sums];
  };
  const scopes = first.scopes.map((s) => ({ ...s }));
  const byKey = new Map(scopes.map((s) => [`${s.scope}\u0000${s.coverage ? 'coverage' : s.periodStartMs}`, s]));
  for (const s of later.scopes) {
    const same = byKey.get(`${s.scope}\u0000${s.coverage ? 'coverage' : s.periodStartMs}`);
    if (!same) scopes.push({ ...s });
    else {
      same.lines += s.lines;
      same.periodStartMs = Math.min(same.periodStartMs, s.periodStartMs);
      same.periodEndMs = Math.max(same.periodEndMs, s.periodEndMs);
    }
  }
  return {
    read: first.read + later.read,
    skipped: first.skipped + later.skipped,
    rejected: first.rejected + later.rejected,
    skippedReasons: add(first.skippedReasons, later.skippedReasons),
    warnings: add(first.warnings, later.warnings),
    rejections: [...first.rejections, ...later.rejections].slice(0, MAX_STORED_REJECTIONS),
    scopes,
    providers: [...new Set([...first.providers, ...later.providers])],
    volumeProviders: [...new Set([...first.volumeProviders, ...later.volumeProviders])],
  };
}

/**
 * Which natural keys a file has already given, probably: a Bloom filter of fixed size (at most 8 MB whatever the
 * file's size) fed with the keys themselves — they are SHA-1 bytes, so their 32-bit words are independent hashes.
 * A key sets three bits of one 32-bit word: the word from the low 21 bits of bytes 2–5, the bits from three
 * 5-bit pieces of bytes 6–9. One word a key means one memory access and, when two threads share the filter, one
 * atomic operation (three cost ≈ 0.45 CPU s in a million-line import). Never wrong for a key seen before; wrong
 * for about one key in 3,000 of a million-line file that was not (341 of a million random keys; three bits in one
 * word of a filter 4 % full), which costs only sending that line's key material along.
 */
function createBloomFilter(sizeBytes: number, shared?: SharedArrayBuffer): { seen(keys: Uint8Array, offset: number): boolean } {
  const size = filterWords(sizeBytes);
  const words = shared ? new Uint32Array(shared) : new Uint32Array(size);
  if (words.length !== size) throw new Error('the shared key filter has the wrong size');
  const wordMask = size - 1;
  const word = (keys: Uint8Array, p: number): number => (keys[p]! << 24) | (keys[p + 1]! << 16) | (keys[p + 2]! << 8) | keys[p + 3]!;
  return {
    seen(keys, o) {
      // Only the hash bytes of a key (2–15; bytes 0–1 are its day).
      const w = word(keys, o + KEY_HASH_OFFSET) & wordMask;
      const bits = word(keys, o + KEY_HASH_OFFSET + 4);
      const mask = (1 << (bits & 31)) | (1 << ((bits >>> 5) & 31)) | (1 << ((bits >>> 10) & 31));
      const before = words[w]!;
      if ((before & mask) === mask) return true;
      if (!shared) {
        words[w] = before | mask;
        return false;
      }
      // Two threads set bits at once: an atomic or tells which one set them first.
      return (Atomics.or(words, w, mask) & mask) === mask;
    },
  };
}

/** Words of the key filter: a bit for every four bytes of the file, a power of two from 8 KB to 8 MB. */
function filterWords(sizeBytes: number): number {
  let words = 1 << 11;
  while (words * 32 < sizeBytes / 4 && words < 1 << 21) words *= 2;
  return words;
}

/** The key filter two threads reading the parts of one file share (see `createRowProducer`). */
export function sharedKeyFilter(sizeBytes: number): SharedArrayBuffer {
  return new SharedArrayBuffer(filterWords(sizeBytes) * 4);
}

/** The stored copy of a row with its personal-data columns replaced by hashes. */
export function redactFields(fields: readonly string[], columns: readonly number[]): string[] {
  const copy = fields.slice();
  for (const c of columns) {
    const v = copy[c];
    if (v) copy[c] = `pd:${createHash('sha256').update(v.trim().toLowerCase()).digest('hex').slice(0, 12)}`;
  }
  return copy;
}
