import type { Database } from 'better-sqlite3';
import { DomainError } from '../../common/errors.ts';
import { compileCostCentreRules, type CostCentreRule, type CostCentreRuleField } from '../../common/usage/cost-centre-rules.ts';
import { recogniseModel, cleanModelText } from '../../common/usage/models.ts';

/** The user's cost-centre rules, model aliases and saved column mappings: the import settings kept in the workbook. */

export function listCostCentreRules(db: Database): CostCentreRule[] {
  const rows = db.prepare('SELECT rule_id, priority, field, pattern, cost_centre FROM cost_centre_rules ORDER BY priority, rule_id').all() as {
    rule_id: number;
    priority: number;
    field: CostCentreRuleField;
    pattern: string;
    cost_centre: string;
  }[];
  return rows.map((r) => ({ ruleId: r.rule_id, priority: r.priority, field: r.field, pattern: r.pattern, costCentre: r.cost_centre }));
}

/** Replaces the whole rule list (the page edits it as a table) and applies it to every stored line. */
export function replaceCostCentreRules(db: Database, rules: readonly CostCentreRule[]): number {
  db.prepare('DELETE FROM cost_centre_rules').run();
  const insert = db.prepare('INSERT INTO cost_centre_rules (priority, field, pattern, cost_centre) VALUES (?, ?, ?, ?)');
  for (const r of rules) {
    if (!r.pattern.trim() || !r.costCentre.trim()) throw new DomainError('invalid-input', 'a rule needs a pattern and a cost centre');
    insert.run(r.priority, r.field, r.pattern.trim(), r.costCentre.trim());
  }
  return applyCostCentreRules(db);
}

/**
 * Re-derives every line's cost centre: the first matching rule, else the cost centre read from the file
 * (kept in `cost_centre_source` while a rule overrides it). Returns the number of lines changed.
 */
export function applyCostCentreRules(db: Database): number {
  const match = compileCostCentreRules(listCostCentreRules(db));
  const groups = db
    .prepare(
      `SELECT project, provider_account, provider, model, COALESCE(cost_centre_source, cost_centre) AS source, cost_centre
       FROM usage_lines GROUP BY project, provider_account, provider, model, source, cost_centre`,
    )
    .all() as { project: string; provider_account: string; provider: string; model: string; source: string; cost_centre: string }[];
  const update = db.prepare(
    `UPDATE usage_lines SET cost_centre = ?, cost_centre_source = ?
     WHERE project = ? AND provider_account = ? AND provider = ? AND model = ? AND COALESCE(cost_centre_source, cost_centre) = ? AND cost_centre = ?`,
  );
  let changed = 0;
  for (const g of groups) {
    const ruled = match({ project: g.project, providerAccount: g.provider_account, provider: g.provider, model: g.model, costCentre: g.source });
    const target = ruled ?? g.source;
    if (target === g.cost_centre) continue;
    changed += update.run(target, ruled === undefined ? null : g.source, g.project, g.provider_account, g.provider, g.model, g.source, g.cost_centre).changes;
  }
  return changed;
}

export function listModelAliases(db: Database): { alias: string; canonical: string }[] {
  return db.prepare('SELECT alias, canonical FROM model_aliases ORDER BY alias').all() as { alias: string; canonical: string }[];
}

/** Replaces the alias table and re-derives the canonical model of every stored line from its raw text. */
export function replaceModelAliases(db: Database, aliases: readonly { alias: string; canonical: string }[]): number {
  db.prepare('DELETE FROM model_aliases').run();
  const insert = db.prepare('INSERT INTO model_aliases (alias, canonical) VALUES (?, ?) ON CONFLICT(alias) DO UPDATE SET canonical = excluded.canonical');
  for (const a of aliases) {
    if (!a.alias.trim() || !a.canonical.trim()) throw new DomainError('invalid-input', 'an alias needs a model text and a canonical model');
    insert.run(a.alias.trim().toLowerCase(), a.canonical.trim());
  }
  const map = new Map(listModelAliases(db).map((a) => [a.alias, a.canonical]));
  const raws = db.prepare('SELECT DISTINCT model_raw, model FROM usage_lines').all() as { model_raw: string; model: string }[];
  const update = db.prepare('UPDATE usage_lines SET model = ? WHERE model_raw = ? AND model = ?');
  let changed = 0;
  for (const r of raws) {
    const recognised = recogniseModel(r.model_raw) ?? cleanModelText(r.model_raw);
    const target = map.get(r.model_raw.trim().toLowerCase()) ?? map.get(recognised.toLowerCase()) ?? recognised;
    if (target !== r.model) changed += update.run(target, r.model_raw, r.model).changes;
  }
  return changed;
}

/** A header's signature: its column names, normalised and in order, so the same export layout finds its mapping. */
export function headerSignature(header: readonly string[]): string {
  return header.map((h) => h.trim().toLowerCase()).join('\u001f');
}

export function findColumnMapping(db: Database, header: readonly string[]): { name: string; mappingJson: string } | undefined {
  const row = db.prepare('SELECT name, mapping_json FROM column_mappings WHERE header_signature = ?').get(headerSignature(header)) as
    | { name: string; mapping_json: string }
    | undefined;
  return row && { name: row.name, mappingJson: row.mapping_json };
}

export function saveColumnMapping(db: Database, header: readonly string[], name: string, mappingJson: string, atMs: number): void {
  db.prepare(
    `INSERT INTO column_mappings (header_signature, name, mapping_json, saved_at_ms) VALUES (?, ?, ?, ?)
     ON CONFLICT(header_signature) DO UPDATE SET name = excluded.name, mapping_json = excluded.mapping_json, saved_at_ms = excluded.saved_at_ms`,
  ).run(headerSignature(header), name, mappingJson, atMs);
}

export function listColumnMappings(db: Database): { name: string; header: string[]; mappingJson: string }[] {
  const rows = db.prepare('SELECT header_signature, name, mapping_json FROM column_mappings ORDER BY name').all() as {
    header_signature: string;
    name: string;
    mapping_json: string;
  }[];
  return rows.map((r) => ({ name: r.name, header: r.header_signature.split('\u001f'), mappingJson: r.mapping_json }));
}
