import { describe, expect, it } from 'vitest';
import { guessColumnMapping } from '../../src-main/common/imports/guess-column-mapping.ts';
import { describeUndo } from '../../src-main/common/imports/undo-summary.ts';

describe('guessColumnMapping', () => {
  it('maps a reseller invoice by its column names, with the currency from the amount column name', () => {
    const header = ['Day', 'Vendor', 'Model', 'Tokens', 'Amount (EUR)', 'Team'];
    const rows = [['2026-10-01', 'Mistral', 'mistral-large', '1000', '0.004', 'Research']];
    expect(guessColumnMapping(header, rows)).toEqual({
      date: 'Day', provider: 'Vendor', model: 'Model', tokens: 'Tokens', cost: 'Amount (EUR)', currency: { fixed: 'EUR' }, costCentre: 'Team',
    });
  });

  it('finds the date by its values when no column is named like one, and keeps start and end apart', () => {
    const header = ['period_start', 'period_end', 'token_type', 'quantity', 'total_cost', 'currency'];
    const rows = [['01/10/2026', '02/10/2026', 'input', '12', '1,50', 'EUR']];
    expect(guessColumnMapping(header, rows)).toEqual({
      date: 'period_start', endDate: 'period_end', tokenKind: 'token_type', tokens: 'quantity', cost: 'total_cost', currency: 'currency',
    });
    expect(guessColumnMapping(['when', 'what', 'how much'], [['2026-10-01', 'x', '3']]).date).toBe('when');
  });

  it('leaves the date empty when no column holds dates, for the user to choose', () => {
    expect(guessColumnMapping(['Date', 'Cost'], [['yesterday', '1']])).toEqual({ date: '', cost: 'Cost' });
  });
});

describe('describeUndo', () => {
  it('says what an undo removed and brought back', () => {
    expect(describeUndo({ batchId: 7, fileName: 'bill.csv', linesRemoved: 1200, linesRestored: 0, ratesRemoved: 0, restoredBatches: [] })).toBe(
      'Undid batch #7 (bill.csv): 1,200 lines removed.',
    );
    expect(describeUndo({ batchId: 9, fileName: 'rates.csv', linesRemoved: 1, linesRestored: 3, ratesRemoved: 1, restoredBatches: [4, 5] })).toBe(
      'Undid batch #9 (rates.csv): 1 line removed; 1 FX rate removed; 3 lines it had replaced brought back (#4, #5 active again).',
    );
  });
});
