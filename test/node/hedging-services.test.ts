import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RequestOf } from '../../src-main/common/api/contract.ts';
import { INSTRUMENT_TEMPLATES, type InstrumentDraft } from '../../src-main/common/hedging/instrument.ts';
import { DEFAULT_POLICY } from '../../src-main/common/hedging/policy.ts';
import { openAppContext, type AppContext } from '../../src-main/node/app-context.ts';
import { DEMO_GPU_CODE, DEMO_POLICY_NAME, DEMO_TOKEN_CODE } from '../../src-main/node/demo/demo-market-data.ts';
import { listAudit } from '../../src-main/node/workbook/audit-log-repo.ts';
import { testClock } from '../support/clock.ts';
import { failure, ok } from '../support/api-result.ts';
import { useTempDir } from '../support/temp.ts';

const tempDir = useTempDir();

function context(): AppContext {
  return openAppContext({ workbookPath: join(tempDir(), 'workbook.sqlite'), mode: 'direct', version: '0.0.0-test', clock: testClock, jobs: { mode: 'in-process' }, log: () => {} });
}


const gpu = INSTRUMENT_TEMPLATES.find((t) => t.underlyingKind === 'gpu-hour')!;
const token = INSTRUMENT_TEMPLATES.find((t) => t.underlyingKind === 'token')!;

async function withInstrument(draft: InstrumentDraft = gpu): Promise<AppContext> {
  const ctx = context();
  await ok(ctx.call('instruments:save', { instrument: draft as RequestOf<'instruments:save'>['instrument'] }));
  return ctx;
}

function csv(name: string, text: string): string {
  const path = join(tempDir(), name);
  writeFileSync(path, text);
  return path;
}

describe('instruments', () => {
  it('offer editable templates, all marked hypothetical', async () => {
    const ctx = context();
    const templates = await ok(ctx.call('instruments:templates', {}));
    expect(templates.map((t) => [t.underlyingKind, t.status])).toEqual([
      ['gpu-hour', 'hypothetical'],
      ['token', 'hypothetical'],
    ]);
    expect(templates.every((t) => t.provenance.startsWith('TEMPLATE — HYPOTHETICAL'))).toBe(true);
    ctx.close();
  });

  it('save version 1, keep it when nothing changed, and add version 2 on an edit', async () => {
    const ctx = await withInstrument();
    const same = await ok(ctx.call('instruments:save', { instrument: { ...gpu } as RequestOf<'instruments:save'>['instrument'] }));
    expect(same).toMatchObject({ created: false, instrument: { version: 1 } });
    const edited = await ok(ctx.call('instruments:save', { instrument: { ...gpu, contractQuantity: 500, tickValueMicros: 5_000_000 } as RequestOf<'instruments:save'>['instrument'] }));
    expect(edited).toMatchObject({ created: true, instrument: { version: 2, contractQuantity: 500 } });
    const versions = await ok(ctx.call('instruments:versions', { code: gpu.code }));
    expect(versions.map((v) => [v.version, v.contractQuantity])).toEqual([
      [2, 500],
      [1, 1000],
    ]);
    const list = await ok(ctx.call('instruments:list', {}));
    expect(list.map((i) => [i.code, i.version])).toEqual([[gpu.code, 2]]);
    // The test clock is 2026-11-24: twelve consecutive months from November.
    expect(list[0]!.listedMonths[0]).toBe('2026-11');
    expect(list[0]!.listedMonths).toHaveLength(12);
    const audit = listAudit(ctx.db).filter((a) => a.entity === 'instrument');
    expect(audit.map((a) => [a.action, a.entityId])).toEqual([
      ['new-version', `${gpu.code} v2`],
      ['create', `${gpu.code} v1`],
    ]);
    ctx.close();
  });

  it('refuse an impossible specification, naming the fields', async () => {
    const ctx = context();
    const error = await failure(
      ctx.call('instruments:save', {
        instrument: { ...gpu, provenance: ' ', margin: { kind: 'fraction-of-notional', initialFraction: 0.05, maintenanceFraction: 0.08 } } as RequestOf<'instruments:save'>['instrument'],
      }),
    );
    expect(error.code).toBe('invalid-input');
    expect(error.issues!.map((i) => i.path)).toEqual(['margin.maintenanceFraction', 'provenance']);
    const negative = await failure(ctx.call('instruments:save', { instrument: { ...gpu, contractQuantity: -1 } as RequestOf<'instruments:save'>['instrument'] }));
    expect(negative.issues![0]!.path).toBe('instrument.contractQuantity');
    ctx.close();
  });
});

