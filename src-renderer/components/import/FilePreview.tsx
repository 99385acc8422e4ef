import { useId } from 'react';
import { formatMicros } from '../../../src-main/common/money/micros.ts';
import { providerDisplayName } from '../../../src-main/common/usage/providers.ts';
import { formatBytes, formatInteger, TOKEN_KIND_LABELS } from '../../format.ts';
import { ErrorBanner } from '../ErrorBanner.tsx';
import { initialMapping, confidenceLevel, notReadyReason, type Choice, type ChosenFile, type PreviewTable } from './chosen-file.ts';
import { ColumnMappingEditor } from './ColumnMappingEditor.tsx';

const MAPPING = '\u2063mapping';
const AUTO = '\u2063auto';

function ConfidencePill({ confidence }: { confidence: number }) {
  const level = confidenceLevel(confidence);
  return (
    <span className={`pill confidence-${level}`} title={`Detection confidence: ${level}`}>
      {Math.round(confidence * 100)} % confident
    </span>
  );
}

/**
 * One chosen file before it is imported: the format TokenHedge recognised (version and confidence), a way to
 * read it as another format or through a column mapping, the first rows as the import would store them, and the
 * rows it would reject (file, row, column, reason). A file no format recognises opens the mapping editor.
 */
export function FilePreview({
  file,
  formats,
  busy,
  onChoice,
  onRemove,
}: {
  file: ChosenFile;
  formats: { id: string; label: string }[];
  busy: boolean;
  onChoice(choice: Choice): void;
  onRemove(): void;
}) {
  const id = useId();
  const preview = file.preview;
  const first = preview?.tables[0];
  const choice = file.choice;
  const selectValue = choice.kind === 'auto' ? AUTO : choice.kind === 'format' ? choice.format : MAPPING;
  const reason = notReadyReason(file);
  const autoLabel = first?.chosen
    ? `As recognised: ${first.chosen.label}`
    : first?.savedMapping
      ? `Your saved mapping "${first.savedMapping}"`
      : 'As recognised (no format recognises it)';
  return (
    <article className="file-preview card" aria-label={`Preview of ${file.name}`} data-testid="file-preview" data-file={file.name}>
      <header className="file-preview-head">
        <h3>{file.name}</h3>
        <span className="muted">{formatBytes(file.sizeBytes)}{preview && preview.container !== 'text' ? ` · ${preview.container.toUpperCase()}` : ''}</span>
        {!busy && (
          <button type="button" className="link" aria-label={`Remove ${file.name}`} onClick={onRemove}>
            remove
          </button>
        )}
      </header>
      {file.stage === 'uploading' && <p className="muted" aria-live="polite">Uploading {Math.round(file.uploaded * 100)} %…</p>}
      {(file.stage === 'waiting' || file.stage === 'reading') && <p className="muted" aria-live="polite">Reading the first rows…</p>}
      {file.error ? <ErrorBanner error={file.error} /> : null}
      {preview && first && (
        <>
          <div className="detected" data-testid="detected-format">
            {first.detected.length === 0 && !(choice.kind === 'auto' && first.chosen) && (
              <span className="warning-text">No format recognises the columns of this file{first.chosen ? ': it is read through the column mapping below. ' : ': map them below.'}</span>
            )}
            {first.chosen ? (
              <>
                <span>
                  Read as <strong data-testid="format-label">{first.chosen.label}</strong>
                  {first.chosen.version && first.chosen.version !== '1' ? <> · version <span data-testid="format-version">{first.chosen.version}</span></> : null}
                </span>{' '}
                <ConfidencePill confidence={first.chosen.confidence} />
                {choice.kind === 'auto' && first.chosen.format === 'custom-mapping' && (
                  <span className="muted"> — found your saved mapping for these columns</span>
                )}
              </>
            ) : null}
            {first.detected.length > 1 && (
              <span className="muted small"> Also possible: {first.detected.slice(1).map((d) => `${d.label} (${Math.round(d.confidence * 100)} %)`).join(', ')}.</span>
            )}
            <span className="muted small"> Numbers: {first.numberStyle}.</span>
          </div>
          <div className="read-as">
            <label htmlFor={`${id}-read-as`}>Read this file</label>
            <select
              id={`${id}-read-as`}
              value={selectValue}
              disabled={busy}
              data-testid="read-as"
              onChange={(e) => {
                const v = e.target.value;
                if (v === AUTO) onChoice({ kind: 'auto' });
                else if (v === MAPPING) onChoice(initialMapping(file));
                else onChoice({ kind: 'format', format: v });
              }}
            >
              <option value={AUTO}>{autoLabel}</option>
              <optgroup label="As the format">
                {formats.map((f) => (
                  <option key={f.id} value={f.id}>{f.label}</option>
                ))}
              </optgroup>
              <option value={MAPPING}>With my own column mapping…</option>
            </select>
            {file.refreshing && <span className="muted small" aria-live="polite"> reading again…</span>}
          </div>
          {choice.kind === 'mapping' && (
            <ColumnMappingEditor
              fileName={file.name}
              header={first.header}
              rows={first.rows}
              draft={choice.draft}
              saveAs={choice.saveAs}
              save={choice.save}
              onChange={(next) => onChoice({ kind: 'mapping', ...next })}
            />
          )}
          {choice.kind === 'auto' && !first.chosen && !busy && (
            <button type="button" className="button" onClick={() => onChoice(initialMapping(file))}>
              Map the columns of {file.name}
            </button>
          )}
          {preview.tables.length > 1 ? (
            <>
              <table className="table compact" aria-label={`Files inside ${file.name}`}>
                <thead>
                  <tr><th scope="col">File inside</th><th scope="col">Read as</th><th scope="col" className="num">Confidence</th><th scope="col" className="num">Rows shown</th><th scope="col" className="num">Rejected</th></tr>
                </thead>
                <tbody>
                  {preview.tables.map((t) => (
                    <tr key={t.entry}>
                      <td><code>{t.entry}</code></td>
                      <td>{t.chosen?.label ?? 'not recognised'}</td>
                      <td className="num">{t.chosen ? `${Math.round(t.chosen.confidence * 100)} %` : '—'}</td>
                      <td className="num">{formatInteger(t.rows.length)}</td>
                      <td className="num">{formatInteger(t.trial.rejections.length)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <TableTrial table={first} caption={`${first.entry}: the first rows as they will be imported`} />
            </>
          ) : (
            <TableTrial table={first} caption="The first rows as they will be imported" />
          )}
          <details>
            <summary>The first rows of the file as written ({formatInteger(first.header.length)} columns)</summary>
            <div className="scroll-x">
              <table className="table compact raw-rows">
                <thead>
                  <tr><th scope="col">Row</th>{first.header.map((h, i) => <th scope="col" key={`${h}-${i}`}>{h}</th>)}</tr>
                </thead>
                <tbody>
                  {first.rows.slice(0, 10).map((r, i) => (
                    <tr key={i}><td>{i + 1}</td>{first.header.map((_, j) => <td key={j}>{r[j] ?? ''}</td>)}</tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
          {reason && <p className="muted small not-ready" data-testid="not-ready">Not imported yet: {reason}.</p>}
        </>
      )}
    </article>
  );
}

/** The first rows read as the import would read them, and the rows it would reject or skip. */
function TableTrial({ table, caption }: { table: PreviewTable; caption: string }) {
  const trial = table.trial;
  if (trial.error && table.chosen) return <p className="banner banner-error" role="alert">{trial.error}</p>;
  if (!table.chosen) return null;
  return (
    <div className="trial">
      {trial.rejections.length > 0 && (
        <div className="banner banner-warning" data-testid="trial-rejections">
          <strong>
            {trial.rejections.length} of the first {formatInteger(trial.rowsScanned)} rows cannot be read; the import will stop unless you choose to
            leave them out:
          </strong>
          <ul>
            {trial.rejections.slice(0, 10).map((r) => <li key={`${r.row}-${r.column}`}>{r.reason}</li>)}
          </ul>
        </div>
      )}
      {trial.lines.length > 0 ? (
        <div className="scroll-x">
          <table className="table compact" data-testid="trial-lines">
            <caption>{caption}</caption>
            <thead>
              <tr>
                <th scope="col" className="num">Row</th><th scope="col">Date</th><th scope="col">Provider</th><th scope="col">Model</th><th scope="col">Kind</th>
                <th scope="col" className="num">Tokens</th><th scope="col" className="num">Cost</th><th scope="col">Cost centre</th><th scope="col">Source</th>
              </tr>
            </thead>
            <tbody>
              {trial.lines.slice(0, 12).map((l, i) => (
                <tr key={`${l.row}-${i}`}>
                  <td className="num">{l.ref ?? l.row}</td>
                  <td>{l.usageDate}</td>
                  <td>{providerDisplayName(l.provider)}</td>
                  <td title={l.modelRaw}>{l.model}</td>
                  <td>{TOKEN_KIND_LABELS[l.tokenKind] ?? l.tokenKind}</td>
                  <td className="num">{formatInteger(l.tokens)}</td>
                  <td className="num">{formatMicros(l.costMicros)} {l.currency}</td>
                  <td>{l.costCentre}</td>
                  <td className="muted">{l.measure === 'volume' ? 'usage only' : l.chargeKind}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {trial.lines.length > 12 && <p className="muted small">The first 12 of the {formatInteger(trial.lines.length)} lines read from the first {formatInteger(trial.rowsScanned)} rows.</p>}
        </div>
      ) : (
        trial.rejections.length === 0 && <p className="muted">The first rows give no usage lines.</p>
      )}
      {trial.skipped.length > 0 && (
        <p className="muted small" data-testid="trial-skipped">
          Skipped among the first {formatInteger(trial.rowsScanned)} rows: {trial.skipped.map((s) => `${formatInteger(s.rows)} × ${s.reason}`).join('; ')}.
        </p>
      )}
    </div>
  );
}
