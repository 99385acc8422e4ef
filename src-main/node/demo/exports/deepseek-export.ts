import { formatScaled } from '../../../common/money/decimal.ts';
import { addDays, type IsoDate } from '../../../common/time/iso-date.ts';
import { writeZip } from '../../importers/sources/zip-reader.ts';
import { demoGuid, demoId, exactCostPico, groupBy, toCsv, trimDecimal, type DemoExport, type DemoKind, type DemoUsage } from './demo-usage.ts';

/**
 * DeepSeek's platform usage export (shared/reference/invoice-formats.md §5.1): a ZIP with one `amount-YYYY-MM.csv`
 * (tokens per day, model, API key and type, with the price in CNY per single token) and one `cost-YYYY-MM.csv`
 * (money per day, model and wallet) per month; UTF-8 with BOM, CRLF, ISO times in UTC. The cost file names no API
 * key and no direction: the importer splits its money over the directions of the amount file, and the
 * organisation maps DeepSeek models to cost centres with rules.
 */
const AMOUNT_COLUMNS = ['user_id', 'start_time_iso', 'end_time_iso', 'model', 'api_key_name', 'api_key', 'type', 'price', 'amount'];
const COST_COLUMNS = ['user_id', 'start_time_iso', 'end_time_iso', 'model', 'wallet_type', 'cost', 'currency'];
const TYPE: Record<DemoKind, string> = {
  input: 'input_cache_miss_tokens',
  cacheRead: 'input_cache_hit_tokens',
  cacheWrite: 'input_cache_write_tokens',
  output: 'output_tokens',
};

const USER_ID = demoGuid('deepseek-user');

const utc = (date: IsoDate) => `${date}T00:00:00Z`;

export function writeDeepSeekExport(usage: readonly DemoUsage[], range: string): DemoExport {
  const entries: { name: string; data: Buffer }[] = [];
  for (const [month, lines] of groupBy(usage, (u) => u.month)) {
    const amountRows: Record<string, string>[] = [];
    const costRows: Record<string, string>[] = [];
    for (const [, day] of groupBy(lines, (u) => `${u.date}|${u.stream.project}`)) {
      const { stream, date } = day[0]!;
      const period = { user_id: USER_ID, start_time_iso: utc(date), end_time_iso: utc(addDays(date, 1)), model: stream.model.meter };
      const key = { api_key_name: `${stream.project}-prod`, api_key: `sk-${demoId('', `deepseek-key-${stream.project}`, 4, '0123456789abcdef')}***${demoId('', `deepseek-key-end-${stream.project}`, 4, '0123456789abcdef')}` };
      let costPico = 0n;
      let requests = 0;
      for (const u of day) {
        amountRows.push({ ...period, ...key, type: TYPE[u.kind], price: trimDecimal(formatScaled(BigInt(u.pricePerMTokMicros), 12)), amount: String(u.tokens) });
        costPico += exactCostPico(u.tokens, u.pricePerMTokMicros);
        if (u.kind !== 'output') requests += u.tokens;
      }
      amountRows.push({ ...period, ...key, type: 'request_count', price: '', amount: String(Math.max(1, Math.round(requests / 3000))) });
      costRows.push({ ...period, wallet_type: 'topped_up', cost: trimDecimal(formatScaled(costPico, 12)), currency: 'CNY' });
    }
    entries.push({ name: `amount-${month}.csv`, data: Buffer.from(toCsv(AMOUNT_COLUMNS, amountRows, { bom: true })) });
    entries.push({ name: `cost-${month}.csv`, data: Buffer.from(toCsv(COST_COLUMNS, costRows, { bom: true })) });
  }
  return { name: `northwind-deepseek-usage-${range}.zip`, data: writeZip(entries) };
}
