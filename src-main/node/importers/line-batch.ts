import type { FxRateRecord } from '../workbook/fx-rates-repo.ts';
import { ownText } from './fields.ts';

/**
 * Usage lines on their way from the reader (which parses and maps rows, possibly in a worker thread) to the
 * writer (which owns the workbook connection): packed column by column into a few typed arrays instead of a
 * million small objects, so a batch crosses threads without copying (its buffers are transferred) and costs the
 * garbage collector nothing.
 * - Text columns are dictionary-coded: each distinct text is sent once per import (bills repeat the same
 *   providers, models, dates, accounts and projects on every line) and lines carry its number.
 * - Numbers are float64 (all are safe integers); NaN stands for NULL.
 * - Natural keys are 16 bytes each.
 */
export const TEXT_COLUMNS = [
  'usage_date', 'provider', 'model', 'model_raw', 'token_kind', 'charge_kind', 'currency', 'cost_centre',
  'provider_account', 'project', 'source_ref', 'measure', 'pricing_tier', 'invoice_id', 'cost_centre_source',
] as const;
export const NUMBER_COLUMNS = ['source_row', 'period_start_ms', 'period_end_ms', 'tokens', 'cost_micros', 'cost_base_micros'] as const;
export const T = Object.fromEntries(TEXT_COLUMNS.map((c, i) => [c, i])) as { [K in (typeof TEXT_COLUMNS)[number]]: number };
export const N = Object.fromEntries(NUMBER_COLUMNS.map((c, i) => [c, i])) as { [K in (typeof NUMBER_COLUMNS)[number]]: number };
const TEXTS = TEXT_COLUMNS.length;
const NUMBERS = NUMBER_COLUMNS.length;
export const KEY_BYTES = 16;
/** Text number for NULL. */
export const NULL_TEXT = -1;
/**
 * A dictionary larger than this is started afresh at the next batch (a column of unique texts would otherwise
 * grow it forever); within a batch it grows by at most the batch's texts.
 */
const MAX_DICTIONARY = 200_000;

/** One batch of lines, as sent from the reader to the writer. */
export type LineBatch = {
  count: number;
  /** Start the dictionary afresh before adding `strings`. */
  resetDictionary: boolean;
  /** Texts new to the dictionary, numbered on from its current size. */
  strings: string[];
  texts: Int32Array;
  numbers: Float64Array;
  keys: Uint8Array;
  /**
   * The key material of lines whose key may already have been seen earlier in the same file (so the writer can
   * derive the key of a second, third… identical line): index in the batch → material.
   */
  materials: Map<number, string>;
  /** FX rates read from the batch's rows (FX rate files), written after its lines. */
  rates: FxRateRecord[];
};

/** The row of one line to pack: text columns in `TEXT_COLUMNS` order, numbers in `NUMBER_COLUMNS` order. */
export type LineBatchBuilder = {
  readonly count: number;
  /** Adds a line; returns its index in the batch. `text(i, value)` and `number(i, value)` fill it. */
  add(): number;
  text(column: number, value: string | null | undefined): void;
  number(column: number, value: number | null | undefined): void;
  /** Where the 16 bytes of the current line's natural key go (`keys`, from `keyOffset`). */
  readonly keys: Uint8Array;
  readonly keyOffset: number;
  material(index: number, material: string): void;
  rate(rate: FxRateRecord): void;
  /** The batch so far (empty afterwards), and the buffers to transfer with it. */
  take(): { batch: LineBatch; transfer: ArrayBuffer[] };
};

export function createLineBatchBuilder(capacity: number): LineBatchBuilder {
  const dictionary = new Map<string, number>();
  let strings: string[] = [];
  let reset = false;
  let texts = new Int32Array(capacity * TEXTS);
  let numbers = new Float64Array(capacity * NUMBERS);
  let keys = new Uint8Array(capacity * KEY_BYTES);
  let materials = new Map<number, string>();
  let rates: FxRateRecord[] = [];
  let count = 0;
  let row = -1;
  // The last text of each column and its number: consecutive lines often repeat a column's text.
  const lastText: (string | null | undefined)[] = new Array<string | null | undefined>(TEXTS).fill(undefined);
  const lastId = new Int32Array(TEXTS).fill(NULL_TEXT);

  return {
    get count() {
      return count;
    },
    add() {
      if (count === 0 && dictionary.size > MAX_DICTIONARY) {
        // Only between batches, so that a batch's texts all refer to one dictionary.
        dictionary.clear();
        lastText.fill(undefined);
        lastId.fill(NULL_TEXT);
        reset = true;
      }
      row = count++;
      return row;
    },
    text(column, value) {
      let id = NULL_TEXT;
      if (value === lastText[column]) id = lastId[column]!;
      else if (value !== null && value !== undefined) {
        const known = dictionary.get(value);
        if (known !== undefined) id = known;
        else {
          // A copy: the text may be a slice of a chunk of the file, which the dictionary must not keep alive.
          const own = ownText(value);
          id = dictionary.size;
          dictionary.set(own, id);
          strings.push(own);
        }
      }
      texts[row * TEXTS + column] = id;
      lastText[column] = value;
      lastId[column] = id;
    },
    number(column, value) {
      numbers[row * NUMBERS + column] = value === null || value === undefined ? NaN : value;
    },
    get keys() {
      return keys;
    },
    get keyOffset() {
      return row * KEY_BYTES;
    },
    material(index, material) {
      materials.set(index, material);
    },
    rate(rate) {
      rates.push(rate);
    },
    take() {
      const batch: LineBatch = {
        count,
        resetDictionary: reset,
        strings,
        texts: texts.subarray(0, count * TEXTS),
        numbers: numbers.subarray(0, count * NUMBERS),
        keys: keys.subarray(0, count * KEY_BYTES),
        materials,
        rates,
      };
      const transfer = [texts.buffer as ArrayBuffer, numbers.buffer as ArrayBuffer, keys.buffer as ArrayBuffer];
      texts = new Int32Array(capacity * TEXTS);
      numbers = new Float64Array(capacity * NUMBERS);
      keys = new Uint8Array(capacity * KEY_BYTES);
      materials = new Map();
      rates = [];
      strings = [];
      reset = false;
      count = 0;
      row = -1;
      return { batch, transfer };
    },
  };
}

/** The writer's side: turns text numbers back into texts. */
export function createLineBatchDictionary(): { apply(batch: LineBatch): readonly (string | null)[] } {
  let texts: (string | null)[] = [];
  return {
    apply(batch) {
      if (batch.resetDictionary) texts = [];
      for (const s of batch.strings) texts.push(s);
      return texts;
    },
  };
}

export const TEXT_COLUMN_COUNT = TEXTS;
export const NUMBER_COLUMN_COUNT = NUMBERS;
