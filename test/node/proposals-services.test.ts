import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestOf } from '../../src-main/common/api/contract.ts';
import { fixedClock } from '../../src-main/common/time/clock.ts';
import { openAppContext, type AppContext } from '../../src-main/node/app-context.ts';
import { DEMO_GPU_CODE, DEMO_POLICY_NAME, DEMO_TOKEN_CODE } from '../../src-main/node/demo/demo-market-data.ts';
import { listAudit } from '../../src-main/node/workbook/audit-log-repo.ts';
import { testClock } from '../support/clock.ts';
import { failure, ok } from '../support/api-result.ts';
import { useTempDir } from '../support/temp.ts';

const tempDir = useTempDir();

/**
 * The demo workbook (seed 3, usage to 2026-10; the test clock is 2026-11-24) with four saved forecast runs,
 * made once and copied for every test: #1 provider deepseek (12 months), #2 provider openai, #3 the total,
 * #4 provider deepseek over 6 months.
 */
let template: { dir: string; path: string; policyId: number };

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokenhedge-proposals-'));
  const path = join(dir, 'demo.sqlite');
  const ctx = openAppContext({ workbookPath: path, mode: 'direct', version: 'test', clock: testClock, jobs: { mode: 'in-process' }, log: () => {} });
  const { jobId } = await ok(ctx.call('demo:create', { seed: 3, endMonth: '2026-10' }));
  expect((await ctx.jobs.wait(jobId)).state).toBe('succeeded');
  for (const [segment, horizon] of [
    [{ dimension: 'provider', value: 'deepseek' }, 12],
    [{ dimension: 'provider', value: 'openai' }, 12],
    [{ dimension: 'total', value: null }, 12],
    [{ dimension: 'provider', value: 'deepseek' }, 6],
  ] as const) {
    await ok(ctx.call('forecast:save', { segment, horizon, backtest: false } as RequestOf<'forecast:save'>));
  }
  const policies = await ok(ctx.call('policies:list', {}));
  template = { dir, path, policyId: policies.find((p) => p.policy.name === DEMO_POLICY_NAME)!.policyId };
  ctx.close();
});

afterAll(() => {
  if (template) rmSync(template.dir, { recursive: true, force: true });
});

function open(clock = testClock): AppContext {
  const path = join(tempDir(), 'workbook.sqlite');
  copyFileSync(template.path, path);
  return openAppContext({ workbookPath: path, mode: 'direct', version: 'test', clock, jobs: { mode: 'in-process' }, log: () => {} });
}


const deepseek = () => ({ forecastRunId: 1, policyId: template.policyId, instrumentCode: DEMO_TOKEN_CODE, simulation: { paths: 4000 } });

