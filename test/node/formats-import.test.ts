import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile, type ImportOptions } from '../../src-main/node/importers/import-file.ts';
import { decompress } from '../../src-main/node/importers/original-file.ts';
import { xlsxEntries } from '../../src-main/node/importers/sources/xlsx-reader.ts';
import { writeZip } from '../../src-main/node/importers/sources/zip-reader.ts';
import { replaceCostCentreRules, replaceModelAliases } from '../../src-main/node/workbook/import-settings-repo.ts';
import { readOriginalChunks, undoBatch } from '../../src-main/node/workbook/import-writer.ts';
import { openWorkbook, type Database } from '../../src-main/node/workbook/open-workbook.ts';
import { testClock } from '../support/clock.ts';
import { FIXTURES, FOCUS_SAMPLE } from '../support/paths.ts';
import { useTempDir } from '../support/temp.ts';

const tempDir = useTempDir();
const options: ImportOptions = { clock: testClock, actor: 'tester' };
const F = (name: string) => join(FIXTURES, 'formats', name);
const COOKBOOK_USAGE = join(FIXTURES, 'openai-cookbook-usage-api', 'usage_completions_buckets_2025-01.json');
const COOKBOOK_COSTS = join(FIXTURES, 'openai-cookbook-usage-api', 'costs_group_by_line_item_head.csv');

const workbook = (): Database => openWorkbook(join(tempDir(), 'wb.sqlite'), { clock: testClock });
const run = (db: Database, path: string, extra: Partial<ImportOptions> = {}) => importFile(db, { path, name: basename(path) }, { ...options, ...extra });
type Line = { model: string; model_raw: string; token_kind: string; charge_kind: string; tokens: number; cost_micros: number; currency: string; cost_centre: string; pricing_tier: string; source_ref: string | null; measure: string; tokens_source: number | null; project: string };
const linesOf = (db: Database) => db.prepare('SELECT * FROM usage_lines ORDER BY line_id').all() as Line[];
const sum = (db: Database, column: string) => db.prepare(`SELECT COALESCE(SUM(${column}), 0) FROM usage_lines`).pluck().get() as number;
const write = (name: string, text: string | Buffer) => {
  const path = join(tempDir(), name);
  writeFileSync(path, text);
  return path;
};
type Bucket = { start_time: number; end_time: number; results: Record<string, number | null>[] };
const cookbookBuckets = () => JSON.parse(readFileSync(COOKBOOK_USAGE, 'utf8')) as Bucket[];

