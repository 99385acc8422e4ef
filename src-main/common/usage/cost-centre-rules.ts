/**
 * A user's rule assigning a cost centre: when `field` of a line matches `pattern` (case-insensitive; `*` matches
 * any run of characters), the line's cost centre becomes `costCentre`. Rules are tried by ascending `priority`;
 * the first that matches wins; a line no rule matches keeps the cost centre read from its file (tags, project,
 * subscription, workspace…).
 * Example: { field: 'project', pattern: 'proj_support*', costCentre: 'Customer Support' }.
 */
export type CostCentreRule = {
  ruleId?: number;
  priority: number;
  field: CostCentreRuleField;
  pattern: string;
  costCentre: string;
};

export const COST_CENTRE_RULE_FIELDS = ['project', 'provider_account', 'provider', 'model', 'cost_centre'] as const;
export type CostCentreRuleField = (typeof COST_CENTRE_RULE_FIELDS)[number];

export type RuleSubject = { project: string; providerAccount: string; provider: string; model: string; costCentre: string };

/** Compiles rules once for an import: returns the cost centre for a line, or `undefined` when no rule matches. */
export function compileCostCentreRules(rules: readonly CostCentreRule[]): (subject: RuleSubject) => string | undefined {
  const compiled = [...rules]
    .sort((a, b) => a.priority - b.priority || (a.ruleId ?? 0) - (b.ruleId ?? 0))
    .map((r) => ({ field: r.field, test: globToRegExp(r.pattern), costCentre: r.costCentre }));
  if (compiled.length === 0) return () => undefined;
  return (s) => {
    for (const r of compiled) {
      const value =
        r.field === 'project' ? s.project
        : r.field === 'provider_account' ? s.providerAccount
        : r.field === 'provider' ? s.provider
        : r.field === 'model' ? s.model
        : s.costCentre;
      if (r.test.test(value)) return r.costCentre;
    }
    return undefined;
  };
}

export function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.trim().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}

/**
 * The model alias table: maps a model text (as found in exports, or as recognised) to the canonical model the
 * user wants it counted as — "gpt-4o-2024-11-20-custom-ft" → "gpt-4o", "Claude 3 Haiku (Amazon Bedrock Edition)"
 * → "claude-3-haiku". Keys are matched case-insensitively on the raw text first, then on the recognised model.
 */
export function compileModelAliases(aliases: readonly { alias: string; canonical: string }[]): (raw: string, recognised: string) => string {
  const map = new Map(aliases.map((a) => [a.alias.trim().toLowerCase(), a.canonical.trim()]));
  if (map.size === 0) return (_raw, recognised) => recognised;
  return (raw, recognised) => map.get(raw.trim().toLowerCase()) ?? map.get(recognised.toLowerCase()) ?? recognised;
}
