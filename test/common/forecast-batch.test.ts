import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src-main/common/errors.ts';
import {
  BATCH_OUTPUT_HEADER,
  forecastBatchSeries,
  formatBatchRows,
  joinBatchInput,
  parseBatchMeta,
  parseBatchTrain,
} from '../../src-main/common/forecast/batch.ts';

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('batch input', () => {
  it('reads meta rows with their period and horizon, in file order', () => {
    const meta = parseBatchMeta('series_id,frequency,horizon,n\nB,12,18,50\nA,7,14,700\n');
    expect(meta.map((m) => [m.id, m.period, m.horizon, m.line])).toEqual([
      ['B', 12, 18, 2],
      ['A', 7, 14, 3],
    ]);
  });

  it('orders training values by t, whatever the row order', () => {
    const train = parseBatchTrain('series_id,t,value\nA,2,20\nA,1,10\nA,3,30\n');
    expect(train.get('A')!.values).toEqual([10, 20, 30]);
  });

  it('names the file, line and series of a value that is not a number', () => {
    const error = errorOf(() => parseBatchTrain('series_id,t,value\nA,1,10\nA,2,ten\n', 'train.csv'));
    expect(error.code).toBe('invalid-input');
    expect(error.message).toContain('train.csv:line 3 (series A): value "ten" is not a number');
  });

  it('names the line of a missing value and of a gap in t', () => {
    expect(errorOf(() => parseBatchTrain('series_id,t,value\nA,1,10\nA,2,\n')).message).toContain('line 3 (series A): value is missing at t=2');
    expect(errorOf(() => parseBatchTrain('series_id,t,value\nA,1,10\nA,3,30\n')).message).toContain('line 3 (series A): t jumps from 1 to 3');
  });

  it('names a missing column and a bad horizon', () => {
    expect(errorOf(() => parseBatchMeta('series_id,horizon\nA,3\n', 'meta.csv')).message).toContain('missing column "frequency"');
    expect(errorOf(() => parseBatchMeta('series_id,frequency,horizon\nA,12,0\n', 'meta.csv')).message).toContain(
      'meta.csv:line 2 (series A): horizon "0" is not a whole number',
    );
  });

  it('refuses series listed in meta without values, and values of series not in meta', () => {
    const meta = parseBatchMeta('series_id,frequency,horizon\nA,1,2\nB,1,2\n');
    const train = parseBatchTrain('series_id,t,value\nA,1,1\nA,2,2\nC,1,5\n');
    const error = errorOf(() => joinBatchInput(meta, train));
    expect(error.message).toContain('meta.csv:line 3 (series B): no values for series B in train.csv');
    expect(error.issues!.map((i) => i.path)).toContain('train.csv:line 4 (series C)');
  });
});

describe('batch output', () => {
  it('writes one row per step with the mean and the 80 % and 95 % bounds', () => {
    const rows = forecastBatchSeries({ id: 'A', period: 1, horizon: 2, values: [10, 12, 11, 13, 12, 14, 13, 15] }, { method: 'naive' });
    expect(rows.map((r) => [r.seriesId, r.h, r.mean])).toEqual([
      ['A', 1, 15],
      ['A', 2, 15],
    ]);
    for (const r of rows) expect(r.lo95 < r.lo80 && r.lo80 < r.mean && r.mean < r.hi80 && r.hi80 < r.hi95).toBe(true);
    const text = formatBatchRows(rows);
    expect(BATCH_OUTPUT_HEADER).toBe('series_id,h,mean,lo80,hi80,lo95,hi95');
    expect(text.split('\n')[0]).toMatch(/^A,1,15,[\d.]+,[\d.]+,[\d.]+,[\d.]+$/);
  });
});
