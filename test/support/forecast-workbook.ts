import type { Database } from 'better-sqlite3';

/**
 * Two providers from 2024-11 to 2026-10 (the test clock is 2026-11-24): openai input tokens growing 2 % a month at
 * $2.50 per million, anthropic output tokens flat at $15 per million. One line per provider on the 1st and one on
 * the last day of each month.
 */
export function seedForecastUsage(db: Database, options: { lastDate?: string } = {}): void {
  db.prepare(
    `INSERT INTO import_batches (batch_id, file_name, file_sha256, file_size_bytes, format, format_version, imported_at_ms,
       rows_read, rows_imported, rows_duplicate, rows_skipped, rows_rejected, report_json)
     VALUES (1, 'test.csv', 'sha', 0, 'focus', '1.2', 0, 0, 0, 0, 0, 0, '{}')`,
  ).run();
  const insert = db.prepare(
    `INSERT INTO usage_lines (batch_id, source_row, natural_key, period_start_ms, period_end_ms, usage_date, provider, model, model_raw,
       token_kind, charge_kind, tokens, cost_micros, currency, cost_base_micros, cost_centre, provider_account, project)
     VALUES (1, ?, ?, 0, 0, ?, ?, ?, ?, ?, 'usage', ?, ?, 'USD', ?, 'Engineering', 'acct', 'p')`,
  );
  let row = 0;
  for (let i = 0; i < 24; i++) {
    const year = 2024 + Math.floor((10 + i) / 12);
    const month = ((10 + i) % 12) + 1;
    const mm = String(month).padStart(2, '0');
    const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
    for (const day of [1, last]) {
      const date = `${year}-${mm}-${String(day).padStart(2, '0')}`;
      const openaiTokens = Math.round(1e9 * 1.02 ** i * (1 + 0.03 * Math.sin(i * 1.7)));
      const anthropicTokens = Math.round(2e8 * (1 + 0.05 * Math.cos(i * 2.3)));
      for (const [provider, model, kind, tokens, price] of [
        ['openai', 'gpt-4o', 'input', openaiTokens, 2.5],
        ['anthropic', 'claude-sonnet-4', 'output', anthropicTokens, 15],
      ] as const) {
        const cost = Math.round(tokens * price);
        row++;
        insert.run(row, Buffer.from(`k${row}`), date, provider, model, model, kind, tokens, cost, cost);
      }
    }
  }
  if (options.lastDate) {
    row++;
    insert.run(row, Buffer.from(`k${row}`), options.lastDate, 'openai', 'gpt-4o', 'gpt-4o', 'input', 5e8, 1.25e9, 1.25e9);
  }
}

