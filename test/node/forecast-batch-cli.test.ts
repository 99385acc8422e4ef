import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWorkbook } from '../../src-main/node/workbook/open-workbook.ts';
import { testClock } from '../support/clock.ts';
import { seedForecastUsage } from '../support/forecast-workbook.ts';
import { FIXTURES, NODE22, ROOT } from '../support/paths.ts';
import { useTempDir } from '../support/temp.ts';

const tempDir = useTempDir();
const MONTHLY = `${FIXTURES}forecast/monthly-sample`;

function cli(...args: string[]) {
  const result = spawnSync(NODE22, ['src-main/node/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('forecast-batch', () => {
  it('writes series_id,h,mean,lo80,hi80,lo95,hi95 for every step of every series in meta order', () => {
    const out = join(tempDir(), 'out.csv');
    const result = cli('forecast-batch', '--train', `${MONTHLY}/train.csv`, '--meta', `${MONTHLY}/meta.csv`, '--out', out, '--method', 'theta');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/12 series forecast with theta in [\d.]+ s/);
    const [header, ...rows] = readFileSync(out, 'utf8').trim().split('\n');
    expect(header).toBe('series_id,h,mean,lo80,hi80,lo95,hi95');
    expect(rows).toHaveLength(12 * 18);
    const metaIds = readFileSync(`${MONTHLY}/meta.csv`, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]);
    expect([...new Set(rows.map((r) => r.split(',')[0]))]).toEqual(metaIds);
    expect(rows.slice(0, 18).map((r) => Number(r.split(',')[1]))).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
    for (const row of rows) {
      const [, , mean, lo80, hi80, lo95, hi95] = row.split(',').map(Number);
      expect(lo95! <= lo80! && lo80! <= mean! && mean! <= hi80! && hi80! <= hi95!).toBe(true);
    }
  });

  it('exits non-zero naming the file, line and series of bad input, and writes nothing', () => {
    const dir = tempDir();
    const train = join(dir, 'train.csv');
    writeFileSync(train, 'series_id,t,value\nN1,1,5\nN1,2,x\n');
    const meta = join(dir, 'meta.csv');
    writeFileSync(meta, 'series_id,frequency,horizon\nN1,12,3\n');
    const out = join(dir, 'out.csv');
    const result = cli('forecast-batch', '--train', train, '--meta', meta, '--out', out);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('train.csv:line 3 (series N1): value "x" is not a number');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses an unknown method with the list of methods', () => {
    const result = cli('forecast-batch', '--train', 'a', '--meta', 'b', '--out', 'c', '--method', 'prophet');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--method must be one of auto, combination, ets, theta');
  });
});

describe('forecast run', () => {
  it('prints a segment forecast with its backtest, and saves it as a run that forecast show reads back', () => {
    const workbook = join(tempDir(), 'usage.sqlite');
    const db = openWorkbook(workbook, { clock: testClock });
    seedForecastUsage(db);
    db.close();
    const shown = cli('forecast', 'run', '--workbook', workbook, '--segment', 'provider=openai', '--horizon', '6');
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('provider: openai — auto:');
    expect(shown.stdout).toMatch(/backtest \(tokens, 12 origins, \d+ forecasts up to 6 months\): sMAPE/);
    const saved = cli('forecast', 'run', '--workbook', workbook, '--save', '--label', 'FY27', '--format', 'csv', '--horizon', '2');
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stderr).toMatch(/saved as forecast run 1/);
    expect(saved.stdout.split('\n')[0]).toBe('month,measure,mean,p025,p05,p10,p20,p25,p30,p40,p50,p60,p70,p75,p80,p90,p95,p975');
    const again = cli('forecast', 'show', '1', '--workbook', workbook, '--format', 'csv');
    expect(again.stdout).toBe(saved.stdout);
  });

  it('refuses a malformed segment', () => {
    const result = cli('forecast', 'run', '--segment', 'vendor=x');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--segment must be total or one of provider=NAME');
  });
});