describe('OpenAI exports', () => {
  it('reads the cookbook Usage API buckets as volume lines traced by JSON pointer, with input split from its cached part', async () => {
    const db = workbook();
    const report = await run(db, COOKBOOK_USAGE);
    expect(report.status, report.message).toBe('imported');
    expect(report.format).toBe('openai-usage');
    expect(report.confidence).toBeGreaterThan(0.8);
    const buckets = cookbookBuckets();
    const input = buckets.flatMap((b) => b.results).reduce((s, r) => s + Number(r.input_tokens), 0);
    const output = buckets.flatMap((b) => b.results).reduce((s, r) => s + Number(r.output_tokens), 0);
    const cached = buckets.flatMap((b) => b.results).reduce((s, r) => s + Number(r.input_cached_tokens ?? 0), 0);
    expect(sum(db, 'tokens')).toBe(input + output);
    const byKind = db.prepare('SELECT token_kind, SUM(tokens) AS t FROM usage_lines GROUP BY token_kind ORDER BY token_kind').all();
    expect(byKind).toEqual([
      { token_kind: 'cache_read', t: cached },
      { token_kind: 'input', t: input - cached },
      { token_kind: 'output', t: output },
    ]);
    expect(linesOf(db)[0]!.source_ref).toBe('[0].results[0]');
    expect(new Set(linesOf(db).map((l) => l.measure))).toEqual(new Set(['volume']));
    expect(report.warnings.join(' ')).toContain('partial bucket');
  });

  it('reads the cookbook Costs API line items: fine-tuned model, direction, and the assistants surface as other', async () => {
    const db = workbook();
    const report = await run(db, COOKBOOK_COSTS);
    expect(report.format).toBe('openai-costs');
    expect(report.costByCurrency).toEqual([{ currency: 'USD', costMicros: 127_440 + 3_090 + 271 + 3 + 28_607 }]);
    expect(linesOf(db).map((l) => [l.model, l.token_kind])).toEqual([
      ['gpt-4o', 'input'],
      ['gpt-4o', 'output'],
      ['file search', 'other'],
      ['file search', 'other'],
      ['gpt-4o-mini', 'input'],
    ]);
  });

  it('reads a 30-digit dashboard amount exactly, counts 1000_tokens quantities, skips the empty bucket and hashes the email in the stored copy', async () => {
    const db = workbook();
    const report = await run(db, F('openai-cost-dashboard.csv'));
    expect(report.counts).toMatchObject({ read: 2, imported: 1, skipped: 1 });
    expect(linesOf(db)[0]).toMatchObject({ cost_micros: 3_836, tokens: 1_534_392, token_kind: 'input', cost_centre: 'Support bot' });
    const [stored] = readOriginalChunks(db, report.batchId!);
    const text = decompress(stored!.streams, stored!.file.compression).toString('utf8');
    expect(stored!.file.redacted).toBe(true);
    expect(text).not.toContain('carol@example.com');
    expect(text).toContain('0.003835980000000000000000000000');
  });

  it('counts the overlap of two API pulls once when their windows overlap', async () => {
    const db = workbook();
    const buckets = cookbookBuckets();
    const first = write('pull-1.json', JSON.stringify({ object: 'page', data: buckets.slice(0, 16) }));
    const second = write('pull-2.json', JSON.stringify({ object: 'page', data: buckets.slice(10) }));
    await run(db, first);
    const report = await run(db, second);
    expect(report.counts.duplicate).toBeGreaterThan(0);
    const all = buckets.flatMap((b) => b.results).reduce((s, r) => s + Number(r.input_tokens) + Number(r.output_tokens), 0);
    expect(sum(db, 'tokens')).toBe(all);
  });

  it('lets a complete bucket restate the partial one of an earlier pull for the same day', async () => {
    const db = workbook();
    const day = 1736640000;
    const partial = { start_time: day + 3600 * 17, end_time: day + 86400, results: [{ input_tokens: 100, output_tokens: 10, num_model_requests: 1, model: 'gpt-4o-2024-08-06' }] };
    const complete = { start_time: day, end_time: day + 86400, results: [{ input_tokens: 900, output_tokens: 90, num_model_requests: 9, model: 'gpt-4o-2024-08-06' }] };
    await run(db, write('a.json', JSON.stringify([partial])));
    const report = await run(db, write('b.json', JSON.stringify([complete])));
    expect(report.restated).toBe(2);
    expect(sum(db, 'tokens')).toBe(990);
    undoBatch(db, report.batchId!);
    expect(sum(db, 'tokens')).toBe(110);
  });

  it('reconciles usage and cost sources of the same provider instead of summing their tokens, and undoes that with the batch', async () => {
    const db = workbook();
    const usage = write('usage.json', JSON.stringify([{ start_time: 1759276800, end_time: 1759363200, results: [{ object: 'organization.usage.completions.result', input_tokens: 1_534_392, output_tokens: 0, model: 'gpt-4o-2024-08-06' }] }]));
    await run(db, usage);
    const cost = await run(db, F('openai-cost-dashboard.csv'));
    expect(sum(db, 'tokens')).toBe(1_534_392);
    const volume = db.prepare("SELECT tokens, tokens_source FROM usage_lines WHERE measure = 'volume'").get();
    expect(volume).toEqual({ tokens: 0, tokens_source: 1_534_392 });
    db.transaction(() => undoBatch(db, cost.batchId!))();
    const { reconcileVolumeLines } = await import('../../src-main/node/workbook/import-writer.ts');
    reconcileVolumeLines(db, ['openai']);
    expect(db.prepare("SELECT tokens, tokens_source FROM usage_lines WHERE measure = 'volume'").get()).toEqual({ tokens: 1_534_392, tokens_source: null });
  });
});