describe('market data', () => {
  it('stores grid entries, revises a changed price, deletes an emptied cell and draws the curve of a date', async () => {
    const ctx = await withInstrument();
    const code = gpu.code;
    const first = await ok(
      ctx.call('market:save-prices', {
        code,
        prices: [
          { contractMonth: '2026-12', priceDate: '2026-11-23', priceMicros: 2_610_000 },
          { contractMonth: '2027-01', priceDate: '2026-11-23', priceMicros: 2_640_000 },
          { contractMonth: '2026-12', priceDate: '2026-11-24', priceMicros: 2_600_000 },
        ],
      }),
    );
    expect(first).toEqual({ inserted: 3, replaced: 0, unchanged: 0, deleted: 0 });
    const second = await ok(
      ctx.call('market:save-prices', {
        code,
        prices: [
          { contractMonth: '2026-12', priceDate: '2026-11-23', priceMicros: 2_620_000 },
          { contractMonth: '2027-01', priceDate: '2026-11-23', priceMicros: 2_640_000 },
          { contractMonth: '2026-12', priceDate: '2026-11-24', priceMicros: null },
        ],
      }),
    );
    expect(second).toEqual({ inserted: 0, replaced: 1, unchanged: 1, deleted: 1 });
    const curve = await ok(ctx.call('market:curve', { code }));
    expect(curve.priceDate).toBe('2026-11-23');
    expect(curve.points.map((p) => [p.contractMonth, p.priceMicros, p.revision])).toEqual([
      ['2026-12', 2_620_000, 2],
      ['2027-01', 2_640_000, 1],
    ]);
    const entry = listAudit(ctx.db).find((a) => a.entity === 'settlement_prices')!;
    expect(entry.before).toEqual({ replaced: [{ key: '2026-11-23 2026-12', before: 2_610_000, after: 2_620_000 }], deleted: [{ key: '2026-11-24 2026-12', before: 2_600_000 }] });
    const bad = await failure(ctx.call('market:save-prices', { code, prices: [{ contractMonth: '2026-12', priceDate: '2026-11-23', priceMicros: 0 }] }));
    expect(bad.message).toMatch(/prices\[0\]: the price must be greater than 0/);
    ctx.close();
  });

  it('imports settlement prices and index fixings from CSV, naming the instrument’s index and currency', async () => {
    const ctx = await withInstrument();
    const prices = csv('settlements.csv', 'date,contract_month,settlement\n2026-11-20,2026-12,2.615\n2026-11-20,Jan 2027,$2.64\n2026-11-20,2027-02,2.66\n');
    const report = await ok(ctx.call('market:import', { fileId: ctx.files.register(prices).fileId, code: gpu.code }));
    expect(report).toMatchObject({ status: 'imported', kind: 'settlement-prices', counts: { read: 3, inserted: 3, rejected: 0 } });
    const curve = await ok(ctx.call('market:curve', { code: gpu.code, asOf: '2026-11-21' }));
    expect(curve.points.map((p) => [p.contractMonth, p.priceMicros, p.source])).toEqual([
      ['2026-12', 2_615_000, 'settlements.csv row 1'],
      ['2027-01', 2_640_000, 'settlements.csv row 2'],
      ['2027-02', 2_660_000, 'settlements.csv row 3'],
    ]);

    const fixings = csv('fixings.csv', 'Date;Value\n20/11/2026;2.58\n2026-11-23;2.59\n');
    const rejected = await ok(ctx.call('market:import', { fileId: ctx.files.register(fixings).fileId, code: gpu.code }));
    expect(rejected.status).toBe('rejected');
    expect(rejected.rejections).toEqual([{ row: 1, column: 'date', reason: 'row 1: date "20/11/2026" is not a date' }]);
    expect((await ok(ctx.call('market:fixings', { indexCode: gpu.index.code }))).fixings).toEqual([]);

    const good = csv('fixings-ok.csv', 'Date;Value\n2026-11-20;2.58\n2026-11-23;2.59\n');
    const imported = await ok(ctx.call('market:import', { fileId: ctx.files.register(good).fileId, code: gpu.code }));
    expect(imported).toMatchObject({ status: 'imported', kind: 'index-fixings', counts: { inserted: 2 } });
    const stored = await ok(ctx.call('market:fixings', { indexCode: gpu.index.code }));
    expect(stored.fixings.map((f) => [f.date, f.valueMicros, f.currency])).toEqual([
      ['2026-11-20', 2_580_000, 'USD'],
      ['2026-11-23', 2_590_000, 'USD'],
    ]);
    ctx.close();
  });

  it('rejects a whole file for one bad row, and says what a file without market-data columns is', async () => {
    const ctx = await withInstrument();
    const bad = csv('bad.csv', 'date,contract_month,settlement,instrument\n2026-11-20,2026-12,2.6,\n2026-11-20,2026-13,2.6,\n2026-11-20,2027-01,-1,\n2026-11-20,2027-02,2.7,NOPE\n');
    const report = await ok(ctx.call('market:import', { fileId: ctx.files.register(bad).fileId, code: gpu.code }));
    expect(report.status).toBe('rejected');
    expect(report.rejections.map((r) => r.reason)).toEqual([
      'row 2: contract_month "2026-13" is not a contract month such as 2027-03',
      'row 3: settlement "-1" is not a positive price',
      'row 4: instrument "NOPE" is not an instrument in this workbook',
    ]);
    expect((await ok(ctx.call('market:prices', { code: gpu.code }))).prices).toEqual([]);
    const other = csv('other.csv', 'name,amount\nx,1\n');
    const unknown = await ok(ctx.call('market:import', { fileId: ctx.files.register(other).fileId, code: gpu.code }));
    expect(unknown.status).toBe('failed');
    expect(unknown.message).toMatch(/^other.csv: not recognised as market data/);
    ctx.close();
  });

  it('keep a revision count and the old value in the audit log when a file revises a price', async () => {
    const ctx = await withInstrument();
    const a = csv('a.csv', 'date,contract_month,settlement\n2026-11-20,2026-12,2.6\n');
    const b = csv('b.csv', 'date,contract_month,settlement\n2026-11-20,2026-12,2.65\n');
    await ok(ctx.call('market:import', { fileId: ctx.files.register(a).fileId, code: gpu.code }));
    const revised = await ok(ctx.call('market:import', { fileId: ctx.files.register(b).fileId, code: gpu.code }));
    expect(revised.counts).toMatchObject({ inserted: 0, replaced: 1 });
    const prices = await ok(ctx.call('market:prices', { code: gpu.code }));
    expect(prices.prices[0]).toMatchObject({ priceMicros: 2_650_000, revision: 2, source: 'b.csv row 1' });
    const audit = listAudit(ctx.db).find((x) => x.entity === 'settlement_prices' && x.action === 'import')!;
    expect(audit.before).toEqual({ replaced: [{ key: `${gpu.code} 2026-11-20 2026-12`, before: 2_600_000, after: 2_650_000 }] });
    ctx.close();
  });
});

