// Child process for the crash test: imports a file into a workbook and reports progress on stdout, so the test
// can kill it in the middle of the import.
import { importFile } from '../../src-main/node/importers/import-file.ts';
import { openWorkbook } from '../../src-main/node/workbook/open-workbook.ts';
import { fixedClock } from '../../src-main/common/time/clock.ts';

const [workbook, file] = process.argv.slice(2) as [string, string];
const clock = fixedClock(Date.UTC(2026, 10, 24));
const db = openWorkbook(workbook, { clock });
let said = false;
await importFile(db, { path: file, name: 'big.csv' }, {
  clock,
  actor: 'crash-test',
  onProgress: (fraction) => {
    if (fraction > 0.3 && !said) {
      said = true;
      process.stdout.write('halfway\n');
    }
  },
});
process.stdout.write('finished\n');
