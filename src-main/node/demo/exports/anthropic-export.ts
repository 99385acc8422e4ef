import { addDays, type IsoDate } from '../../../common/time/iso-date.ts';
import { demoId, exactCostText, groupBy, type DemoExport, type DemoKind, type DemoUsage } from './demo-usage.ts';

/**
 * Anthropic as an organisation's admin would pull it (shared/reference/invoice-formats.md §3):
 * - the Messages usage report, `GET /v1/organizations/usage_report/messages?bucket_width=1d&group_by[]=workspace_id&group_by[]=model`:
 *   tokens only, input fields disjoint (uncached, cache read, cache creation 5m/1h);
 * - the cost report, `GET /v1/organizations/cost_report?group_by[]=workspace_id&group_by[]=description`: `amount` in
 *   **cents** as a decimal string ("123.45" = $1.2345), no token counts.
 * Workspaces are ids (`wrkspc_01…`); the organisation maps them to cost centres with rules.
 */
export function anthropicWorkspaceId(project: string): string {
  return demoId('wrkspc_01', project, 22);
}

const TOKEN_TYPE: Record<DemoKind, { tokenType: string; description: string }> = {
  input: { tokenType: 'uncached_input_tokens', description: 'Input Tokens' },
  cacheRead: { tokenType: 'cache_read_input_tokens', description: 'Cache Read Input Tokens' },
  cacheWrite: { tokenType: 'cache_creation.ephemeral_5m_input_tokens', description: 'Cache Write Input Tokens (5m)' },
  output: { tokenType: 'output_tokens', description: 'Output Tokens' },
};

export function writeAnthropicExports(usage: readonly DemoUsage[], range: string): DemoExport[] {
  const usageBuckets: string[] = [];
  const costBuckets: string[] = [];
  for (const [date, lines] of groupBy(usage, (u) => u.date)) {
    const bucket = (results: string[]) =>
      `  {"starting_at": "${date}T00:00:00Z", "ending_at": "${addDays(date as IsoDate, 1)}T00:00:00Z", "results": [\n${results.join(',\n')}\n  ]}`;
    const usageResults: string[] = [];
    for (const [, streamLines] of groupBy(lines, (u) => `${u.stream.project}|${u.stream.model.meter}`)) {
      const s = streamLines[0]!.stream;
      const tokens = (kind: DemoKind) => streamLines.filter((u) => u.kind === kind).reduce((n, u) => n + u.tokens, 0);
      usageResults.push(
        `    {"uncached_input_tokens": ${tokens('input')}, "cache_creation": {"ephemeral_1h_input_tokens": 0, "ephemeral_5m_input_tokens": ${tokens('cacheWrite')}}, ` +
          `"cache_read_input_tokens": ${tokens('cacheRead')}, "output_tokens": ${tokens('output')}, "server_tool_use": {"web_search_requests": 0}, ` +
          `"api_key_id": null, "workspace_id": ${JSON.stringify(anthropicWorkspaceId(s.project))}, "model": ${JSON.stringify(s.model.meter)}, ` +
          `"service_tier": "standard", "context_window": "0-200k", "inference_geo": "not_available"}`,
      );
    }
    usageBuckets.push(bucket(usageResults));
    costBuckets.push(
      bucket(
        lines.map((u) => {
          const t = TOKEN_TYPE[u.kind];
          return (
            `    {"currency": "USD", "amount": "${exactCostText(u.tokens, u.pricePerMTokMicros, 2)}", "workspace_id": ${JSON.stringify(anthropicWorkspaceId(u.stream.project))}, ` +
            `"description": ${JSON.stringify(`${u.stream.model.displayName ?? u.stream.model.meter} Usage - ${t.description}`)}, "cost_type": "tokens", ` +
            `"context_window": "0-200k", "model": ${JSON.stringify(u.stream.model.meter)}, "service_tier": "standard", "token_type": "${t.tokenType}", "inference_geo": "not_available"}`
          );
        }),
      ),
    );
  }
  const page = (buckets: string[]) => `{"data": [\n${buckets.join(',\n')}\n], "has_more": false, "next_page": null}\n`;
  return [
    { name: `northwind-anthropic-usage-report-${range}.json`, data: page(usageBuckets) },
    { name: `northwind-anthropic-cost-report-${range}.json`, data: page(costBuckets) },
  ];
}

