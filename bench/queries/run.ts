// Times the read queries behind the Dashboard, Reports and Forecast pages on a workbook file, e.g. the one the
// import benchmark leaves (a million lines): node bench/queries/run.ts /tmp/tokenhedge-bench-import/bench.sqlite
// The file is opened read-only and not migrated, so a copy of an older workbook can be timed against a newer one.
// Each query runs twice; both times are printed (the second with SQLite's and the OS's caches warm).
import Database from 'better-sqlite3';
import type { IsoDate, IsoMonth } from '../../src-main/common/time/iso-date.ts';
import { historyRange, segmentHistories, segmentValues } from '../../src-main/node/workbook/forecast-history-repo.ts';
import { monthlyTokenCost, monthlyTotals, sumUsageBy } from '../../src-main/node/workbook/usage-lines-repo.ts';

const path = process.argv[2];
if (!path) throw new Error('usage: node bench/queries/run.ts WORKBOOK.sqlite');
const db = new Database(path, { readonly: true });
const year = { fromMonth: '2025-01' as IsoMonth, toMonth: '2025-12' as IsoMonth };
console.log(`schema ${db.pragma('user_version', { simple: true })}, ${db.prepare('SELECT count(*) FROM usage_lines').pluck().get()} lines`);
const time = (name: string, query: () => unknown): void => {
  const t0 = performance.now();
  query();
  const t1 = performance.now();
  query();
  const t2 = performance.now();
  console.log(`${name.padEnd(30)} ${((t1 - t0) / 1000).toFixed(2)} s  ${((t2 - t1) / 1000).toFixed(2)} s`);
};
time('historyRange', () => historyRange(db, '2026-11-24' as IsoDate));
time('segmentHistories (model)', () => segmentHistories(db, 'model', { from: '2025-01' as IsoMonth, to: '2025-11' as IsoMonth }));
time('segmentValues', () => segmentValues(db));
time('sumUsageBy (month, provider)', () => sumUsageBy(db, ['month', 'provider'], year));
time('monthlyTotals (provider)', () => monthlyTotals(db, 'provider', year));
time('monthlyTokenCost', () => monthlyTokenCost(db, year));
db.close();
