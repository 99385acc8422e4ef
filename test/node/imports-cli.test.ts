import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, NODE22, ROOT } from '../support/paths.ts';
import { useTempDir } from '../support/temp.ts';

const tempDir = useTempDir();

function cli(...args: string[]) {
  const result = spawnSync(NODE22, ['src-main/node/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const ALIBABA_HEADER =
  'BillingCycle,CostUnit,AccountID,OwnerID,ProductCode,ProductName,ProductDetail,UsageStartTime,UsageEndTime,RecordID,Item,InstanceID,ResourceGroup,Tag,PretaxGrossAmount,InvoiceDiscount,PretaxAmount,PaymentAmount,Currency';
const alibabaRow = (record: string, detail: string, day: string, amount: string) =>
  `2026-10,Research,1384,1384,sfm,Model Studio,${detail},2026-10-${day} 00:00:00,2026-10-${day} 23:59:59,${record},PayAsYouGoBill,qwen-plus,rg-1,cost-centre:Marketing,${amount},0,${amount},${amount},CNY`;

describe('the imports command', () => {
  it('lists the imported files, and undoes a newer export bringing back the one it had replaced', () => {
    const workbook = join(tempDir(), 'imports.sqlite');
    const first = join(tempDir(), 'bill-2026-10-03.csv');
    const second = join(tempDir(), 'bill-2026-10-final.csv');
    writeFileSync(first, [ALIBABA_HEADER, alibabaRow('r1', 'qwen-plus input tokens', '01', '12.50')].join('\n'));
    writeFileSync(second, [ALIBABA_HEADER, alibabaRow('r1', 'qwen-plus input tokens', '01', '13.75'), alibabaRow('r4', 'qwen-plus output tokens', '02', '2.00')].join('\n'));
    expect(cli('import', '--workbook', workbook, first).code).toBe(0);
    const newer = cli('import', '--workbook', workbook, second);
    expect(newer.stdout).toContain('replaces batch #1 (bill-2026-10-03.csv)');

    const list = cli('imports', 'list', '--workbook', workbook);
    expect(list.code, list.stderr).toBe(0);
    const [header, ...rows] = list.stdout.trim().split('\n');
    expect(header).toMatch(/^batch\s+imported \(UTC\)\s+state\s+format\s+confidence\s+lines\s+rows\s+file$/);
    expect(rows[0]).toMatch(/^#2 .* active\s+alibaba-bill bill-detail\s+100%\s+2\s+2\s+bill-2026-10-final\.csv$/);
    expect(rows[1]).toMatch(/^#1 .* replaced by #2\s+alibaba-bill bill-detail\s+100%\s+0\s+1\s+bill-2026-10-03\.csv$/);

    const undo = cli('imports', 'undo', '2', '--workbook', workbook);
    expect(undo.code, undo.stderr).toBe(0);
    expect(undo.stdout.trim()).toBe('Undid batch #2 (bill-2026-10-final.csv): 2 lines removed; 1 line it had replaced brought back (#1 active again).');
    const json = JSON.parse(cli('imports', 'list', '--workbook', workbook, '--format', 'json').stdout) as { batchId: number; state: string; lines: number }[];
    expect(json.map((b) => [b.batchId, b.state, b.lines])).toEqual([[1, 'active', 1]]);
  });

  it('refuses to undo a batch that does not exist, with a one-line reason', () => {
    const workbook = join(tempDir(), 'empty.sqlite');
    expect(cli('import', '--workbook', workbook, join(FIXTURES, 'formats', 'azure-openai-ea.csv')).code).toBe(0);
    const missing = cli('imports', 'undo', '9', '--workbook', workbook);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('tokenhedge: There is no import batch #9\n');
    const wrong = cli('imports', 'undo', 'last', '--workbook', workbook);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.split('\n')[0]).toBe('tokenhedge: "last" is not a batch number');
  });

  it('reads a file as the format given with --format, and refuses a format it does not know', () => {
    const workbook = join(tempDir(), 'format.sqlite');
    const file = join(FIXTURES, 'openai-cookbook-usage-api', 'costs_group_by_line_item_head.csv');
    const chosen = cli('import', '--workbook', workbook, '--format', 'openai-costs', file);
    expect(chosen.code, chosen.stderr).toBe(0);
    expect(chosen.stdout).toContain('5 lines imported from 5 rows');
    expect(chosen.stdout).toContain('read as OpenAI costs (Costs API JSON / Cost CSV) (cost-csv), 100% confident');
    const unknown = cli('import', '--workbook', workbook, '--format', 'sap-concur', file);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.split('\n')[0]).toMatch(/^tokenhedge: --format: unknown format "sap-concur" \(formats: focus, fx-rates, openai-usage, /);
  });

  it('imports an unknown CSV through a column mapping, saves it, and previews the next file with the same header through it', () => {
    const workbook = join(tempDir(), 'mapping.sqlite');
    const mapping = join(tempDir(), 'mistral.json');
    writeFileSync(mapping, JSON.stringify({ date: 'Day', provider: { fixed: 'Mistral' }, model: 'Model', tokens: 'Tokens', cost: 'Amount', currency: { fixed: 'EUR' } }));
    const october = join(tempDir(), 'mistral-2026-10.csv');
    writeFileSync(october, 'Day,Model,Tokens,Amount\n2026-10-01,mistral-large,1000,0.004\n');
    const imported = cli('import', '--workbook', workbook, '--mapping', mapping, '--save-mapping', 'Mistral invoices', october);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('read as Column mapping "Mistral invoices"');

    const november = join(tempDir(), 'mistral-2026-11.csv');
    writeFileSync(november, 'Day,Model,Tokens,Amount\n2026-11-01,mistral-large,2000,0.008\n2026-11-02,mistral-large,10,ten\n');
    const preview = cli('imports', 'preview', '--workbook', workbook, november);
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout).toContain('detected: no format recognises this header');
    expect(preview.stdout).toContain('saved column mapping for this header: "Mistral invoices"');
    expect(preview.stdout).toContain('row 1: 2026-11-01 mistral mistral-large other 2000 tokens 0.008 EUR');
    expect(preview.stdout).toContain('rejected: mistral-2026-11.csv row 2: Amount "ten" is not a number');
  });
});
