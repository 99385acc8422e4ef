import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RequestOf } from '../../src-main/common/api/contract.ts';
import { addMonths, monthOf } from '../../src-main/common/time/iso-date.ts';
import { openAppContext } from '../../src-main/node/app-context.ts';
import { DEMO_TOKEN_CODE } from '../../src-main/node/demo/demo-market-data.ts';
import { systemClock } from '../../src-main/node/system-clock.ts';
import { NODE22, ROOT } from '../support/paths.ts';
import { useTempDir } from '../support/temp.ts';

const tempDir = useTempDir();

function cli(...args: string[]) {
  const result = spawnSync(NODE22, ['src-main/node/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The demo up to last month (the CLI runs on today's date) with a saved DeepSeek forecast: run #1. */
async function demoWorkbook(): Promise<string> {
  const path = join(tempDir(), 'demo.sqlite');
  const ctx = openAppContext({ workbookPath: path, mode: 'direct', version: 'test', clock: systemClock, jobs: { mode: 'in-process' }, log: () => {} });
  const started = await ctx.call('demo:create', { seed: 3, endMonth: addMonths(monthOf(systemClock.today()), -1) });
  if (!started.ok) throw new Error(started.error.message);
  expect((await ctx.jobs.wait(started.value.jobId)).state).toBe('succeeded');
  const saved = await ctx.call('forecast:save', { segment: { dimension: 'provider', value: 'deepseek' }, backtest: false } as RequestOf<'forecast:save'>);
  if (!saved.ok) throw new Error(saved.error.message);
  ctx.close();
  return path;
}

describe('the propose and proposals commands', () => {
  it('build, save, list, compare and approve a proposal, refusing the preparer as approver', async () => {
    const workbook = await demoWorkbook();
    const common = ['--workbook', workbook, '--forecast-run', '1', '--policy', 'Demo layered policy', '--instrument', DEMO_TOKEN_CODE, '--paths', '2000'];

    const preview = cli('propose', ...common, '--explain');
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout).toMatch(/^Proposal \(not saved\) — HYP-TOKEN-CN v1 \(HYPOTHETICAL\) for provider: deepseek/);
    expect(preview.stdout).toContain('    exposureP50: Forecast P50 for');
    expect(preview.stdout).toMatch(/Cost-at-risk over 12 months \(P95 − mean, USD; 2000 paths, seed 1/);

    const saved = cli('propose', ...common, '--save', '--prepared-by', 'Ada Lovelace', '--label', 'Layers');
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stderr).toBe('saved as proposal 1\n');
    expect(cli('propose', ...common, '--ratio', 'minimum-variance', '--save', '--prepared-by', 'Ada Lovelace').code).toBe(0);

    const list = cli('proposals', 'list', '--workbook', workbook);
    expect(list.stdout.split('\n')[0]).toBe('proposal_id,created,prepared_by,status,approved_by,instrument,segment,forecast_run,policy,curve_date,ratio,contracts,car_unhedged,car_hedged,currency,label');
    expect(list.stdout.split('\n').slice(1, 3).map((l) => l.split(',').slice(0, 4))).toEqual([
      ['2', expect.any(String), 'Ada Lovelace', 'saved'],
      ['1', expect.any(String), 'Ada Lovelace', 'saved'],
    ]);

    const compared = cli('proposals', 'compare', '1', '2', '--workbook', workbook);
    expect(compared.code).toBe(0);
    expect(compared.stdout).toMatch(/^ratio method\s+policy\s+minimum-variance$/m);
    expect(compared.stdout).toMatch(/^cost-at-risk hedged\s+/m);

    const own = cli('proposals', 'approve', '1', '--approver', 'Ada Lovelace', '--workbook', workbook);
    expect(own.code).toBe(1);
    expect(own.stderr).toBe('tokenhedge: Proposal #1 cannot be approved: approverName: "Ada Lovelace" prepared this proposal: a second person must approve it (four-eyes rule)\n');

    const approved = cli('proposals', 'approve', '1', '--approver', 'Grace Hopper', '--note', 'Within policy', '--workbook', workbook);
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toMatch(/^Approved by Grace Hopper \(OS account .+\) on .+; prepared by Ada Lovelace/);
    expect(approved.stdout).toMatch(/12 hedge relationships designated \(cash-flow hedges\), each with a pending trade/);
    expect(approved.stdout).toMatch(/#1 buy \+\d+ pending/);
    const shown = cli('proposals', 'show', '1', '--workbook', workbook, '--format', 'json');
    expect(JSON.parse(shown.stdout)).toMatchObject({ proposalId: 1, approval: { approvedBy: 'Grace Hopper' } });
  });

  it('names a missing option and an unknown forecast run in one line', async () => {
    expect(cli('propose', '--forecast-run', '1', '--instrument', 'X').stderr).toMatch(/--policy is required/);
    const workbook = join(tempDir(), 'empty.sqlite');
    openAppContext({ workbookPath: workbook, mode: 'direct', version: 'test', clock: systemClock, jobs: { mode: 'in-process' }, log: () => {} }).close();
    const unknown = cli('propose', '--workbook', workbook, '--forecast-run', '9', '--policy', '1', '--instrument', 'X');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('tokenhedge: forecast run 9 does not exist\n');
  });
});