describe('hedge policies', () => {
  it('save versions and refuse impossible policies with the field at fault', async () => {
    const ctx = await withInstrument(token);
    const policy = { ...DEFAULT_POLICY, allowedInstruments: [token.code] };
    const saved = await ok(ctx.call('policies:save', { policy }));
    expect(saved).toMatchObject({ created: true, record: { version: 1, policy: { name: DEFAULT_POLICY.name } } });
    const again = await ok(ctx.call('policies:save', { policy }));
    expect(again.created).toBe(false);
    const changed = await ok(ctx.call('policies:save', { policy: { ...policy, quantile: 'p20' } }));
    expect(changed.record.version).toBe(2);
    expect((await ok(ctx.call('policies:list', {}))).map((r) => [r.policy.name, r.version, r.policy.quantile])).toEqual([[DEFAULT_POLICY.name, 2, 'p20']]);

    const overlap = await failure(
      ctx.call('policies:save', {
        policy: { ...policy, buckets: [{ fromPeriod: 1, toPeriod: 3, ratio: 0.7, minRatio: 0.6, maxRatio: 0.8 }, { fromPeriod: 3, toPeriod: 6, ratio: 0.5, minRatio: 0.4, maxRatio: 0.6 }] },
      }),
    );
    expect(overlap.issues).toEqual([{ path: 'buckets[1].fromPeriod', message: 'overlaps buckets[0] (periods 3–3)' }]);
    const unknown = await failure(ctx.call('policies:save', { policy: { ...policy, allowedInstruments: ['NOPE'] } }));
    expect(unknown.issues).toEqual([{ path: 'allowedInstruments[0]', message: 'no instrument NOPE in this workbook' }]);
    const ratio = await failure(ctx.call('policies:save', { policy: { ...policy, buckets: [{ fromPeriod: 1, toPeriod: 3, ratio: 1.2, minRatio: 0.6, maxRatio: 0.8 }] } }));
    expect(ratio.issues![0]!.path).toBe('policy.buckets.0.ratio');
    ctx.close();
  });
});

