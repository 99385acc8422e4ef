import type { Database } from 'better-sqlite3';

/** One entry of the audit log: who did what, when, with the state before and after as JSON. */
export type AuditEntry = {
  atMs: number;
  actor: string;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
};

type AuditRow = {
  at_ms: number;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  before_json: string | null;
  after_json: string | null;
};

export function appendAudit(db: Database, entry: AuditEntry): void {
  db.prepare(
    `INSERT INTO audit_log (at_ms, actor, action, entity, entity_id, before_json, after_json)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    entry.atMs,
    entry.actor,
    entry.action,
    entry.entity,
    entry.entityId,
    entry.before === undefined ? null : JSON.stringify(entry.before),
    entry.after === undefined ? null : JSON.stringify(entry.after),
  );
}

export function listAudit(db: Database, limit = 100): AuditEntry[] {
  const rows = db.prepare('SELECT * FROM audit_log ORDER BY entry_id DESC LIMIT ?').all(limit) as AuditRow[];
  return rows.map((r) => ({
    atMs: r.at_ms,
    actor: r.actor,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    before: r.before_json === null ? null : JSON.parse(r.before_json),
    after: r.after_json === null ? null : JSON.parse(r.after_json),
  }));
}
