import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ResponseOf } from '../../../src-main/common/api/contract.ts';
import { parseAmountText } from '../../../src-main/common/money/amount-text.ts';
import { minorUnitDigits } from '../../../src-main/common/money/currency.ts';
import { decimalToMicros, formatMicros } from '../../../src-main/common/money/micros.ts';
import { divRound } from '../../../src-main/common/money/rounding.ts';
import { providerDisplayName } from '../../../src-main/common/usage/providers.ts';
import { call } from '../../api/client.ts';
import { formatInteger, formatMonth, formatPricePerMTok, formatTokens } from '../../format.ts';
import { ErrorBanner } from '../ErrorBanner.tsx';

type Reconciliation = ResponseOf<'reconciliation:get'>;
type UsageRow = Reconciliation['usageVsCost'][number];
type InvoiceRow = Reconciliation['invoices'][number];

/** Exact signed amount with its code: "+0.004 USD", "-1,200.00 EUR" (differences keep every digit). */
function exact(micros: number, currency: string, signed = false, minFractionDigits = minorUnitDigits(currency)): string {
  const [whole = '', fraction] = formatMicros(micros, minFractionDigits).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',');
  return `${signed && micros > 0 ? '+' : ''}${grouped}${fraction ? `.${fraction}` : ''} ${currency}`;
}

/** A difference smaller than the currency's smallest coin is rounding (invoices are printed in whole cents). */
function invoiceStatus(r: InvoiceRow): { label: string; tone: 'none' | 'ok' | 'rounding' | 'bad' } {
  if (r.totalMicros === null || r.differenceMicros === null) return { label: 'total not entered', tone: 'none' };
  if (r.differenceMicros === 0) return { label: 'matches', tone: 'ok' };
  const coin = 10 ** (6 - minorUnitDigits(r.currency));
  return Math.abs(r.differenceMicros) < coin ? { label: 'rounding only', tone: 'rounding' } : { label: 'differs', tone: 'bad' };
}

function usageStatus(r: UsageRow): { label: string; tone: 'none' | 'ok' | 'bad' } {
  if (r.costTokens === 0) return { label: r.costMicros ? 'cost export has no token counts: usage export tokens priced' : 'no cost in this month', tone: 'none' };
  if (r.costTokens === r.volumeTokens) return { label: 'same tokens in both', tone: 'ok' };
  return { label: 'tokens differ', tone: 'bad' };
}

/**
 * The controller's view of the imports: per provider and month, the tokens of usage (volume) exports beside the
 * tokens and money of cost exports (tokens count once, from the cost export where it has them), and per invoice
 * the sum of the imported lines beside the total printed on the invoice, with every difference highlighted and
 * written out. Invoice totals are entered here.
 */
