import type { ResponseOf } from '../../src-main/common/api/contract.ts';
import { formatInteger, formatMoney, formatTokens } from '../format.ts';

type ImportReport = NonNullable<ResponseOf<'jobs:get'>['result']>['reports'][number];

const STATUS_LABELS: Record<ImportReport['status'], string> = {
  imported: 'Imported',
  'already-imported': 'Already imported',
  rejected: 'Rejected',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** What happened to one file: counts, amounts, why rows were skipped or rejected (file, row, column, reason). */
export function ImportReportView({ report, onImportSkippingRejected }: { report: ImportReport; onImportSkippingRejected?: () => void }) {
  const c = report.counts;
  return (
    <article className={`import-report status-${report.status}`} data-testid="import-report" aria-label={`Import report for ${report.fileName}`}>
      <header>
        <span className={`pill pill-${report.status}`}>{STATUS_LABELS[report.status]}</span>
        <h3>{report.fileName}</h3>
        {report.format !== 'unknown' && (
          <span className="muted" data-testid="report-format">
            {report.formatLabel || (report.format === 'focus' ? `FOCUS ${report.formatVersion}` : report.format)}
            {report.formatVersion && report.formatVersion !== '1' && report.formatLabel ? ` · ${report.formatVersion}` : ''}
            {report.confidence !== undefined ? ` · ${Math.round(report.confidence * 100)} % confident` : ''}
          </span>
        )}
      </header>
      <p>{report.message}</p>
      {report.numberStyle ? <p className="muted small">Numbers and dates read as: {report.numberStyle}.</p> : null}
      {(report.replacedBatches?.length ?? 0) > 0 && (
        <p className="replaced" data-testid="report-replaced">
          This export replaces {report.replacedBatches!.map((b) => `import #${b.batchId} (${b.fileName})`).join(', ')}, an earlier export of the same
          scope and period. Undo this import to bring {report.replacedBatches!.length === 1 ? 'it' : 'them'} back.
        </p>
      )}
      <dl className="counts">
        <div><dt>Rows read</dt><dd>{formatInteger(c.read)}</dd></div>
        <div><dt>Imported</dt><dd data-testid="count-imported">{formatInteger(c.imported)}</dd></div>
        <div><dt>Already in workbook</dt><dd>{formatInteger(c.duplicate)}</dd></div>
        {(report.restated ?? 0) > 0 && <div><dt>Restating earlier lines</dt><dd data-testid="count-restated">{formatInteger(report.restated!)}</dd></div>}
        <div><dt>Skipped (not AI)</dt><dd>{formatInteger(c.skipped)}</dd></div>
        <div><dt>Rejected</dt><dd>{formatInteger(c.rejected)}</dd></div>
        {report.tokens !== 0 && <div><dt>Tokens</dt><dd>{formatTokens(report.tokens)}</dd></div>}
        {report.costByCurrency.map((x) => (
          <div key={x.currency}><dt>Cost ({x.currency})</dt><dd>{formatMoney(x.costMicros, x.currency)}</dd></div>
        ))}
      </dl>
      {report.warnings.length > 0 && (
        <ul className="warnings">
          {report.warnings.map((w) => <li key={w}>{w}</li>)}
        </ul>
      )}
      {report.skippedReasons.length > 0 && (
        <details>
          <summary>Why rows were skipped</summary>
          <ul>
            {report.skippedReasons.map((s) => <li key={s.reason}>{formatInteger(s.rows)} rows: {s.reason}</li>)}
          </ul>
        </details>
      )}
      {report.rejections.length > 0 && (
        <details open={report.status === 'rejected'}>
          <summary>Rejected rows ({formatInteger(c.rejected)})</summary>
          <table className="table compact">
            <thead><tr><th scope="col">Row</th><th scope="col">Column</th><th scope="col">Reason</th></tr></thead>
            <tbody>
              {report.rejections.map((r) => (
                <tr key={`${r.row}-${r.column}`}><td>{r.row}</td><td><code>{r.column}</code></td><td>{r.reason}</td></tr>
              ))}
            </tbody>
          </table>
          {c.rejected > report.rejections.length && <p className="muted">The first {report.rejections.length} are listed.</p>}
        </details>
      )}
      {report.status === 'rejected' && onImportSkippingRejected && (
        <button type="button" className="button" onClick={onImportSkippingRejected}>
          Import the good rows, leaving out the {formatInteger(c.rejected)} rejected
        </button>
      )}
    </article>
  );
}