describe('a proposal built on the demo workbook', () => {
  it('hedges DeepSeek’s forecast with the token future month by month, every number explained', async () => {
    const ctx = open();
    const p = await ok(ctx.call('proposals:build', deepseek()));
    expect(p.proposalId).toBeNull();
    expect(p.inputs).toMatchObject({
      forecastRun: { runId: 1, segment: { dimension: 'provider', value: 'deepseek' }, firstMonth: '2026-11' },
      policy: { version: 1, policy: { name: DEMO_POLICY_NAME } },
      instrument: { code: DEMO_TOKEN_CODE, version: 1, priceCurrency: 'CNY' },
      mapping: { name: 'DeepSeek (chat and reasoner)', coverage: 'exact' },
      curveDate: '2026-10-30',
      baseCurrency: 'USD',
      fx: { from: 'CNY', to: 'USD', rateDate: '2026-10-30', pair: { base: 'USD', quote: 'CNY' } },
      ratioMethod: 'policy',
      horizon: 12,
    });
    expect(p.lines.map((l) => l.month)).toEqual(['2026-11', '2026-12', '2027-01', '2027-02', '2027-03', '2027-04', '2027-05', '2027-06', '2027-07', '2027-08', '2027-09', '2027-10']);
    // The demo policy: 75 % for months 1–3, 50 % for 4–6, 25 % for 7–12 of the P50, capped at the P10.
    expect(p.lines.map((l) => l.ratio)).toEqual([0.75, 0.75, 0.75, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25]);
    for (const line of p.lines) {
      expect(line.contracts).toBe(Math.floor(Math.min(line.ratio * line.p50, line.hedgeable) / 1000 + 1e-9));
      expect(line.effectiveRatio).toBeLessThanOrEqual(line.ratio);
      for (const text of Object.values(line.explanations)) expect(text.length).toBeGreaterThan(10);
    }
    expect(p.totals.contracts).toBe(p.lines.reduce((s, l) => s + l.contracts, 0));
    expect(p.totals.contracts).toBeLessThanOrEqual(1500);
    expect(p.totals.initialMarginBaseMicros).toBeLessThanOrEqual(2_500_000_000_000);
    // DeepSeek's effective price follows the demo token index: the regression passes.
    expect(p.regression.estimate!.r2).toBeGreaterThanOrEqual(0.8);
    expect(p.warnings.some((w) => w.startsWith('ratioMethod'))).toBe(false);
    expect(p.warnings[0]).toMatch(/^instrumentCode: HYP-TOKEN-CN is HYPOTHETICAL/);
    expect(p.costAtRisk.settings.sigmaSource).toMatch(/^index DEMO-CN-TOKEN: standard deviation of 24 monthly log changes/);
    expect(p.costAtRisk.hedged.costAtRiskMicros).toBeLessThan(p.costAtRisk.unhedged.costAtRiskMicros);
    ctx.close();
  });

  it('saves the proposal immutably with what it used and who prepared it, and audits it', async () => {
    const ctx = open();
    const built = await ok(ctx.call('proposals:build', deepseek()));
    const saved = await ok(ctx.call('proposals:save', { ...deepseek(), label: 'November layers', preparedBy: '  Ada   Lovelace ' }));
    expect(saved).toMatchObject({ proposalId: 1, label: 'November layers', preparedBy: 'Ada Lovelace', approval: null, relationships: [] });
    expect(saved.preparedOsUser).toBeTruthy();
    // Saving builds the same proposal again: the Monte Carlo is seeded.
    expect(saved.lines).toEqual(built.lines);
    expect(saved.costAtRisk).toEqual(built.costAtRisk);
    expect(await ok(ctx.call('proposals:get', { proposalId: 1 }))).toEqual(saved);
    const row = ctx.db.prepare('SELECT forecast_run_id, policy_id, instrument_version, curve_date, prepared_by FROM hedge_proposals').get();
    expect(row).toEqual({ forecast_run_id: 1, policy_id: template.policyId, instrument_version: 1, curve_date: '2026-10-30', prepared_by: 'Ada Lovelace' });
    expect(() => ctx.db.prepare("UPDATE hedge_proposals SET label = 'changed'").run()).toThrow(/immutable/);
    expect(() => ctx.db.prepare('DELETE FROM hedge_proposal_lines').run()).toThrow(/immutable/);
    const list = await ok(ctx.call('proposals:list', {}));
    expect(list).toEqual([expect.objectContaining({ proposalId: 1, status: 'saved', instrumentCode: DEMO_TOKEN_CODE, hypothetical: true, totalContracts: saved.totals.contracts })]);
    expect(listAudit(ctx.db, 5).find((a) => a.action === 'proposal.save')).toMatchObject({ entity: 'hedge_proposal', entityId: '1' });
    ctx.close();
  });

  it('compares a policy-ratio and a minimum-variance proposal of the same inputs', async () => {
    const ctx = open();
    const policy = await ok(ctx.call('proposals:save', { ...deepseek(), preparedBy: 'Ada' }));
    const minimum = await ok(ctx.call('proposals:save', { ...deepseek(), ratioMethod: 'minimum-variance', preparedBy: 'Ada' }));
    // On the demo h* is above 1, so each month takes its band's upper edge: more contracts than the targets.
    expect(minimum.lines.map((l) => l.ratio)).toEqual([0.8, 0.8, 0.8, 0.6, 0.6, 0.6, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4]);
    expect(minimum.totals.contracts).toBeGreaterThan(policy.totals.contracts);
    expect(minimum.costAtRisk.hedged.costAtRiskMicros).toBeLessThan(policy.costAtRisk.hedged.costAtRiskMicros);
    const list = await ok(ctx.call('proposals:list', {}));
    expect(list.map((p) => [p.proposalId, p.ratioMethod])).toEqual([
      [2, 'minimum-variance'],
      [1, 'policy'],
    ]);
    ctx.close();
  });
});

