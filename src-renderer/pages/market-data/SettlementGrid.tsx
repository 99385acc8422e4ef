import { useMemo, useState } from 'react';
import { isIsoDate } from '../../../src-main/common/time/iso-date.ts';
import { microsFromDecimalText } from '../../../src-main/common/money/micros.ts';
import { ApiCallError, call } from '../../api/client.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { formatMonth } from '../../format.ts';
import { microsToInput } from '../../market-format.ts';

type Price = { contractMonth: string; priceDate: string; priceMicros: number };

const SHOWN_DATES = 8;

/**
 * Manual entry of settlement prices: one row per price date (the latest ones, plus any date the user adds), one
 * column per contract month. Changed cells are saved together; emptying a cell deletes that price. A changed
 * price keeps the old one in the audit log with a revision number.
 */
export function SettlementGrid({
  code,
  currency,
  priceUnit,
  prices,
  listedMonths,
  today,
  onSaved,
}: {
  code: string;
  currency: string;
  priceUnit: string;
  prices: Price[];
  listedMonths: string[];
  today: string;
  onSaved(): void;
}) {
  const [extraDates, setExtraDates] = useState<string[]>([]);
  const [newDate, setNewDate] = useState(today);
  const [edits, setEdits] = useState<Map<string, string>>(new Map());
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState<string | null>(null);

  const stored = useMemo(() => new Map(prices.map((p) => [`${p.priceDate}|${p.contractMonth}`, p.priceMicros])), [prices]);
  const dates = useMemo(() => {
    const all = [...new Set(prices.map((p) => p.priceDate))].sort().reverse().slice(0, SHOWN_DATES);
    return [...new Set([...extraDates, ...all])].sort().reverse();
  }, [prices, extraDates]);
  const months = useMemo(() => {
    const shown = new Set(dates);
    const set = new Set(listedMonths);
    for (const p of prices) if (shown.has(p.priceDate)) set.add(p.contractMonth);
    return [...set].sort();
  }, [prices, dates, listedMonths]);

  const cellText = (date: string, month: string) => {
    const key = `${date}|${month}`;
    const edited = edits.get(key);
    if (edited !== undefined) return edited;
    const micros = stored.get(key);
    return micros === undefined ? '' : microsToInput(micros);
  };

  const save = async () => {
    setError(null);
    setStatus(null);
    const changes: { contractMonth: string; priceDate: string; priceMicros: number | null }[] = [];
    const issues: { path: string; message: string }[] = [];
    for (const [key, text] of edits) {
      const [priceDate, contractMonth] = key.split('|') as [string, string];
      const before = stored.get(key);
      if (text.trim() === '') {
        if (before !== undefined) changes.push({ contractMonth, priceDate, priceMicros: null });
        continue;
      }
      try {
        const micros = microsFromDecimalText(text.replace(/,/g, ''));
        if (micros <= 0) throw new Error('not positive');
        if (micros !== before) changes.push({ contractMonth, priceDate, priceMicros: micros });
      } catch {
        issues.push({ path: `${priceDate} ${contractMonth}`, message: `"${text}" is not a positive price` });
      }
    }
    if (issues.length) {
      setError(new ApiCallError({ code: 'invalid-input', message: `${issues.length} cell${issues.length === 1 ? '' : 's'} cannot be saved; nothing was saved.`, issues }));
      return;
    }
    if (changes.length === 0) {
      setStatus('Nothing changed.');
      return;
    }
    try {
      const result = await call('market:save-prices', { code, prices: changes });
      setEdits(new Map());
      setExtraDates([]);
      setStatus(`Saved: ${result.inserted} added, ${result.replaced} revised, ${result.deleted} removed.`);
      onSaved();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section className="card" aria-label="Settlement prices" data-testid="settlement-grid">
      <h2>Settlement prices ({currency} per {priceUnit})</h2>
      <div className="toolbar left">
        <label>
          Add a price date{' '}
          <input type="date" value={newDate} onChange={(e) => setNewDate(e.target.value)} aria-label="New price date" />
        </label>
        <button
          type="button"
          className="button"
          onClick={() => isIsoDate(newDate) && !dates.includes(newDate) && setExtraDates((d) => [...d, newDate])}
          data-testid="add-price-date"
        >
          Add row
        </button>
        <button type="button" className="button primary" onClick={() => void save()} disabled={edits.size === 0} data-testid="save-prices">
          Save prices
        </button>
        {status && <span className="saved" role="status">{status}</span>}
      </div>
      <ErrorBanner error={error} />
      {dates.length === 0 ? (
        <p className="muted">No settlement prices yet: add a price date, type the prices and save, or import a CSV.</p>
      ) : (
        <div className="grid-scroll">
          <table className="table compact price-grid">
            <thead>
              <tr>
                <th scope="col">Price date</th>
                {months.map((m) => <th key={m} scope="col" className="num">{formatMonth(m)}</th>)}
              </tr>
            </thead>
            <tbody>
              {dates.map((date) => (
                <tr key={date}>
                  <th scope="row">{date}</th>
                  {months.map((month) => {
                    const key = `${date}|${month}`;
                    return (
                      <td key={month} className="num">
                        <input
                          className={edits.has(key) ? 'edited' : undefined}
                          inputMode="decimal"
                          size={7}
                          aria-label={`${month} on ${date}`}
                          value={cellText(date, month)}
                          onChange={(e) => {
                            const value = e.target.value;
                            setEdits((m) => new Map(m).set(key, value));
                          }}
                        />
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted small">The latest {SHOWN_DATES} price dates are shown. Empty a cell and save to delete a price.</p>
    </section>
  );
}