export function ReconciliationView({ dataVersion }: { dataVersion: number }) {
  const [data, setData] = useState<Reconciliation | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [entering, setEntering] = useState<{ provider: string; invoiceRef: string; currency: string; month: string | null } | null>(null);
  const load = useCallback(() => {
    call('reconciliation:get', {}).then(setData).catch(setError);
  }, []);
  useEffect(load, [load, dataVersion]);

  if (error) return <section className="card"><h2>Reconciliation</h2><ErrorBanner error={error} /></section>;
  if (!data) return null;
  const providers = [...new Set(data.usageVsCost.map((r) => r.provider))];
  const knownProviders = [...new Set([...providers, ...data.invoices.map((r) => r.provider)])].sort();
  return (
    <section className="card reconciliation" data-testid="reconciliation" aria-labelledby="reconciliation-heading">
      <h2 id="reconciliation-heading">Reconciliation</h2>

      <h3>Usage exports against cost exports</h3>
      {providers.length === 0 ? (
        <p className="muted">No provider has both a usage export and a cost export yet.</p>
      ) : (
        <>
          <p className="muted small">
            Providers that send usage (tokens) and cost (money) separately: tokens are counted once — from the cost export
            where it reports them, otherwise from the usage export — and the two are compared month by month.
          </p>
          {providers.map((provider) => {
            const rows = data.usageVsCost.filter((r) => r.provider === provider);
            const differing = rows.filter((r) => usageStatus(r).tone === 'bad');
            const volume = rows.reduce((n, r) => n + r.volumeTokens, 0);
            const costTokens = rows.reduce((n, r) => n + r.costTokens, 0);
            return (
              <details key={provider} className="reconcile-provider" open={differing.length > 0 || providers.length === 1} data-provider={provider}>
                <summary>
                  <strong>{providerDisplayName(provider)}</strong>: {rows.length} months, {formatTokens(volume)} tokens in usage exports,{' '}
                  {costTokens ? `${formatTokens(costTokens)} in cost exports` : 'cost exports report no tokens'} —{' '}
                  {differing.length ? (
                    <span className="diff-bad-text">{differing.length} {differing.length === 1 ? 'month differs' : 'months differ'}</span>
                  ) : (
                    <span className="diff-ok-text">{costTokens ? 'every month matches' : 'usage tokens priced by the cost export'}</span>
                  )}
                </summary>
                <div className="scroll-x">
                  <table className="table compact" aria-label={`${providerDisplayName(provider)}: usage against cost by month`}>
                    <thead>
                      <tr>
                        <th scope="col">Month</th><th scope="col" className="num">Tokens, usage export</th><th scope="col" className="num">Tokens, cost export</th>
                        <th scope="col" className="num">Difference</th><th scope="col" className="num">Cost</th><th scope="col" className="num">Per 1M tokens</th><th scope="col">Status</th>
                      </tr>
                    </thead>
                    <tbody>
                      {rows.map((r) => {
                        const status = usageStatus(r);
                        const tokens = r.costTokens || r.volumeTokens;
                        const price = r.currency && tokens > 0 ? Number(divRound(BigInt(r.costMicros) * 1_000_000n, BigInt(tokens), 'half-even')) : null;
                        const difference = r.costTokens ? r.costTokens - r.volumeTokens : null;
                        return (
                          <tr key={r.month} className={`tone-${status.tone}`}>
                            <td>{formatMonth(r.month)}</td>
                            <td className="num">{formatInteger(r.volumeTokens)}</td>
                            <td className="num">{r.costTokens ? formatInteger(r.costTokens) : '—'}</td>
                            <td className="num">{difference === null ? '—' : `${difference > 0 ? '+' : ''}${formatInteger(difference)}`}</td>
                            {/* A sum of lines, exact to the micro: all six places, as in the invoice table below. */}
                            <td className="num">{r.currency ? exact(r.costMicros, r.currency, false, 6) : '—'}</td>
                            <td className="num">{price === null ? '—' : formatPricePerMTok(price, r.currency!)}</td>
                            <td>{status.label}</td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
              </details>
            );
          })}
        </>
      )}

      <h3>Invoice totals against the imported lines</h3>
      <p className="muted small">
        A vendor's printed total is a fact: enter it and TokenHedge shows it beside the sum of the imported lines of that
        invoice. Differences under one cent are rounding; larger ones are flagged.
      </p>
      {data.invoices.length === 0 ? (
        <p className="muted">No imported line names an invoice yet, and no invoice total was entered.</p>
      ) : (
        <div className="scroll-x">
          <table className="table compact" data-testid="invoice-reconciliation">
            <thead>
              <tr>
                <th scope="col">Provider</th><th scope="col">Invoice</th><th scope="col">Month</th><th scope="col" className="num">Sum of lines</th><th scope="col" className="num">Invoice total</th>
                <th scope="col" className="num">Difference (lines − invoice)</th><th scope="col">Status</th><th scope="col"><span className="visually-hidden">Enter total</span></th>
              </tr>
            </thead>
            <tbody>
              {data.invoices.map((r) => {
                const status = invoiceStatus(r);
                return (
                  <tr key={`${r.provider}-${r.invoiceRef}`} className={`tone-${status.tone}`} data-invoice={r.invoiceRef}>
                    <td>{providerDisplayName(r.provider)}</td>
                    <td>{r.invoiceRef}</td>
                    <td>{r.month ? formatMonth(r.month) : '—'}</td>
                    {/* Sums of lines (and so the differences) are exact to the micro: all six places, so the column lines up. */}
                    <td className="num">{exact(r.linesMicros, r.currency, false, 6)}</td>
                    <td className="num">{r.totalMicros === null ? '—' : exact(r.totalMicros, r.currency)}</td>
                    <td className="num">{r.differenceMicros === null ? '—' : exact(r.differenceMicros, r.currency, true, 6)}</td>
                    <td>{status.label}</td>
                    <td>
                      <button
                        type="button"
                        className="button small-button"
                        aria-label={`${r.totalMicros === null ? 'Enter' : 'Change'} the total of invoice ${r.invoiceRef}`}
                        onClick={() => setEntering({ provider: r.provider, invoiceRef: r.invoiceRef, currency: r.currency, month: r.month })}
                      >
                        {r.totalMicros === null ? 'Enter total…' : 'Change…'}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <InvoiceForm
        key={entering ? `${entering.provider}-${entering.invoiceRef}` : 'new'}
        providers={knownProviders}
        initial={entering}
        onSaved={() => {
          setEntering(null);
          load();
        }}
      />
    </section>
  );
}

function InvoiceForm({
  providers,
  initial,
  onSaved,
}: {
  providers: string[];
  initial: { provider: string; invoiceRef: string; currency: string; month: string | null } | null;
  onSaved(): void;
}) {
  const id = useId();
  const [provider, setProvider] = useState(initial?.provider ?? providers[0] ?? '');
  const [invoiceRef, setInvoiceRef] = useState(initial?.invoiceRef ?? '');
  const [month, setMonth] = useState(initial?.month ?? '');
  const [currency, setCurrency] = useState(initial?.currency ?? 'USD');
  const [total, setTotal] = useState('');
  const [includesTax, setIncludesTax] = useState(true);
  const [problem, setProblem] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState('');
  const totalInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (initial) totalInput.current?.focus();
  }, [initial]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setSaved('');
    const amount = parseAmountText(total);
    if (!provider.trim()) return setProblem('Provider: choose or type who issued the invoice.');
    if (!invoiceRef.trim()) return setProblem('Invoice: type the invoice number as printed.');
    if (!/^\d{4}-\d{2}$/.test(month)) return setProblem('Month: give the month the invoice bills, as YYYY-MM.');
    if (!/^[A-Za-z]{3}$/.test(currency.trim())) return setProblem('Currency: use a three-letter code such as USD.');
    if (!amount) return setProblem(`Total: "${total}" is not an amount (write it as printed, e.g. 12,345.67).`);
    setProblem('');
    try {
      const totalMicros = decimalToMicros(amount, 'half-even', 'invoice total');
      await call('invoices:enter', { provider: provider.trim(), invoiceRef: invoiceRef.trim(), month, currency: currency.trim().toUpperCase(), totalMicros, includesTax });
      setSaved(`Saved the total of invoice ${invoiceRef.trim()}.`);
      setTotal('');
      onSaved();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <details className="invoice-form" open={initial !== null} data-testid="invoice-form">
      <summary id={`${id}-title`}>{initial ? `Total of invoice ${initial.invoiceRef}` : 'Enter an invoice total…'}</summary>
    <form onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`}>
      <div className="form-row">
        <label>
          Provider
          <input type="text" list={`${id}-providers`} value={provider} onChange={(e) => setProvider(e.target.value)} required />
          <datalist id={`${id}-providers`}>{providers.map((p) => <option key={p} value={p}>{providerDisplayName(p)}</option>)}</datalist>
        </label>
        <label>
          Invoice
          <input type="text" value={invoiceRef} onChange={(e) => setInvoiceRef(e.target.value)} required />
        </label>
        <label>
          Month billed
          <input type="month" value={month} onChange={(e) => setMonth(e.target.value)} required placeholder="YYYY-MM" />
        </label>
        <label>
          Currency
          <input type="text" value={currency} maxLength={3} size={4} onChange={(e) => setCurrency(e.target.value.toUpperCase())} required />
        </label>
        <label>
          Total as printed
          <input type="text" ref={totalInput} value={total} inputMode="decimal" onChange={(e) => setTotal(e.target.value)} required />
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={includesTax} onChange={(e) => setIncludesTax(e.target.checked)} />
          includes tax
        </label>
        <button type="submit" className="button primary">Save total</button>
      </div>
      {problem && <p className="field-problem" role="alert">{problem}</p>}
      <ErrorBanner error={error} />
      {saved && <p role="status" className="muted">{saved}</p>}
    </form>
    </details>
  );
}
