import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FOCUS_SAMPLE, NODE22, ROOT } from '../support/paths.ts';
import { useTempDir } from '../support/temp.ts';

const tempDir = useTempDir();

/** Runs `npm run cli -- <args>` the way npm does: Node 22 from node_modules on the CLI's entry file. */
function cli(...args: string[]) {
  const result = spawnSync(NODE22, ['src-main/node/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the command line', () => {
  it('creates the demo workbook and reports usage by month and provider as CSV', () => {
    const workbook = join(tempDir(), 'demo.sqlite');
    const demo = cli('demo', '--workbook', workbook, '--end-month', '2026-10', '--seed', '11');
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout).toContain('Demo workbook ready');

    const csv = cli('report', 'usage', '--workbook', workbook, '--by', 'month,provider', '--format', 'csv');
    expect(csv.code, csv.stderr).toBe(0);
    const [header, ...rows] = csv.stdout.trim().split('\n');
    expect(header).toBe('month,provider,tokens,currency,cost,cost_base');
    expect(rows.length).toBeGreaterThan(100);
    const parsed = rows.map((r) => r.split(','));
    for (const [month, provider, tokens, currency, cost, costBase] of parsed) {
      expect(month).toMatch(/^\d{4}-\d{2}$/);
      expect(['alibaba', 'anthropic', 'azure', 'deepseek', 'openai']).toContain(provider);
      expect(tokens).toMatch(/^\d+$/);
      expect(['USD', 'CNY']).toContain(currency);
      expect(cost).toMatch(/^-?\d+\.\d{2,6}$/);
      expect(costBase).toMatch(/^-?\d+\.\d{2,6}$/);
    }
    // One row per group and currency, sorted by the dimensions.
    const keys = parsed.map((r) => `${r[0]},${r[1]},${r[3]}`);
    expect(keys).toEqual([...keys].sort());
    expect(new Set(keys).size).toBe(keys.length);
    // USD rows: cost_base equals cost; CNY rows are converted.
    for (const r of parsed) if (r[3] === 'USD') expect(r[5]).toBe(r[4]);
  });

  it('prints a readable table by default', () => {
    const workbook = join(tempDir(), 'one.sqlite');
    expect(cli('import', '--workbook', workbook, FOCUS_SAMPLE).code).toBe(0);
    const table = cli('report', 'usage', '--workbook', workbook, '--by', 'provider');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/provider\s+tokens\s+currency\s+cost\s+cost \(USD\)/);
    expect(table.stdout).toMatch(/azure\s+0\s+USD\s+-0\.15\s+-0\.15/);
  });

  it('imports a file, and says so when it is imported again', () => {
    const workbook = join(tempDir(), 'import.sqlite');
    const first = cli('import', '--workbook', workbook, FOCUS_SAMPLE);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('9 lines imported from 1000 rows, 991 skipped as not AI usage');
    const again = cli('import', '--workbook', workbook, FOCUS_SAMPLE);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('was already imported');
  });

  it('exits non-zero with a one-line reason on failure', () => {
    const workbook = join(tempDir(), 'fail.sqlite');
    const cases = [
      cli('report', 'usage', '--workbook', workbook, '--by', 'colour'),
      cli('report', 'usage', '--workbook', join(tempDir(), 'missing.sqlite')),
      cli('import', '--workbook', workbook, join(tempDir(), 'nothing.csv')),
      cli('import', '--workbook', workbook, join(ROOT, 'package.json')),
      cli('frobnicate'),
      cli('report', 'usage', '--workbook', workbook, '--format', 'xml'),
    ];
    for (const result of cases) {
      expect(result.code).not.toBe(0);
      expect(result.stderr.split('\n')[0]).toMatch(/^tokenhedge: \S/);
    }
    expect(cases[0]!.stderr).toContain('unknown dimension "colour"');
    expect(cases[1]!.stderr).toContain('Workbook not found');
    expect(cases[3]!.stdout).toContain('format not recognised');
  });
});
