import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { CostCentreRuleField } from '../../../src-main/common/usage/cost-centre-rules.ts';
import { checkImportRules, type EditableAlias, type EditableRule } from '../../../src-main/common/usage/import-rules-check.ts';
import { call } from '../../api/client.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';

const FIELD_LABELS: Record<CostCentreRuleField, string> = {
  project: 'Project / workspace',
  provider_account: 'Provider account',
  provider: 'Provider',
  model: 'Model',
  cost_centre: 'Cost centre in the file',
};

/** A row being edited, with a key that stays the same while the row moves or its text changes. */
type Keyed<T> = T & { key: number };

/**
 * The import rules the user owns (issue 3): cost-centre rules (the first matching rule, lowest priority number
 * first, sets a line's cost centre) and model names (a model text as found in exports, counted as another model).
 * Saving replaces both lists and re-derives every stored line, so reports change at once; the services record
 * the change in the audit log.
 */
export function ImportRulesPanel() {
  const [rules, setRules] = useState<Keyed<EditableRule>[] | null>(null);
  const [aliases, setAliases] = useState<Keyed<EditableAlias>[]>([]);
  const [problems, setProblems] = useState<string[]>([]);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const nextKey = useRef(1);
  const keyed = <T,>(row: T): Keyed<T> => ({ ...row, key: nextKey.current++ });

  const load = async (): Promise<void> => {
    const current = await call('import-rules:get', {});
    setRules(current.costCentreRules.map(keyed));
    setAliases(current.modelAliases.map(keyed));
  };
  useEffect(() => {
    load().catch(setError);
  }, []);

  if (!rules) return <section className="card"><h2>Cost centres and model names</h2><ErrorBanner error={error} /></section>;

  const editRule = (key: number, change: Partial<EditableRule>) => setRules(rules.map((r) => (r.key === key ? { ...r, ...change } : r)));
  const editAlias = (key: number, change: Partial<EditableAlias>) => setAliases(aliases.map((a) => (a.key === key ? { ...a, ...change } : a)));
  const addRule = () => {
    const priority = rules.reduce((max, r) => Math.max(max, Number.isFinite(r.priority) ? r.priority : 0), 0) + 10;
    setRules([...rules, keyed({ priority, field: 'project', pattern: '', costCentre: '' })]);
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setStatus('');
    setError(null);
    const found = checkImportRules(rules, aliases);
    setProblems(found);
    if (found.length > 0) return;
    setSaving(true);
    try {
      const { linesChanged } = await call('import-rules:set', {
        costCentreRules: rules.map(({ priority, field, pattern, costCentre }) => ({ priority, field, pattern: pattern.trim(), costCentre: costCentre.trim() })),
        modelAliases: aliases.map(({ alias, canonical }) => ({ alias: alias.trim(), canonical: canonical.trim() })),
      });
      await load();
      setStatus(`Saved. ${linesChanged.toLocaleString()} stored ${linesChanged === 1 ? 'line has' : 'lines have'} a new cost centre or model.`);
    } catch (e) {
      setError(e);
    } finally {
      setSaving(false);
    }
  };

  const costCentres = [...new Set(rules.map((r) => r.costCentre.trim()).filter(Boolean))].sort();
  return (
    <form className="card" onSubmit={save} aria-label="Cost centres and model names" data-testid="import-rules">
      <h2>Cost centres and model names</h2>
      <p className="muted">
        Each line gets the cost centre of the first rule that matches it, lowest priority number first; a line no rule
        matches keeps the cost centre read from its file. Patterns match the whole text, ignoring case; <code>*</code> matches
        anything. Saving applies the rules to every stored line and to later imports.
      </p>
      <table className="table compact" data-testid="cost-centre-rules">
        <thead>
          <tr><th scope="col">Priority</th><th scope="col">When</th><th scope="col">matches</th><th scope="col">the cost centre is</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr>
        </thead>
        <tbody>
          {rules.map((r, i) => (
            <tr key={r.key}>
              <td><input type="number" step={1} value={Number.isFinite(r.priority) ? r.priority : ''} aria-label={`Rule ${i + 1} priority`} onChange={(e) => editRule(r.key, { priority: e.target.value === '' ? Number.NaN : Number(e.target.value) })} style={{ width: 80 }} /></td>
              <td>
                <select value={r.field} aria-label={`Rule ${i + 1} field`} onChange={(e) => editRule(r.key, { field: e.target.value as CostCentreRuleField })}>
                  {Object.entries(FIELD_LABELS).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
                </select>
              </td>
              <td><input value={r.pattern} aria-label={`Rule ${i + 1} pattern`} onChange={(e) => editRule(r.key, { pattern: e.target.value })} placeholder="proj_* or azure" maxLength={500} style={{ width: '100%', minWidth: 260 }} /></td>
              <td><input value={r.costCentre} list="known-cost-centres" aria-label={`Rule ${i + 1} cost centre`} onChange={(e) => editRule(r.key, { costCentre: e.target.value })} maxLength={200} /></td>
              <td><button type="button" className="link" aria-label={`Remove rule ${i + 1}`} onClick={() => setRules(rules.filter((x) => x.key !== r.key))}>remove</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <datalist id="known-cost-centres">{costCentres.map((c) => <option key={c} value={c} />)}</datalist>
      {rules.length === 0 && <p className="muted">No rules: every line keeps the cost centre of its file (its project, workspace or tags).</p>}
      <button type="button" className="button" onClick={addRule} data-testid="add-rule">Add rule</button>

      <h3 style={{ marginTop: 20 }}>Model names</h3>
      <p className="muted">A model text as exports show it (or as TokenHedge recognised it), and the model to count it as in reports, forecasts and hedges.</p>
      <table className="table compact" data-testid="model-aliases">
        <thead><tr><th scope="col">Model text</th><th scope="col">counts as</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          {aliases.map((a, i) => (
            <tr key={a.key}>
              <td><input value={a.alias} aria-label={`Model name ${i + 1} text`} onChange={(e) => editAlias(a.key, { alias: e.target.value })} placeholder="gpt-4o-2024-11-20-ft-acme" maxLength={300} /></td>
              <td><input value={a.canonical} aria-label={`Model name ${i + 1} counts as`} onChange={(e) => editAlias(a.key, { canonical: e.target.value })} placeholder="gpt-4o" maxLength={200} /></td>
              <td><button type="button" className="link" aria-label={`Remove model name ${i + 1}`} onClick={() => setAliases(aliases.filter((x) => x.key !== a.key))}>remove</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      {aliases.length === 0 && <p className="muted">No model names: models are counted as TokenHedge recognises them.</p>}
      <button type="button" className="button" onClick={() => setAliases([...aliases, keyed({ alias: '', canonical: '' })])} data-testid="add-alias">Add model name</button>

      <div className="actions" style={{ marginTop: 12 }}>
        <button type="submit" className="button primary" disabled={saving} data-testid="save-import-rules">{saving ? 'Applying…' : 'Save and apply to stored lines'}</button>
        {status && <span className="saved" role="status">{status}</span>}
      </div>
      {problems.length > 0 && (
        <div className="banner banner-error" role="alert" data-testid="import-rules-problems">
          <strong>Nothing was saved:</strong>
          <ul>{problems.map((p) => <li key={p}>{p}</li>)}</ul>
        </div>
      )}
      <ErrorBanner error={error} />
    </form>
  );
}
