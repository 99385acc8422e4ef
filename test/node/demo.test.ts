import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { IsoMonth } from '../../src-main/common/time/iso-date.ts';
import { DEMO_MONTHS } from '../../src-main/node/demo/demo-organisation.ts';
import { demoProjectRef, generateDemoUsage, writeDemoFiles } from '../../src-main/node/demo/write-demo-files.ts';
import { runJob } from '../../src-main/node/jobs/run-job.ts';
import { openWorkbook } from '../../src-main/node/workbook/open-workbook.ts';
import { readSettings } from '../../src-main/node/workbook/settings-repo.ts';
import { missingRates, sumUsageBy } from '../../src-main/node/workbook/usage-lines-repo.ts';
import { testClock } from '../support/clock.ts';
import { useTempDir } from '../support/temp.ts';

const tempDir = useTempDir();
const endMonth = '2026-10' as IsoMonth;
const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('the demo organisation', () => {
  it('writes the same files for the same seed, and different ones for another seed', () => {
    const a = writeDemoFiles(tempDir(), { seed: 7, endMonth });
    const b = writeDemoFiles(tempDir(), { seed: 7, endMonth });
    const c = writeDemoFiles(tempDir(), { seed: 8, endMonth });
    expect(a.files.map((f) => digest(f.path))).toEqual(b.files.map((f) => digest(f.path)));
    expect(a.files.map((f) => digest(f.path))).not.toEqual(c.files.map((f) => digest(f.path)));
    expect(a.firstMonth).toBe('2024-05');
  });

  it('imports through the real importers into a realistic workbook', async () => {
    const db = openWorkbook(`${tempDir()}/demo.sqlite`, { clock: testClock });
    const result = await runJob(db, { kind: 'demo', seed: 7, endMonth }, {
      clock: testClock,
      actor: 'tester',
      signal: new AbortController().signal,
      onProgress: () => {},
    });
    expect(result.reports.map((r) => r.status)).toEqual(Array(8).fill('imported'));
    // Every provider in its own export format, recognised from the content with full confidence.
    expect(result.reports.map((r) => r.format)).toEqual([
      'fx-rates', 'openai-usage', 'openai-costs', 'anthropic-usage', 'anthropic-cost', 'azure-cost-details', 'deepseek-amount+deepseek-cost', 'alibaba-bill',
    ]);
    expect(result.reports.slice(1).every((r) => r.confidence === 1)).toBe(true);
    expect(result.reports.every((r) => r.counts.rejected === 0 && r.warnings.length === 0)).toBe(true);

    const providers = sumUsageBy(db, ['provider'], {}).map((r) => r.keys[0]);
    const models = new Set(sumUsageBy(db, ['model'], {}).filter((r) => r.tokens > 0).map((r) => r.keys[0]));
    const centres = new Set(sumUsageBy(db, ['cost-centre'], {}).map((r) => r.keys[0]));
    const months = new Set(sumUsageBy(db, ['month'], {}).map((r) => r.keys[0]));
    const currencies = new Set(sumUsageBy(db, [], {}).map((r) => r.currency));
    expect(new Set(providers).size).toBeGreaterThanOrEqual(3);
    expect(models.size).toBeGreaterThanOrEqual(10);
    expect(centres.size).toBeGreaterThanOrEqual(5);
    expect(months.size).toBe(DEMO_MONTHS);
    expect(currencies).toEqual(new Set(['CNY', 'USD']));
    // Every CNY line got a base-currency amount from the imported rates.
    expect(missingRates(db, {})).toEqual([]);
    expect(readSettings(db)).toEqual({ organisationName: 'Northwind Robotics (demo)', baseCurrency: 'USD' });

    // Growth: the last month spends more than twice the first.
    const byMonth = sumUsageBy(db, ['month'], {});
    const spend = (m: string) => byMonth.filter((r) => r.keys[0] === m).reduce((s, r) => s + r.costBaseMicros!, 0);
    expect(spend('2026-10')).toBeGreaterThan(2 * spend('2024-05'));

    // The o3 price cut in month 13 (2025-06): the effective price per 1M o3 input tokens falls by 80 %.
    const o3 = db
      .prepare(
        `SELECT usage_month AS month, SUM(cost_micros) * 1000000 / SUM(tokens) AS price FROM usage_lines
         WHERE model = 'o3' AND token_kind = 'input' AND usage_month IN ('2025-05', '2025-06') GROUP BY usage_month ORDER BY month`,
      )
      .all() as { month: string; price: number }[];
    expect(o3.map((r) => r.price)).toEqual([10_000_000, 2_000_000]);

    // The launch: the Aria assistant starts in month 18 (2025-11) and ramps up.
    const aria = db
      .prepare('SELECT usage_month AS month, SUM(tokens) AS tokens FROM usage_lines WHERE project = ? GROUP BY usage_month ORDER BY month')
      .all(demoProjectRef('anthropic', 'aria-assistant')) as { month: string; tokens: number }[];
    expect(aria[0]!.month).toBe('2025-11');
    expect(aria[3]!.tokens).toBeGreaterThan(2.5 * aria[0]!.tokens);
    db.close();
  });

  it('counts every token and every amount once, though usage and cost exports of a provider both report them', async () => {
    const db = openWorkbook(`${tempDir()}/demo.sqlite`, { clock: testClock });
    await runJob(db, { kind: 'demo', seed: 7, endMonth }, { clock: testClock, actor: 'tester', signal: new AbortController().signal, onProgress: () => {} });
    const { usageByProvider } = generateDemoUsage({ seed: 7, endMonth });
    const stored = db
      .prepare('SELECT provider, SUM(tokens) AS tokens, SUM(cost_micros) AS cost, COUNT(*) AS lines FROM usage_lines WHERE charge_kind = \'usage\' GROUP BY provider')
      .all() as { provider: string; tokens: number; cost: number; lines: number }[];
    expect(stored.map((r) => r.provider)).toEqual(['alibaba', 'anthropic', 'azure', 'deepseek', 'openai']);
    for (const row of stored) {
      const usage = usageByProvider.get(row.provider)!;
      expect(row.tokens, row.provider).toBe(usage.reduce((n, u) => n + u.tokens, 0));
      // The exact cost, in 10⁻¹² currency units; each stored line was rounded once to micros (at most ½ micro off).
      const exactPico = usage.reduce((n, u) => n + BigInt(u.tokens) * BigInt(u.pricePerMTokMicros), 0n);
      const differencePico = BigInt(row.cost) * 1_000_000n - exactPico;
      expect(differencePico < 0n ? -differencePico : differencePico, row.provider).toBeLessThanOrEqual(BigInt(row.lines) * 500_000n);
    }
    // OpenAI (Usage API and Costs API) and DeepSeek (amount and cost CSVs, the money split over the directions)
    // report the same tokens twice: the usage lines keep their figure aside. Anthropic's cost report has no tokens.
    const measures = db
      .prepare('SELECT provider, measure, SUM(tokens) AS tokens, SUM(tokens_source) AS reported FROM usage_lines GROUP BY provider, measure ORDER BY provider, measure')
      .all() as { provider: string; measure: string; tokens: number; reported: number | null }[];
    for (const provider of ['openai', 'deepseek']) {
      const [cost, volume] = measures.filter((m) => m.provider === provider);
      expect(volume, provider).toEqual({ provider, measure: 'volume', tokens: 0, reported: cost!.tokens });
    }
    const anthropic = measures.filter((m) => m.provider === 'anthropic');
    expect(anthropic.map((m) => [m.measure, m.tokens > 0, m.reported])).toEqual([['cost', false, null], ['volume', true, null]]);
    db.close();
  });
});
