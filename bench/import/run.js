// Import benchmark (issue 3): generates a FOCUS 1.2 CSV of one million AI token lines (about 570 MB), imports it
// through the CLI into a new workbook, and times sqlite3's own `.import` of the same file into a table — the raw
// floor. Prints rows/s, MB/s, peak memory and the ratio. Needs /usr/bin/sqlite3 (Debian: apt-get install sqlite3).
// Usage: node bench/import/run.js [lines] [folder]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateFocusFile } from './generate.js';

const lines = Number(process.argv[2] ?? 1_000_000);
const folder = process.argv[3] ?? '/tmp/tokenhedge-bench-import';
const root = fileURLToPath(new URL('../../', import.meta.url));
const node = join(root, 'node_modules/.bin/node');
mkdirSync(folder, { recursive: true });
const csv = join(folder, `focus-1.2-${lines}.csv`);
if (!existsSync(csv)) {
  const t0 = Date.now();
  await generateFocusFile(csv, lines);
  console.log(`generated ${csv} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
const mb = statSync(csv).size / 1e6;

function timed(command, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${command} failed: ${r.stderr || r.stdout}`);
  const peakKb = Number(r.stderr.trim().split('\n').at(-1));
  return { seconds, peakMb: peakKb / 1024, stdout: r.stdout };
}

const sqlite = existsSync('/usr/bin/sqlite3') ? '/usr/bin/sqlite3' : undefined;
let floor;
if (sqlite) {
  const raw = join(folder, 'raw.sqlite');
  rmSync(raw, { force: true });
  floor = timed(sqlite, [raw, '.mode csv', `.import ${csv} lines`]);
  rmSync(raw, { force: true });
} else console.log('sqlite3 not found: install it (apt-get install sqlite3) to measure the raw floor');

const workbook = join(folder, 'bench.sqlite');
for (const suffix of ['', '-wal', '-shm']) rmSync(workbook + suffix, { force: true });
const ours = timed(node, [join(root, 'src-main/node/cli/main.ts'), 'import', '--workbook', workbook, csv]);
console.log(ours.stdout.trim());
const report = {
  lines,
  fileMb: Number(mb.toFixed(1)),
  importSeconds: Number(ours.seconds.toFixed(2)),
  rowsPerSecond: Math.round(lines / ours.seconds),
  mbPerSecond: Number((mb / ours.seconds).toFixed(1)),
  peakMemoryMb: Math.round(ours.peakMb),
  sqliteImportSeconds: floor ? Number(floor.seconds.toFixed(2)) : null,
  ratio: floor ? Number((ours.seconds / floor.seconds).toFixed(2)) : null,
  targetRatio: 1.25,
  targetPeakMemoryMb: 400,
};
console.log(JSON.stringify(report, null, 2));
void execFileSync;