describe('approval', () => {
  it('refuses the preparer as approver, whatever the spacing and case of the name', async () => {
    const ctx = open();
    await ok(ctx.call('proposals:save', { ...deepseek(), preparedBy: 'Ada Lovelace' }));
    const error = await failure(ctx.call('proposals:approve', { proposalId: 1, approverName: ' ada  LOVELACE' }));
    expect(error.code).toBe('invalid-input');
    expect(error.issues).toEqual([{ path: 'approverName', message: '"ada LOVELACE" prepared this proposal: a second person must approve it (four-eyes rule)' }]);
    expect(ctx.db.prepare('SELECT count(*) FROM hedge_relationships').pluck().get()).toBe(0);
    ctx.close();
  });

  it('designates a hedge relationship and a pending long trade for every month with contracts, and audits each', async () => {
    const ctx = open();
    const saved = await ok(ctx.call('proposals:save', { ...deepseek(), preparedBy: 'Ada Lovelace' }));
    const { approval, relationships } = await ok(ctx.call('proposals:approve', { proposalId: 1, approverName: 'Grace Hopper', note: 'Within policy.' }));
    expect(approval).toMatchObject({ proposalId: 1, approvedBy: 'Grace Hopper', preparedBy: 'Ada Lovelace', sameOsUser: true, note: 'Within policy.' });
    const hedged = saved.lines.filter((l) => l.contracts > 0);
    expect(relationships.map((r) => [r.contractMonth, r.contracts, r.hedgeType, r.designationDate, r.status])).toEqual(hedged.map((l) => [l.month, l.contracts, 'cash-flow', '2026-11-24', 'designated']));
    for (const r of relationships) {
      expect(r.hedgeRatio).toBe(1);
      expect(r.hedgedTokens).toBe(r.contracts * 1000 * 1_000_000);
      expect(r.trades).toEqual([expect.objectContaining({ contractMonth: r.contractMonth, quantityContracts: r.contracts, side: 'buy', status: 'pending', fillPriceMicros: null })]);
      expect(r.texts.riskHedged).toContain('Demo China token price index');
      expect(r.texts.effectivenessMethod).toMatch(/At designation: slope h\* [0-9.]+, R² 0\.[89]/);
    }
    const view = await ok(ctx.call('proposals:get', { proposalId: 1 }));
    expect(view.approval!.approvedBy).toBe('Grace Hopper');
    expect(view.relationships).toEqual(relationships);
    expect((await ok(ctx.call('proposals:list', {})))[0]).toMatchObject({ status: 'approved', approvedBy: 'Grace Hopper' });
    expect(await ok(ctx.call('hedges:relationships', {}))).toEqual(relationships);
    const audit = listAudit(ctx.db, 200);
    expect(audit.filter((a) => a.action === 'proposal.approve')).toHaveLength(1);
    expect(audit.filter((a) => a.action === 'designate' && a.entity === 'hedge_relationship')).toHaveLength(relationships.length);
    expect(audit.filter((a) => a.entity === 'hedge_trade')).toHaveLength(relationships.length);
    expect(() => ctx.db.prepare('DELETE FROM hedge_proposal_approvals').run()).toThrow(/immutable/);
    ctx.close();
  });

  it('refuses a second approval of the same proposal and an approval that would hedge the same purchases twice', async () => {
    const ctx = open();
    await ok(ctx.call('proposals:save', { ...deepseek(), preparedBy: 'Ada' }));
    await ok(ctx.call('proposals:save', { ...deepseek(), ratioMethod: 'minimum-variance', preparedBy: 'Ada' }));
    await ok(ctx.call('proposals:approve', { proposalId: 1, approverName: 'Grace' }));
    const again = await failure(ctx.call('proposals:approve', { proposalId: 1, approverName: 'Grace' }));
    expect(again).toMatchObject({ code: 'conflict', message: 'Proposal #1 was already approved by Grace.' });
    const twice = await failure(ctx.call('proposals:approve', { proposalId: 2, approverName: 'Grace' }));
    expect(twice.code).toBe('conflict');
    expect(twice.message).toMatch(/^Proposal #1 \(approved\) already hedges HYP-TOKEN-CN for provider: deepseek in 2026-11, 2026-12, .*would hedge the same purchases twice/);
    ctx.close();
  });

  it('refuses to approve a proposal whose first contract month has stopped trading', async () => {
    const ctx = open();
    await ok(ctx.call('proposals:save', { ...deepseek(), preparedBy: 'Ada' }));
    const path = ctx.workbookPath;
    ctx.close();
    const later = openAppContext({ workbookPath: path, mode: 'direct', version: 'test', clock: fixedClock(Date.UTC(2026, 11, 2)), jobs: { mode: 'in-process' }, log: () => {} });
    const error = await failure(later.call('proposals:approve', { proposalId: 1, approverName: 'Grace' }));
    expect(error).toMatchObject({ code: 'conflict', issues: [{ path: 'proposalId', message: 'contract months 2026-11 no longer trade' }] });
    later.close();
  });
});

describe('bad proposal requests name the field', () => {
  it('refuses a forecast run of another segment than the instrument’s mapping', async () => {
    const ctx = open();
    const total = await failure(ctx.call('proposals:build', { ...deepseek(), forecastRunId: 3 }));
    expect(total.code).toBe('invalid-input');
    expect(total.issues![0]!.path).toBe('forecastRunId');
    expect(total.message).toContain('forecast run #3 forecasts Total, which no exposure mapping of HYP-TOKEN-CN covers exactly');
    const gpu = await failure(ctx.call('proposals:build', { ...deepseek(), instrumentCode: DEMO_GPU_CODE }));
    expect(gpu.issues![0]!.path).toBe('forecastRunId');
    ctx.close();
  });

  it('builds from a picked mapping when the forecast covers part of its usage, and says so', async () => {
    const ctx = open();
    const mapping = (await ok(ctx.call('exposures:list', { code: DEMO_GPU_CODE })))[0]!;
    const p = await ok(ctx.call('proposals:build', { ...deepseek(), forecastRunId: 2, instrumentCode: DEMO_GPU_CODE, mappingId: mapping.mappingId }));
    expect(p.inputs.mapping.coverage).toBe('within');
    expect(p.warnings).toContainEqual(expect.stringMatching(/^forecastRunId: provider: openai is part of the mapped usage/));
    // The GPU-hour future is a cross-hedge of token spend: the regression fails the 0.8 test.
    expect(p.regression.warning).toMatch(/< 0.8/);
    expect(p.inputs.fx).toBeNull();
    const wrong = await failure(ctx.call('proposals:build', { ...deepseek(), mappingId: mapping.mappingId }));
    expect(wrong.issues).toEqual([{ path: 'mappingId', message: `mapping #${mapping.mappingId} ("${mapping.name}") belongs to ${DEMO_GPU_CODE}, not ${DEMO_TOKEN_CODE}` }]);
    ctx.close();
  });

  it('names the horizon beyond the policy, a forecast too short for it, and an unknown run', async () => {
    const ctx = open();
    expect((await failure(ctx.call('proposals:build', { ...deepseek(), horizon: 13 }))).issues![0]!.path).toBe('horizon');
    const short = await failure(ctx.call('proposals:build', { ...deepseek(), forecastRunId: 4 }));
    expect(short.issues).toEqual([{ path: 'forecastRunId', message: 'forecast run #4 covers 6 months (2026-11 … 2027-04), but the proposal needs 12: save a forecast with a longer horizon' }]);
    expect(await ok(ctx.call('proposals:build', { ...deepseek(), forecastRunId: 4, horizon: 6 }))).toMatchObject({ inputs: { horizon: 6 } });
    const unknown = await failure(ctx.call('proposals:build', { ...deepseek(), forecastRunId: 99 }));
    expect(unknown).toMatchObject({ code: 'not-found', issues: [{ path: 'forecastRunId' }] });
    ctx.close();
  });

  it('names the curve date without prices and a contract month missing from it', async () => {
    const ctx = open();
    const none = await failure(ctx.call('proposals:build', { ...deepseek(), curveDate: '2026-11-01' }));
    expect(none.issues).toEqual([{ path: 'curveDate', message: 'HYP-TOKEN-CN has no settlement prices on 2026-11-01 (the latest date before it is 2026-10-30)' }]);
    ctx.db.prepare("DELETE FROM settlement_prices WHERE code = ? AND price_date = '2026-10-30' AND contract_month = '2027-10'").run(DEMO_TOKEN_CODE);
    const gap = await failure(ctx.call('proposals:build', deepseek()));
    expect(gap.issues).toEqual([{ path: 'curveDate', message: 'no settlement price of HYP-TOKEN-CN on 2026-10-30 for contract month 2027-10: enter the prices, or choose another curve date or a shorter horizon' }]);
    ctx.close();
  });

  it('refuses with fx-rate-missing when no CNY rate is near the curve date, and never assumes one', async () => {
    const ctx = open();
    ctx.db.prepare("DELETE FROM fx_rates WHERE rate_date > '2026-10-20'").run();
    const error = await failure(ctx.call('proposals:build', deepseek()));
    expect(error.code).toBe('fx-rate-missing');
    expect(error.issues).toEqual([{ path: 'curveDate', message: 'no CNY/USD rate on or up to 7 days before 2026-10-30' }]);
    ctx.close();
  });

  it('cuts contracts to a policy limit and names the limit', async () => {
    const ctx = open();
    const record = (await ok(ctx.call('policies:list', {})))[0]!;
    const saved = await ok(ctx.call('policies:save', { policy: { ...record.policy, limits: { maxContracts: 500, marginBudgetMicros: 20_000_000_000 } } }));
    const p = await ok(ctx.call('proposals:build', { ...deepseek(), policyId: saved.record.policyId }));
    expect(p.totals.contracts).toBeLessThanOrEqual(500);
    expect(p.totals.initialMarginBaseMicros).toBeLessThanOrEqual(20_000_000_000);
    expect(p.warnings.some((w) => w.startsWith('limits.'))).toBe(true);
    expect(p.lines[p.lines.length - 1]!.contracts).toBe(0);
    ctx.close();
  });

  it('refuses a preparer who did not type a name', async () => {
    const ctx = open();
    const error = await failure(ctx.call('proposals:save', { ...deepseek(), preparedBy: '   ' }));
    expect(error.issues).toEqual([{ path: 'preparedBy', message: 'type your name: the preparer is recorded' }]);
    ctx.close();
  });
});
