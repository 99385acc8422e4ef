import { describe, expect, it } from 'vitest';
import { usageReportCsv, usageReportJson, usageReportTable } from '../../src-main/common/usage/format-usage-report.ts';

const report = {
  baseCurrency: 'USD',
  by: ['month', 'provider'] as ('month' | 'provider')[],
  rows: [
    { keys: ['2026-09', 'deepseek'], tokens: 2_000_000, currency: 'CNY', costMicros: 4_000_000, costBaseMicros: 561_798 },
    { keys: ['2026-09', 'openai'], tokens: 1_500_000, currency: 'USD', costMicros: 3_750_000, costBaseMicros: 3_750_000 },
    { keys: ['2026-10', 'deepseek'], tokens: 1_000, currency: 'CNY', costMicros: 1, costBaseMicros: null },
  ],
  missingRates: [{ currency: 'CNY', fromDate: '2026-10-01', toDate: '2026-10-01', lines: 1 }],
};

describe('usage report formats', () => {
  it('write CSV with one column per dimension, then tokens, currency, exact cost and cost_base', () => {
    expect(usageReportCsv(report)).toBe(
      'month,provider,tokens,currency,cost,cost_base\n' +
        '2026-09,deepseek,2000000,CNY,4.00,0.561798\n' +
        '2026-09,openai,1500000,USD,3.75,3.75\n' +
        '2026-10,deepseek,1000,CNY,0.000001,\n',
    );
  });

  it('name the dimension columns token_kind and cost_centre', () => {
    const csv = usageReportCsv({ ...report, by: ['token-kind', 'cost-centre'], rows: [] } as never);
    expect(csv.split('\n')[0]).toBe('token_kind,cost_centre,tokens,currency,cost,cost_base');
  });

  it('write JSON amounts as exact decimal strings', () => {
    const json = JSON.parse(usageReportJson(report));
    expect(json.rows[1]).toEqual({ month: '2026-09', provider: 'openai', tokens: 1500000, currency: 'USD', cost: '3.75', cost_base: '3.75' });
    expect(json.rows[2].cost_base).toBeNull();
  });

  it('show people a table with totals per currency and the missing FX rate', () => {
    const table = usageReportTable(report);
    expect(table).toContain('TOTAL');
    expect(table).toMatch(/2,001,000\s+CNY\s+4\.00/);
    expect(table).toContain('no FX rate');
    expect(table).toContain('Missing FX rate CNY→USD for 1 lines from 2026-10-01 to 2026-10-01.');
  });
});