describe('the demo workbook’s market data', () => {
  it('holds two hypothetical instruments with fixings, thirteen-month curves, mappings and a policy', async () => {
    const ctx = context();
    const { jobId } = await ok(ctx.call('demo:create', { seed: 3, endMonth: '2026-10' }));
    expect((await ctx.jobs.wait(jobId)).state).toBe('succeeded');

    const instruments = await ok(ctx.call('instruments:list', {}));
    expect(instruments.map((i) => [i.code, i.status, i.priceCurrency])).toEqual([
      [DEMO_GPU_CODE, 'hypothetical', 'USD'],
      [DEMO_TOKEN_CODE, 'hypothetical', 'CNY'],
    ]);
    for (const i of instruments) {
      expect(i.lastPriceDate).toBe('2026-10-30');
      expect(i.fixingCount).toBeGreaterThan(600);
      const curve = await ok(ctx.call('market:curve', { code: i.code }));
      expect(curve.points.map((p) => p.contractMonth)).toEqual(Array.from({ length: 13 }, (_, k) => `${k < 3 ? 2026 : 2027}-${String(((9 + k) % 12) + 1).padStart(2, '0')}`));
    }

    // The token index blends the demo's CNY list prices, so DeepSeek's effective price follows it: R² ≥ 0.8.
    const tokenBasis = await ok(ctx.call('market:basis', { code: DEMO_TOKEN_CODE }));
    expect(tokenBasis.points[0]!.month).toBe('2024-08');
    expect(tokenBasis.points.every((p) => p.effectivePriceMicros !== null && p.indexMicros !== null)).toBe(true);
    expect(tokenBasis.hedgeRatio!.effective).toBe(true);
    // The GPU-hour future hedging token spend is a cross-hedge that a regression test would not accept.
    const gpuBasis = await ok(ctx.call('market:basis', { code: DEMO_GPU_CODE }));
    expect(gpuBasis.hedgeRatio!.effective).toBe(false);
    expect(gpuBasis.missingFx).toEqual([]);

    const policies = await ok(ctx.call('policies:list', {}));
    expect(policies.map((p) => p.policy.name)).toEqual([DEMO_POLICY_NAME]);
    ctx.close();
  });
});
