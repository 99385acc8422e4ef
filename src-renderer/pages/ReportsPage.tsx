import { useEffect, useState } from 'react';
import type { ResponseOf } from '../../src-main/common/api/contract.ts';
import { USAGE_DIMENSIONS, type UsageDimension } from '../../src-main/common/api/schemas.ts';
import { DIMENSION_COLUMN, usageReportCsv } from '../../src-main/common/usage/format-usage-report.ts';
import { providerDisplayName } from '../../src-main/common/usage/providers.ts';
import { call } from '../api/client.ts';
import type { AppInfo } from '../app/App.tsx';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { formatMoney, formatInteger, TOKEN_KIND_LABELS } from '../format.ts';

type Report = ResponseOf<'usage:report'>;

const DIMENSION_LABELS: Record<UsageDimension, string> = {
  month: 'Month',
  provider: 'Provider',
  model: 'Model',
  'token-kind': 'Token kind',
  'cost-centre': 'Cost centre',
};

/** The usage report: tokens and cost grouped by the dimensions chosen, as a table and as CSV. */
export function ReportsPage({ info, dataVersion }: { info: AppInfo; dataVersion: number }) {
  const [by, setBy] = useState<UsageDimension[]>(['month', 'provider']);
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    call('usage:report', { by }).then(setReport).catch(setError);
  }, [by, dataVersion]);

  const toggle = (d: UsageDimension) =>
    setBy((list) => (list.includes(d) ? list.filter((x) => x !== d) : USAGE_DIMENSIONS.filter((x) => x === d || list.includes(x))));

  const download = () => {
    if (!report) return;
    const url = URL.createObjectURL(new Blob([usageReportCsv(report)], { type: 'text/csv' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `tokenhedge-usage-${by.join('-') || 'total'}.csv`;
    a.click();
    URL.revokeObjectURL(url);
  };

  const label = (d: UsageDimension, value: string) =>
    d === 'provider' ? providerDisplayName(value) : d === 'token-kind' ? (TOKEN_KIND_LABELS[value] ?? value) : value;

  return (
    <div>
      <section className="card">
        <fieldset className="dimensions">
          <legend>Group by</legend>
          {USAGE_DIMENSIONS.map((d) => (
            <label key={d} className="checkbox">
              <input type="checkbox" checked={by.includes(d)} onChange={() => toggle(d)} /> {DIMENSION_LABELS[d]}
            </label>
          ))}
        </fieldset>
        <button type="button" className="button" onClick={download} disabled={!report}>Download CSV</button>
        <p className="muted small">
          The CSV has one column per dimension ({by.map((d) => DIMENSION_COLUMN[d]).join(', ') || 'none'}), then tokens,
          currency, cost (exact, in the billed currency) and cost_base (in {info.baseCurrency}).
        </p>
      </section>
      <ErrorBanner error={error} />
      {report && (
        <section className="card">
          {report.missingRates.length > 0 && (
            <div className="banner banner-warning" role="status">
              No FX rate for {report.missingRates.map((m) => `${m.currency} (${m.lines} lines, ${m.fromDate} – ${m.toDate})`).join(', ')}.
            </div>
          )}
          <table className="table" data-testid="usage-report">
            <thead>
              <tr>
                {by.map((d) => <th scope="col" key={d}>{DIMENSION_LABELS[d]}</th>)}
                <th scope="col" className="num">Tokens</th>
                <th scope="col">Currency</th>
                <th scope="col" className="num">Cost</th>
                <th scope="col" className="num">Cost ({report.baseCurrency})</th>
              </tr>
            </thead>
            <tbody>
              {report.rows.map((row, i) => (
                <tr key={i}>
                  {row.keys.map((k, j) => <td key={j}>{label(by[j]!, k)}</td>)}
                  <td className="num">{formatInteger(row.tokens)}</td>
                  <td>{row.currency}</td>
                  <td className="num">{formatMoney(row.costMicros, row.currency)}</td>
                  <td className="num">{row.costBaseMicros === null ? 'no FX rate' : formatMoney(row.costBaseMicros, report.baseCurrency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
