import type { Database } from 'better-sqlite3';
import { DomainError } from '../../common/errors.ts';
import { policyIssues, type HedgePolicy, type SavedHedgePolicy } from '../../common/hedging/policy.ts';

/** A saved version of a hedge policy. Proposals refer to `policyId`, one exact version. */
export type HedgePolicyRecord = { policyId: number; version: number; createdAtMs: number; createdBy: string; policy: SavedHedgePolicy };

type PolicyRow = { policy_id: number; name: string; version: number; policy_json: string; created_at_ms: number; created_by: string };

function toRecord(r: PolicyRow): HedgePolicyRecord {
  return { policyId: r.policy_id, version: r.version, createdAtMs: r.created_at_ms, createdBy: r.created_by, policy: JSON.parse(r.policy_json) as SavedHedgePolicy };
}

/** The latest version of every policy, by name. */
export function listHedgePolicies(db: Database): HedgePolicyRecord[] {
  const rows = db
    .prepare(
      `SELECT p.* FROM hedge_policies p
       JOIN (SELECT name, MAX(version) AS version FROM hedge_policies GROUP BY name) latest USING (name, version)
       ORDER BY p.name`,
    )
    .all() as PolicyRow[];
  return rows.map(toRecord);
}

export function listPolicyVersions(db: Database, name: string): HedgePolicyRecord[] {
  return (db.prepare('SELECT * FROM hedge_policies WHERE name = ? ORDER BY version DESC').all(name) as PolicyRow[]).map(toRecord);
}

export function getHedgePolicy(db: Database, policyId: number): HedgePolicyRecord {
  const row = db.prepare('SELECT * FROM hedge_policies WHERE policy_id = ?').get(policyId) as PolicyRow | undefined;
  if (!row) throw new DomainError('not-found', `No hedge policy #${policyId} in this workbook`);
  return toRecord(row);
}

/**
 * Saves `policy` as the next version of its name after validation (bands required). Saving a policy equal to
 * the latest version writes nothing and returns that version. Call inside a transaction with the audit entry.
 */
export function saveHedgePolicy(db: Database, policy: HedgePolicy, meta: { atMs: number; actor: string }): { record: HedgePolicyRecord; created: boolean } {
  const issues = policyIssues(policy, { requireBands: true });
  const allowed = new Set(db.prepare('SELECT code FROM instrument_products').pluck().all() as string[]);
  policy.allowedInstruments.forEach((code, i) => {
    if (code.trim() && !allowed.has(code)) issues.push({ path: `allowedInstruments[${i}]`, message: `no instrument ${code} in this workbook` });
  });
  if (issues.length > 0) {
    throw new DomainError('invalid-input', `The hedge policy cannot be saved: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, issues);
  }
  const normalised: SavedHedgePolicy = {
    name: policy.name.trim(),
    buckets: [...policy.buckets]
      .sort((a, b) => a.fromPeriod - b.fromPeriod)
      .map((b) => ({ fromPeriod: b.fromPeriod, toPeriod: b.toPeriod, ratio: b.ratio, minRatio: b.minRatio!, maxRatio: b.maxRatio! })),
    quantile: policy.quantile,
    rounding: policy.rounding,
    ratioMethod: policy.ratioMethod,
    limits: { maxContracts: policy.limits.maxContracts, marginBudgetMicros: policy.limits.marginBudgetMicros },
    allowedInstruments: [...new Set(policy.allowedInstruments)].sort(),
  };
  const json = JSON.stringify(normalised);
  const latest = db.prepare('SELECT * FROM hedge_policies WHERE name = ? ORDER BY version DESC LIMIT 1').get(normalised.name) as PolicyRow | undefined;
  if (latest && latest.policy_json === json) return { record: toRecord(latest), created: false };
  const info = db
    .prepare('INSERT INTO hedge_policies (name, version, policy_json, created_at_ms, created_by) VALUES (?, ?, ?, ?, ?)')
    .run(normalised.name, (latest?.version ?? 0) + 1, json, meta.atMs, meta.actor);
  return { record: getHedgePolicy(db, Number(info.lastInsertRowid)), created: true };
}