describe('Anthropic exports', () => {
  it('reads the cost report amount as cents in a decimal string', async () => {
    const db = workbook();
    const report = await run(db, F('anthropic-cost-report.json'));
    expect(report.format).toBe('anthropic-cost');
    expect(linesOf(db).map((l) => [l.model, l.token_kind, l.cost_micros, l.source_ref])).toEqual([
      ['claude-sonnet-4', 'input', 1_234_500, 'data[0].results[0]'],
      ['Web search', 'other', 5_000, 'data[0].results[1]'],
    ].map(([m, k, c, r]) => [m === 'Web search' ? 'web search' : m, k, c, r]));
  });

  it('reads the usage report with disjoint input fields and the cache-write TTL as a tier', async () => {
    const db = workbook();
    await run(db, F('anthropic-usage-report.json'));
    expect(linesOf(db).map((l) => [l.token_kind, l.tokens])).toEqual([['input', 1000], ['cache_read', 500], ['cache_write', 200], ['output', 300]]);
    expect(linesOf(db)[2]!.pricing_tier).toContain('cache_5m');
  });

  it('reads the 2024 Console cost CSV (BOM, thousands separators) and never stores the key name', async () => {
    const db = workbook();
    const report = await run(db, F('anthropic-console-cost-2024.csv'));
    expect(report.format).toBe('anthropic-console-cost');
    expect(report.formatVersion).toBe('2024-12');
    expect(linesOf(db).map((l) => [l.model, l.token_kind, l.cost_micros])).toEqual([
      ['claude-3.5-sonnet', 'input', 1_234_500_000],
      ['claude-3.5-sonnet', 'output', 2_250_000],
    ]);
    const dump = JSON.stringify(db.prepare('SELECT * FROM usage_lines').all());
    expect(dump).not.toContain('alice');
  });

  it('reads the 2026 Console usage CSV with 5m/1h cache writes', async () => {
    const db = workbook();
    const report = await run(db, F('anthropic-console-usage-2026.csv'));
    expect(report.format).toBe('anthropic-console-usage');
    expect(linesOf(db).map((l) => [l.model, l.token_kind, l.tokens])).toEqual([
      ['claude-sonnet-4.5', 'input', 1000],
      ['claude-sonnet-4.5', 'cache_read', 400],
      ['claude-sonnet-4.5', 'cache_write', 10],
      ['claude-sonnet-4.5', 'output', 250],
    ]);
  });

  it('rejects a Console usage row whose token count is not a number or negative, naming the row and the column', async () => {
    const db = workbook();
    const good = readFileSync(F('anthropic-console-usage-2026.csv'), 'utf8');
    for (const [count, reason] of [
      ['lots', 'line 2: usage_input_tokens_cache_read "lots" is not a count of tokens'],
      ['-400', 'line 2: usage_input_tokens_cache_read "-400" is not a count of tokens'],
    ]) {
      const bad = good.replace(',1000,10,0,400,250,', `,1000,10,0,${count},250,`);
      expect(bad).not.toBe(good);
      const report = await run(db, write(`console-usage-${count}.csv`, bad));
      expect(report.status).toBe('rejected');
      expect(report.rejections[0]).toEqual({ row: 1, column: 'usage_input_tokens_cache_read', reason });
    }
    expect(linesOf(db)).toEqual([]);
  });
});

