import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODE22, ROOT } from '../support/paths.ts';
import { useTempDir } from '../support/temp.ts';

const tempDir = useTempDir();

/** `npm run -s cli -- calc …` with an input file holding `input`. */
function calc(name: string, input: unknown) {
  const file = join(tempDir(), 'input.json');
  writeFileSync(file, typeof input === 'string' ? input : JSON.stringify(input));
  const result = spawnSync(NODE22, ['src-main/node/cli/main.ts', 'calc', name, '--input', file], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the calc command', () => {
  it('prints one JSON object: Hull’s example gives 37 contracts and an effective hedge', () => {
    const out = calc('hedge-ratio', { sigmaSpot: 0.0263, sigmaFutures: 0.0313, rho: 0.928, exposure: 2_000_000, contractSize: 42_000 });
    expect(out.code, out.stderr).toBe(0);
    const json = JSON.parse(out.stdout);
    expect(json).toMatchObject({ contracts: 37, effective: true });
    expect(json.hStar).toBeCloseTo(0.7798, 4);
  });

  it('computes a proposal and a cost-at-risk from their documented inputs', () => {
    const proposal = calc('propose', {
      policy: { buckets: [{ fromPeriod: 1, toPeriod: 1, ratio: 0.75 }], quantile: 'p10', rounding: 'floor' },
      contractSize: 100,
      periods: [{ period: '2027-Q1', p50: 1000, p10: 820, price: 2.6 }],
    });
    expect(proposal.code, proposal.stderr).toBe(0);
    expect(JSON.parse(proposal.stdout)).toMatchObject({ totalContracts: 7, totalNotional: 1820 });
    const car = calc('cost-at-risk', { quantity: 1000, forward: 2.5, sigma: 0.4, years: 1, confidence: 0.95, hedgedFraction: 0.5, paths: 20_000, seed: 1 });
    expect(car.code, car.stderr).toBe(0);
    expect(Object.keys(JSON.parse(car.stdout))).toEqual(expect.arrayContaining(['expectedCost', 'percentileCost', 'costAtRisk', 'hedged', 'analytic']));
  });

  it('exits non-zero with one line naming the field for bad input', () => {
    const cases = [
      calc('hedge-ratio', { spotChanges: [1, 2, 3], futuresChanges: [1, 2], exposure: 10, contractSize: 1 }),
      calc('propose', { policy: { buckets: [{ fromPeriod: 1, toPeriod: 1, ratio: 1.5 }] }, contractSize: 1, periods: [{ period: 'A', p50: 1, p10: 1, price: 1 }] }),
      calc('cost-at-risk', { quantity: -5, forward: 1, sigma: 0.2, years: 1 }),
      calc('cost-at-risk', '{ "quantity": 5, '),
    ];
    for (const result of cases) {
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(cases[0]!.stderr).toMatch(/^tokenhedge: calc hedge-ratio: futuresChanges: has 2 values but spotChanges has 3/);
    expect(cases[1]!.stderr).toMatch(/^tokenhedge: calc propose: policy.buckets\[0\].ratio: must be between 0 and 1/);
    expect(cases[2]!.stderr).toMatch(/^tokenhedge: calc cost-at-risk: quantity: must not be negative/);
    expect(cases[3]!.stderr).toMatch(/input.json: not valid JSON/);
  });

  it('refuses an unknown calculation or a missing input file', () => {
    const unknown = calc('var', {});
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/calc needs a calculation name: hedge-ratio, propose, cost-at-risk/);
    const missing = spawnSync(NODE22, ['src-main/node/cli/main.ts', 'calc', 'propose', '--input', join(tempDir(), 'none.json')], { cwd: ROOT, encoding: 'utf8' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/none.json: no such file/);
  });
});
