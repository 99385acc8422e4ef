import { msOfIsoDate, type IsoDate } from '../../../common/time/iso-date.ts';
import { demoId, exactCostText, groupBy, type DemoExport, type DemoKind, type DemoUsage } from './demo-usage.ts';

/**
 * OpenAI as an organisation's admin would pull it (shared/reference/invoice-formats.md §2):
 * - the Usage API, `GET /v1/organization/usage/completions?bucket_width=1d&group_by=project_id,model`: tokens only
 *   (`input_tokens` includes the cached ones, reported again in `input_cached_tokens`);
 * - the Costs API, `GET /v1/organization/costs?group_by=project_id,line_item`: `amount.value` in dollars as a JSON
 *   number with a lower-case currency, `line_item` "<model>, input" and the `quantity` / `quantity_unit` added to
 *   the API in August 2026.
 * Both carry project ids (`proj_…`), never cost centres: the organisation maps projects to cost centres with
 * rules (see `openaiProjectId`). The pages of each endpoint are saved as one JSON document.
 */
export function openaiProjectId(project: string): string {
  return demoId('proj_', project, 24);
}

export const OPENAI_ORGANISATION_ID = demoId('org-', 'openai-organisation', 24);

const LINE_ITEM_KIND: Record<DemoKind, string> = { input: 'input', cacheRead: 'cached input', cacheWrite: 'cache write', output: 'output' };

export function writeOpenAiExports(usage: readonly DemoUsage[], range: string): DemoExport[] {
  const byDate = groupBy(usage, (u) => u.date);
  const usageBuckets: string[] = [];
  const costBuckets: string[] = [];
  for (const [date, lines] of byDate) {
    const start = msOfIsoDate(date as IsoDate) / 1000;
    const bucket = (results: string[]) =>
      `  {"object": "bucket", "start_time": ${start}, "end_time": ${start + 86_400}, "results": [\n${results.join(',\n')}\n  ]}`;

    const usageResults: string[] = [];
    for (const [, streamLines] of groupBy(lines, (u) => `${u.stream.project}|${u.stream.model.meter}`)) {
      const s = streamLines[0]!.stream;
      const tokens = (kind: DemoKind) => streamLines.filter((u) => u.kind === kind).reduce((n, u) => n + u.tokens, 0);
      const input = tokens('input') + tokens('cacheRead') + tokens('cacheWrite');
      usageResults.push(
        `    {"object": "organization.usage.completions.result", "input_tokens": ${input}, "output_tokens": ${tokens('output')}, ` +
          `"num_model_requests": ${Math.max(1, Math.round(input / 2400))}, "project_id": ${JSON.stringify(openaiProjectId(s.project))}, ` +
          `"user_id": null, "api_key_id": null, "model": ${JSON.stringify(s.model.meter)}, "batch": null, "service_tier": null, ` +
          `"input_cached_tokens": ${tokens('cacheRead')}, "input_audio_tokens": 0, "output_audio_tokens": 0}`,
      );
    }
    usageBuckets.push(bucket(usageResults));

    const costResults = lines.map(
      (u) =>
        `    {"object": "organization.costs.result", "amount": {"value": ${exactCostText(u.tokens, u.pricePerMTokMicros)}, "currency": "usd"}, ` +
        `"line_item": ${JSON.stringify(`${u.stream.model.meter}, ${LINE_ITEM_KIND[u.kind]}`)}, "project_id": ${JSON.stringify(openaiProjectId(u.stream.project))}, ` +
        `"organization_id": ${JSON.stringify(OPENAI_ORGANISATION_ID)}, "quantity": ${u.tokens}, "quantity_unit": "tokens"}`,
    );
    costBuckets.push(bucket(costResults));
  }
  const page = (buckets: string[]) => `{"object": "page", "data": [\n${buckets.join(',\n')}\n], "has_more": false, "next_page": null}\n`;
  return [
    { name: `northwind-openai-usage-completions-${range}.json`, data: page(usageBuckets) },
    { name: `northwind-openai-costs-${range}.json`, data: page(costBuckets) },
  ];
}