describe('cloud bills', () => {
  it('reads Azure OpenAI meters in 1K and 1M blocks, telling from the price whether the quantity is blocks or tokens', async () => {
    const db = workbook();
    const report = await run(db, F('azure-openai-ea.csv'));
    expect(report.format).toBe('azure-cost-details');
    expect(report.counts).toMatchObject({ read: 5, imported: 4, skipped: 1 });
    expect(linesOf(db).map((l) => [l.model, l.token_kind, l.charge_kind, l.tokens, l.cost_micros])).toEqual([
      ['gpt-4o', 'input', 'usage', 2_000_000, 5_000_000],
      ['gpt-4o', 'output', 'usage', 500_000, 5_000_000],
      ['gpt-5-mini', 'cache_read', 'usage', 4_000_000, 100_000],
      ['gpt-4o', 'input', 'credit', -1_000_000, -2_500_000],
    ]);
    expect(linesOf(db)[0]!.cost_centre).toBe('Marketing');
    expect(linesOf(db)[0]!.pricing_tier).toBe('global');
  });

  it('reads localised MCA headers with decimal commas', async () => {
    const db = workbook();
    const report = await run(db, F('azure-openai-mca-localised.csv'));
    expect(report.numberStyle).toContain('decimal comma');
    expect(linesOf(db).map((l) => [l.token_kind, l.tokens, l.cost_micros, l.currency, l.pricing_tier])).toEqual([
      ['input', 1_500_000, 4_125_000, 'EUR', 'data_zone'],
      ['output', 250_000, 2_750_000, 'EUR', 'data_zone'],
    ]);
  });

  it('reads Bedrock lines of a CUR 2.0 export: directions, tiers, marketplace Claude and the tax line', async () => {
    const db = workbook();
    const report = await run(db, F('aws-cur2-bedrock.csv'));
    expect(report.format).toBe('aws-cur');
    expect(report.counts).toMatchObject({ read: 6, imported: 5, skipped: 1 });
    expect(linesOf(db).map((l) => [l.model, l.token_kind, l.charge_kind, l.tokens, l.pricing_tier])).toEqual([
      ['claude-sonnet-4', 'input', 'usage', 2_000_000, 'global'],
      ['claude-sonnet-4', 'output', 'usage', 400_000, 'global'],
      ['claude-sonnet-4', 'cache_read', 'usage', 1_000_000, 'batch;global'],
      ['claude-3-haiku', 'input', 'usage', 1_000_000, 'marketplace'],
      ['amazon bedrock', 'other', 'tax', 0, ''],
    ]);
  });

  it('reads a GCP billing export in JSON lines, with each credit as its own negative line', async () => {
    const db = workbook();
    const report = await run(db, F('gcp-vertex.jsonl'));
    expect(report.format).toBe('gcp-billing');
    expect(linesOf(db).map((l) => [l.model, l.token_kind, l.charge_kind, l.tokens, l.cost_micros, l.cost_centre])).toEqual([
      ['gemini-2.5-flash', 'input', 'usage', 10_000_000, 3_000_000, 'Research'],
      ['gemini-2.5-flash', 'other', 'credit', 0, -1_500_000, 'Research'],
      ['gemini-2.5-flash', 'output', 'usage', 1_000_000, 2_500_000, 'ml-prod'],
    ]);
    expect(linesOf(db)[1]!.source_ref).toBe('line 1.credits[0]');
  });

  it('reads every koku schema variant (Azure legacy/EA/MCA, CUR legacy and 2.0, GCP CSV) without failing', async () => {
    const db = workbook();
    const expected: Record<string, string> = {
      'azure_camelCased.csv': 'azure-cost-details', 'azure_version_2.csv': 'azure-cost-details', 'camel_azure_version_2.csv': 'azure-cost-details',
      'costreport_a243c6f2-199f-4074-9a2c-40e671cf1584.csv': 'azure-cost-details', '2022-07-01-alt-columns.csv': 'aws-cur',
      '2023-06-01-not-final.csv': 'aws-cur', '2023-06-01.csv': 'aws-cur', '2022-08-01_5.csv': 'gcp-billing',
    };
    for (const [name, format] of Object.entries(expected)) {
      const folder = name.startsWith('20') ? (name.endsWith('_5.csv') ? 'gcp' : 'aws') : 'azure';
      const report = await run(db, join(FIXTURES, 'koku-schema-variant-fixtures', folder, name));
      expect(report.status, `${name}: ${report.message}`).toBe('imported');
      expect(report.format, name).toBe(format);
      expect(report.counts.skipped, name).toBe(report.counts.read);
    }
  });
});

