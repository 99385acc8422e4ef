import type { Database } from 'better-sqlite3';

/**
 * The dimensions of usage lines (see migration 0009): each distinct combination of the texts a bill repeats on
 * every line is stored once in `usage_dims`, and a line (`usage_line_facts`) holds its `dim_id`.
 */
export const DIM_COLUMNS = [
  'provider', 'model', 'model_raw', 'token_kind', 'charge_kind', 'currency', 'cost_centre', 'provider_account', 'project',
  'measure', 'pricing_tier', 'cost_centre_source',
] as const;
export type DimColumn = (typeof DIM_COLUMNS)[number];
/** A dimension's values as the `usage_lines` view shows them (`cost_centre_source` NULL when no rule overrides). */
export type UsageDim = { [K in Exclude<DimColumn, 'cost_centre_source'>]: string } & { cost_centre_source: string | null };

const STORED_COLUMNS = [...DIM_COLUMNS, 'cost_centre_overridden'] as const;
const SAME_DIM = STORED_COLUMNS.map((c) => `${c} = ?`).join(' AND ');

/** The stored form: `cost_centre_source` as text with a flag, since a unique index never finds two NULLs equal. */
function storedValues(dim: UsageDim): (string | number)[] {
  return [
    dim.provider, dim.model, dim.model_raw, dim.token_kind, dim.charge_kind, dim.currency, dim.cost_centre, dim.provider_account,
    dim.project, dim.measure, dim.pricing_tier, dim.cost_centre_source ?? '', dim.cost_centre_source === null ? 0 : 1,
  ];
}

const dimKey = (dim: UsageDim): string => storedValues(dim).join('\u0000');

/** Finds or adds dimensions, remembering the ones it has seen (a workbook has a few thousand at most). */
export function createDimStore(db: Database) {
  const insert = db.prepare(`INSERT OR IGNORE INTO usage_dims (${STORED_COLUMNS.join(', ')}) VALUES (${STORED_COLUMNS.map(() => '?').join(', ')})`);
  const find = db.prepare(`SELECT dim_id FROM usage_dims WHERE ${SAME_DIM}`).pluck();
  const known = new Map<string, number>();
  return {
    /** The id of `dim`, added to `usage_dims` when new (in the caller's transaction). */
    idOf(dim: UsageDim): number {
      const key = dimKey(dim);
      let id = known.get(key);
      if (id === undefined) {
        const values = storedValues(dim);
        insert.run(values);
        id = find.get(values) as number;
        known.set(key, id);
      }
      return id;
    },
  };
}

type StoredDim = UsageDim & { dim_id: number };

/**
 * Re-derives dimensions after a rule or alias changed: `change` returns a dimension's new values (or undefined
 * to keep it); it must give a re-derived dimension back unchanged (values derived from the dimension's own
 * source texts are), so that a dimension merged into another never needs the other's old values. A dimension that becomes equal to another one is merged into it (its lines take the other's id;
 * the emptied dimension stays, unused). Returns how many lines changed, in the caller's transaction.
 */
export function redefineDims(db: Database, change: (dim: UsageDim) => UsageDim | undefined): number {
  const dims = db
    .prepare(
      `SELECT dim_id, ${DIM_COLUMNS.filter((c) => c !== 'cost_centre_source').join(', ')},
         CASE WHEN cost_centre_overridden THEN cost_centre_source END AS cost_centre_source
       FROM usage_dims ORDER BY dim_id`,
    )
    .all() as StoredDim[];
  const find = db.prepare(`SELECT dim_id FROM usage_dims WHERE ${SAME_DIM}`).pluck();
  const update = db.prepare(`UPDATE usage_dims SET ${STORED_COLUMNS.map((c) => `${c} = ?`).join(', ')} WHERE dim_id = ?`);
  const merges: [from: number, to: number][] = [];
  const changed: number[] = [];
  for (const { dim_id: id, ...dim } of dims) {
    const next = change(dim);
    if (!next || dimKey(next) === dimKey(dim)) continue;
    const values = storedValues(next);
    const other = find.get(values) as number | undefined;
    if (other === undefined) update.run(...values, id);
    else merges.push([id, other]);
    changed.push(id);
  }
  if (changed.length === 0) return 0;
  db.exec('DROP TABLE IF EXISTS temp.dim_changes; CREATE TEMP TABLE dim_changes (dim_id INTEGER PRIMARY KEY, merged_into INTEGER)');
  const note = db.prepare('INSERT INTO temp.dim_changes (dim_id, merged_into) VALUES (?, ?)');
  const into = new Map(merges);
  for (const id of changed) note.run(id, into.get(id) ?? null);
  const lines = db.prepare('SELECT count(*) FROM usage_line_facts WHERE dim_id IN (SELECT dim_id FROM temp.dim_changes)').pluck().get() as number;
  if (merges.length > 0) {
    db.prepare(
      `UPDATE usage_line_facts SET dim_id = (SELECT merged_into FROM temp.dim_changes c WHERE c.dim_id = usage_line_facts.dim_id)
       WHERE dim_id IN (SELECT dim_id FROM temp.dim_changes WHERE merged_into IS NOT NULL)`,
    ).run();
  }
  db.exec('DROP TABLE temp.dim_changes');
  return lines;
}
