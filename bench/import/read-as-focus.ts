// The reading half of an import on its own, in this thread, for the benchmarks that measure it (halves.ts,
// allocations.ts): read, decode, parse, map, pack and compress the original of a FOCUS file made by run.js.
import { produceDelimited } from '../../src-main/node/importers/delimited-producer.ts';
import type { LineBatch } from '../../src-main/node/importers/line-batch.ts';

/** Reads `file` as FOCUS (no aliases, rules or FX rates; base currency USD), handing each packed batch to `onBatch`. */
export async function readAsFocus(file: string, onBatch: (batch: LineBatch) => void): Promise<void> {
  await produceDelimited(file, { fileName: 'bench.csv', sizeBytes: 6e8, modelAliases: [], costCentreRules: [], fxRates: [], baseCurrency: 'USD' }, {
    onHeader: () => ({ format: 'focus', context: { fileName: 'bench.csv', style: { decimalMark: '.', dateOrder: 'mdy' }, container: 'text' }, entry: '' }),
    onBatch: (batch) => {
      if (batch) onBatch(batch);
    },
  });
}