describe('Chinese providers', () => {
  it('reads the DeepSeek usage ZIP: tokens from amount-*.csv, CNY money from cost-*.csv, key names hashed', async () => {
    const db = workbook();
    const amount =
      '\ufeffuser_id,start_time_iso,end_time_iso,model,api_key_name,api_key,type,price,amount\r\n' +
      'u1,2026-10-05T01:00:00Z,2026-10-05T02:00:00Z,deepseek-chat,prod key,sk-abc***xyz,input_cache_miss_tokens,0.000002,1000000\r\n' +
      'u1,2026-10-05T01:00:00Z,2026-10-05T02:00:00Z,deepseek-chat,prod key,sk-abc***xyz,output_tokens,0.000008,250000\r\n' +
      'u1,2026-10-05T01:00:00Z,2026-10-05T02:00:00Z,deepseek-chat,prod key,sk-abc***xyz,request_count,,12\r\n';
    const cost = 'user_id,start_time_iso,end_time_iso,model,wallet_type,cost,currency\r\nu1,2026-10-05T01:00:00Z,2026-10-05T02:00:00Z,deepseek-chat,topped_up,4.00,CNY\r\n';
    const zip = write('deepseek-usage.zip', writeZip([{ name: 'amount-2026-10.csv', data: Buffer.from(amount) }, { name: 'cost-2026-10.csv', data: Buffer.from(cost) }]));
    const report = await run(db, zip);
    expect(report.status, report.message).toBe('imported');
    expect(report.format).toBe('deepseek-amount+deepseek-cost');
    // The cost CSV's money is split over the directions of the amount CSV (amount × price) and carries their
    // tokens; the amount lines keep their figure aside (tokens_source), so every token counts once.
    expect(linesOf(db).map((l) => [l.token_kind, l.tokens, l.tokens_source, l.cost_micros, l.currency, l.measure, l.pricing_tier, l.source_ref])).toEqual([
      ['input', 0, 1_000_000, 0, 'CNY', 'volume', 'peak', 'amount-2026-10.csv:1'],
      ['output', 0, 250_000, 0, 'CNY', 'volume', 'peak', 'amount-2026-10.csv:2'],
      ['input', 1_000_000, null, 2_000_000, 'CNY', 'cost', 'wallet:topped_up', 'cost-2026-10.csv:1'],
      ['output', 250_000, null, 2_000_000, 'CNY', 'cost', 'wallet:topped_up', 'cost-2026-10.csv:1'],
    ]);
    const stored = readOriginalChunks(db, report.batchId!);
    const text = stored.map((s) => decompress(s.streams, s.file.compression).toString('utf8')).join('');
    expect(text).not.toContain('prod key');
    expect(JSON.stringify(linesOf(db))).not.toContain('prod key');
  });

  it('splits a DeepSeek bucket paid from two wallets over its directions exactly, with its tokens counted once', async () => {
    const db = workbook();
    const amount =
      'user_id,start_time_iso,end_time_iso,model,api_key_name,api_key,type,price,amount\r\n' +
      'u1,2026-10-05T00:00:00Z,2026-10-06T00:00:00Z,deepseek-chat,k,sk-1,input_cache_hit_tokens,0.0000005,3\r\n' +
      'u1,2026-10-05T00:00:00Z,2026-10-06T00:00:00Z,deepseek-chat,k,sk-1,input_cache_miss_tokens,0.000002,1000001\r\n' +
      'u1,2026-10-05T00:00:00Z,2026-10-06T00:00:00Z,deepseek-chat,k,sk-1,output_tokens,0.000008,1\r\n';
    const cost =
      'user_id,start_time_iso,end_time_iso,model,wallet_type,cost,currency\r\n' +
      'u1,2026-10-05T00:00:00Z,2026-10-06T00:00:00Z,deepseek-chat,granted,1.000001,CNY\r\n' +
      'u1,2026-10-05T00:00:00Z,2026-10-06T00:00:00Z,deepseek-chat,topped_up,1.0000105,CNY\r\n';
    const zip = write('deepseek-two-wallets.zip', writeZip([{ name: 'amount-2026-10.csv', data: Buffer.from(amount) }, { name: 'cost-2026-10.csv', data: Buffer.from(cost) }]));
    expect((await run(db, zip)).status).toBe('imported');
    const costLines = linesOf(db).filter((l) => l.measure === 'cost');
    expect(costLines.map((l) => [l.pricing_tier, l.token_kind, l.tokens])).toEqual([
      ['wallet:granted', 'cache_read', 3], ['wallet:granted', 'input', 1_000_001], ['wallet:granted', 'output', 1],
      ['wallet:topped_up', 'cache_read', 0], ['wallet:topped_up', 'input', 0], ['wallet:topped_up', 'output', 0],
    ]);
    // Each wallet's money is split exactly: the parts add up to its line of the cost CSV (rounded once to micros).
    const sum = (tier: string) => costLines.filter((l) => l.pricing_tier === tier).reduce((n, l) => n + l.cost_micros, 0);
    expect([sum('wallet:granted'), sum('wallet:topped_up')]).toEqual([1_000_001, 1_000_010]);
    // Weights amount × price: 0.0000015, 2.000002 and 0.000008 of 2.0000115; 1,000,001 micros × 0.0000015 / 2.0000115
    // = 0.75 → 1 (half-even), × 2.000002 / 2.0000115 = 999,996.25 → 999,996, and the output line takes the rest, 4.
    expect(costLines.filter((l) => l.pricing_tier === 'wallet:granted').map((l) => l.cost_micros)).toEqual([1, 999_996, 4]);
  });

  it('reads a DeepSeek cost CSV on its own as money of no token direction', async () => {
    const db = workbook();
    const path = write('cost-2026-10.csv', 'user_id,start_time_iso,end_time_iso,model,wallet_type,cost,currency\r\nu1,2026-10-05T00:00:00Z,2026-10-06T00:00:00Z,deepseek-chat,topped_up,4.00,CNY\r\n');
    expect((await run(db, path)).status).toBe('imported');
    expect(linesOf(db).map((l) => [l.token_kind, l.tokens, l.cost_micros, l.measure])).toEqual([['other', 0, 4_000_000, 'cost']]);
  });

  it('reads Model Studio lines of an Alibaba bill detail, in CNY with the refund as a credit', async () => {
    const db = workbook();
    const report = await run(db, F('alibaba-bill-detail.csv'));
    expect(report.format).toBe('alibaba-bill');
    expect(linesOf(db).map((l) => [l.charge_kind, l.cost_micros, l.currency, l.cost_centre])).toEqual([
      ['usage', 12_500_000, 'CNY', 'Marketing'],
      ['credit', -1_000_000, 'CNY', 'Research'],
    ]);
  });
});

