/** What undoing an import removed and brought back (the `imports:undo` answer). */
export type UndoneImport = {
  batchId: number;
  fileName: string;
  linesRemoved: number;
  linesRestored: number;
  ratesRemoved: number;
  restoredBatches: number[];
};

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/**
 * One sentence for the user, the same in the app and the CLI:
 * "Undid batch #7 (bill.csv): 120 lines removed; 118 lines it had replaced brought back (#3 active again)."
 */
export function describeUndo(u: UndoneImport): string {
  const parts = [`${plural(u.linesRemoved, 'line', 'lines')} removed`];
  if (u.ratesRemoved) parts.push(`${plural(u.ratesRemoved, 'FX rate', 'FX rates')} removed`);
  if (u.linesRestored || u.restoredBatches.length) {
    parts.push(
      `${plural(u.linesRestored, 'line', 'lines')} it had replaced brought back` +
        (u.restoredBatches.length ? ` (${u.restoredBatches.map((b) => `#${b}`).join(', ')} active again)` : ''),
    );
  }
  return `Undid batch #${u.batchId} (${u.fileName}): ${parts.join('; ')}.`;
}
