import { useId } from 'react';
import type { MappingDraft } from '../../../src-main/common/imports/guess-column-mapping.ts';
import { TOKEN_KINDS } from '../../../src-main/common/usage/usage-line.ts';
import { TOKEN_KIND_LABELS } from '../../format.ts';
import { mappingProblems } from './chosen-file.ts';

type FieldKey = Exclude<keyof MappingDraft, 'tokensPerUnit'>;

/** The select option that means "one value for every row" (not a column name any export uses). */
const SAME_FOR_EVERY_ROW = '\u2063same-for-every-row';

/** The fields of a usage line a column can feed, in the order people read an invoice. */
const FIELDS: readonly { key: FieldKey; label: string; hint: string; fixed?: 'text' | 'kind' }[] = [
  { key: 'date', label: 'Date', hint: 'required: the day (or start) of the usage' },
  { key: 'endDate', label: 'End date', hint: 'when the file has one; otherwise each row covers one day' },
  { key: 'provider', label: 'Provider', hint: 'who bills the usage', fixed: 'text' },
  { key: 'model', label: 'Model', hint: 'e.g. gpt-4o, claude-sonnet-4' },
  { key: 'tokenKind', label: 'Token kind', hint: 'input, cached input, output…', fixed: 'kind' },
  { key: 'tokens', label: 'Tokens', hint: 'a cost or a tokens column is required' },
  { key: 'cost', label: 'Cost', hint: 'exact amount; signs kept (credits negative)' },
  { key: 'currency', label: 'Currency', hint: 'ISO code such as EUR; USD when not given', fixed: 'text' },
  { key: 'chargeKind', label: 'Charge kind', hint: 'usage, credit, tax, fee… (usage when not given)' },
  { key: 'costCentre', label: 'Cost centre', hint: 'department or team' },
  { key: 'project', label: 'Project', hint: 'project, application or workspace' },
  { key: 'account', label: 'Account', hint: 'billing account or subscription' },
];

/**
 * The mapping wizard: which column of the file feeds each field of a usage line, or one value for every row
 * (currency, provider, token kind). Every field is a labelled select, reachable with Tab; the sample value of each
 * column is shown beside its name. The mapping is saved under a name for files with the same header.
 */
export function ColumnMappingEditor({
  fileName,
  header,
  rows,
  draft,
  saveAs,
  save,
  onChange,
}: {
  fileName: string;
  header: string[];
  rows: string[][];
  draft: MappingDraft;
  saveAs: string;
  save: boolean;
  onChange(next: { draft: MappingDraft; saveAs: string; save: boolean }): void;
}) {
  const id = useId();
  const sample = (i: number) => rows.map((r) => r[i] ?? '').find((v) => v.trim() !== '') ?? '';
  const set = (key: FieldKey, value: MappingDraft[FieldKey] | undefined) => {
    const next = { ...draft } as Record<string, unknown>;
    if (value === undefined || value === '') delete next[key];
    else next[key] = value;
    if (key === 'date' && value === undefined) next.date = '';
    onChange({ draft: next as MappingDraft, saveAs, save });
  };
  const problems = mappingProblems(draft);
  return (
    <fieldset className="mapping-editor" data-testid="mapping-editor">
      <legend>Map the columns of {fileName}</legend>
      <p className="muted small">
        Choose the column that holds each field. Fields the file does not have stay empty; currency, provider and
        token kind can be one value for every row.
      </p>
      <div className="mapping-grid">
        {FIELDS.map((field) => {
          const value = draft[field.key];
          const isFixed = typeof value === 'object' && value !== null;
          const selected = isFixed ? SAME_FOR_EVERY_ROW : typeof value === 'string' ? value : '';
          const selectId = `${id}-${field.key}`;
          return (
            <div className="mapping-field" key={field.key}>
              <label htmlFor={selectId}>
                {field.label}
              </label>
              <select
                id={selectId}
                value={selected}
                aria-describedby={`${selectId}-hint`}
                aria-required={field.key === 'date'}
                data-field={field.key}
                onChange={(e) => {
                  const v = e.target.value;
                  if (v === SAME_FOR_EVERY_ROW) set(field.key, { fixed: field.fixed === 'kind' ? 'input' : '' } as never);
                  else set(field.key, v || undefined);
                }}
              >
                <option value="">{field.key === 'date' ? '— choose a column —' : '— not in this file —'}</option>
                {header.map((h, i) => (
                  <option key={`${h}-${i}`} value={h}>
                    {h}
                    {sample(i) ? ` — e.g. ${sample(i).slice(0, 30)}` : ''}
                  </option>
                ))}
                {field.fixed && <option value={SAME_FOR_EVERY_ROW}>The same for every row…</option>}
              </select>
              {isFixed && field.fixed === 'text' && (
                <input
                  type="text"
                  aria-label={`${field.label} for every row`}
                  data-fixed={field.key}
                  value={(value as { fixed: string }).fixed}
                  placeholder={field.key === 'currency' ? 'EUR' : 'Mistral AI'}
                  onChange={(e) => set(field.key, { fixed: field.key === 'currency' ? e.target.value.toUpperCase() : e.target.value } as never)}
                />
              )}
              {isFixed && field.fixed === 'kind' && (
                <select
                  aria-label={`${field.label} for every row`}
                  value={(value as { fixed: string }).fixed}
                  onChange={(e) => set(field.key, { fixed: e.target.value } as never)}
                >
                  {TOKEN_KINDS.map((k) => (
                    <option key={k} value={k}>{TOKEN_KIND_LABELS[k]}</option>
                  ))}
                </select>
              )}
              <span className="muted small" id={`${selectId}-hint`}>{field.hint}</span>
              {field.key === 'tokens' && draft.tokens && (
                <label className="inline">
                  The column counts{' '}
                  <select value={String(draft.tokensPerUnit ?? 1)} onChange={(e) => onChange({ draft: { ...draft, tokensPerUnit: Number(e.target.value) === 1 ? undefined : Number(e.target.value) }, saveAs, save })}>
                    <option value="1">tokens</option>
                    <option value="1000">thousands of tokens</option>
                    <option value="1000000">millions of tokens</option>
                  </select>
                </label>
              )}
            </div>
          );
        })}
      </div>
      <div className="mapping-save">
        <label className="checkbox">
          <input type="checkbox" checked={save} onChange={(e) => onChange({ draft, saveAs, save: e.target.checked })} />
          Save this mapping for the next files with the same columns
        </label>
        {save && (
          <label>
            Mapping name{' '}
            <input type="text" value={saveAs} maxLength={200} onChange={(e) => onChange({ draft, saveAs: e.target.value, save })} />
          </label>
        )}
      </div>
      {problems.length === 0 && !draft.provider && (
        <p className="muted small" role="status">No provider chosen: the lines will be filed under provider “unknown”.</p>
      )}
      {problems.length > 0 && (
        <ul className="mapping-problems" role="status">
          {problems.map((p) => <li key={p}>{p}</li>)}
        </ul>
      )}
    </fieldset>
  );
}