describe('dialects and rules', () => {
  const sampleText = () => readFileSync(FOCUS_SAMPLE, 'utf8');

  it('reads an Excel "Unicode text" (UTF-16 LE, tab-separated) copy of the FOCUS sample like the original', async () => {
    const a = workbook();
    const original = await run(a, FOCUS_SAMPLE);
    const rows = sampleText().split('\n').filter(Boolean).map((l) => l.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/).join('\t'));
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(rows.join('\r\n'), 'utf16le')]);
    const b = workbook();
    const copy = await run(b, write('sample-unicode.txt', utf16));
    expect(copy.status, copy.message).toBe('imported');
    expect(copy.costByCurrency).toEqual(original.costByCurrency);
    expect(copy.counts).toEqual(original.counts);
  });

  it('reads a semicolon file with decimal commas and day-first dates', async () => {
    const db = workbook();
    const path = write(
      'eu.csv',
      'ChargePeriodStart;ChargePeriodEnd;BilledCost;BillingCurrency;ServiceCategory;ProviderName;ChargeCategory;ConsumedQuantity;ConsumedUnit;SkuMeter\n' +
        '31/10/2026;01/11/2026;1.234,50;EUR;AI and Machine Learning;Mistral;Usage;2.000.000;Tokens;mistral-large input tokens\n' +
        '30/10/2026;31/10/2026;-0,75;EUR;AI and Machine Learning;Mistral;Credit;;;\n',
    );
    const report = await run(db, path);
    expect(report.status, report.message).toBe('imported');
    expect(linesOf(db).map((l) => [l.cost_micros, l.tokens])).toEqual([[1_234_500_000, 2_000_000], [-750_000, 0]]);
    expect(db.prepare('SELECT usage_date FROM usage_lines ORDER BY line_id').pluck().all()).toEqual(['2026-10-31', '2026-10-30']);
  });

  it('applies cost-centre rules and model aliases at import and again when they change', async () => {
    const db = workbook();
    replaceCostCentreRules(db, [{ priority: 1, field: 'project', pattern: 'rg-*', costCentre: 'Content team' }]);
    await run(db, F('azure-openai-ea.csv'));
    expect(new Set(linesOf(db).map((l) => l.cost_centre))).toEqual(new Set(['Content team']));
    replaceCostCentreRules(db, []);
    expect(linesOf(db)[0]!.cost_centre).toBe('Marketing');
    replaceModelAliases(db, [{ alias: 'gpt-5-mini', canonical: 'gpt-5' }]);
    expect(linesOf(db).map((l) => l.model)).toContain('gpt-5');
  });

  it('imports any XLSX through a column mapping and offers the saved mapping for the same header next time', async () => {
    const db = workbook();
    const xlsx = writeZip(xlsxEntries(['Day', 'Vendor', 'Model', 'Tokens', 'Amount'], [['2026-10-01', 'Mistral', 'mistral-large', '1000', '0.004'], ['2026-10-02', 'Mistral', 'mistral-large', '2000', '0.008']]));
    const path = write('mistral.xlsx', xlsx);
    expect((await run(db, path)).status).toBe('failed');
    const mapping = { date: 'Day', provider: 'Vendor', model: 'Model', tokens: 'Tokens', cost: 'Amount', currency: { fixed: 'EUR' }, tokenKind: { fixed: 'input' as const } };
    const first = await run(db, path, { mapping, saveMappingAs: 'Mistral invoices' });
    expect(first.status, first.message).toBe('imported');
    expect(sum(db, 'cost_micros')).toBe(12_000);
    const again = write('mistral-nov.xlsx', writeZip(xlsxEntries(['Day', 'Vendor', 'Model', 'Tokens', 'Amount'], [['2026-11-01', 'Mistral', 'mistral-large', '10', '0.00004']])));
    const second = await run(db, again);
    expect(second.status, second.message).toBe('imported');
    expect(second.formatLabel).toBe('Column mapping "Mistral invoices"');
  });

  it('reads a file as the format the user chose, and says so when it does not fit', async () => {
    const db = workbook();
    const report = await run(db, F('alibaba-bill-detail.csv'), { format: 'openai-usage' });
    expect(report.status).toBe('failed');
    expect(report.message).toMatch(/alibaba-bill-detail\.csv/);
  });

  it('undoes a restating batch: its lines go and the batch it replaced comes back, in the audit log', async () => {
    const db = workbook();
    const lines = sampleText().split('\n').filter(Boolean);
    const ai = lines.map((l, i) => (l.includes('"AI and Machine Learning"') ? i : -1)).filter((i) => i > 0);
    const a = await run(db, write('a.csv', [lines[0], ...ai.slice(0, 4).map((i) => lines[i])].join('\n')));
    const b = await run(db, write('b.csv', [lines[0], ...ai.map((i) => lines[i])].join('\n')));
    expect(b.replacedBatches.map((r) => r.batchId)).toEqual([a.batchId]);
    expect(db.prepare('SELECT count(*) FROM usage_lines').pluck().get()).toBe(9);
    db.transaction(() => undoBatch(db, b.batchId!))();
    expect(db.prepare('SELECT count(*) FROM usage_lines').pluck().get()).toBe(4);
    expect(db.prepare('SELECT state FROM import_batches').pluck().all()).toEqual(['active']);
  });
});
