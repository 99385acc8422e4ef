import { COST_CENTRE_RULE_FIELDS, type CostCentreRuleField } from './cost-centre-rules.ts';

export type EditableRule = { priority: number; field: CostCentreRuleField; pattern: string; costCentre: string };
export type EditableAlias = { alias: string; canonical: string };

/**
 * What is wrong with an edited rule list and alias table, one message per problem, naming the row (1-based, as
 * shown) and the field, so the page can say it before anything is saved. Empty when they can be saved.
 * - A rule needs a whole-number priority, a known field, a pattern and a cost centre.
 * - Two rules with the same priority, field and pattern: the second could never apply.
 * - An alias needs the model text and the model to count it as; the same model text twice (case-insensitive,
 *   as matching is) would silently keep only one.
 */
export function checkImportRules(rules: readonly EditableRule[], aliases: readonly EditableAlias[]): string[] {
  const problems: string[] = [];
  const seenRules = new Map<string, number>();
  rules.forEach((r, i) => {
    const at = `Rule ${i + 1}`;
    if (!Number.isInteger(r.priority)) problems.push(`${at}: the priority must be a whole number`);
    if (!COST_CENTRE_RULE_FIELDS.includes(r.field)) problems.push(`${at}: unknown field "${r.field}"`);
    if (!r.pattern.trim()) problems.push(`${at}: the pattern is empty`);
    if (!r.costCentre.trim()) problems.push(`${at}: the cost centre is empty`);
    const key = `${r.priority}|${r.field}|${r.pattern.trim().toLowerCase()}`;
    const first = seenRules.get(key);
    if (first !== undefined && r.pattern.trim()) problems.push(`${at}: the same priority, field and pattern as rule ${first + 1}, so it would never apply`);
    else seenRules.set(key, i);
  });
  const seenAliases = new Map<string, number>();
  aliases.forEach((a, i) => {
    const at = `Model name ${i + 1}`;
    if (!a.alias.trim()) problems.push(`${at}: the model text is empty`);
    if (!a.canonical.trim()) problems.push(`${at}: the model to count it as is empty`);
    const key = a.alias.trim().toLowerCase();
    const first = seenAliases.get(key);
    if (key && first !== undefined) problems.push(`${at}: "${a.alias.trim()}" is already listed as model name ${first + 1}`);
    else if (key) seenAliases.set(key, i);
  });
  return problems;
}
