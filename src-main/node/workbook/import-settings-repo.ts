import type { Database } from 'better-sqlite3';
import { DomainError } from '../../common/errors.ts';
import { compileCostCentreRules, type CostCentreRule, type CostCentreRuleField } from '../../common/usage/cost-centre-rules.ts';
import { recogniseModel, cleanModelText } from '../../common/usage/models.ts';
import { redefineDims } from './usage-dims-repo.ts';

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
  return redefineDims(db, (dim) => {
    const source = dim.cost_centre_source ?? dim.cost_centre;
    const ruled = match({ project: dim.project, providerAccount: dim.provider_account, provider: dim.provider, model: dim.model, costCentre: source });
    const target = ruled ?? source;
    if (target === dim.cost_centre) return undefined;
    return { ...dim, cost_centre: target, cost_centre_source: ruled === undefined ? null : source };
  });
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
  return redefineDims(db, (dim) => {
    const recognised = recogniseModel(dim.model_raw) ?? cleanModelText(dim.model_raw);
    const target = map.get(dim.model_raw.trim().toLowerCase()) ?? map.get(recognised.toLowerCase()) ?? recognised;
    return target === dim.model ? undefined : { ...dim, model: target };
  });
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
