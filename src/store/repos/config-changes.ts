import { collectionOf, type HasDb } from '../db-handle';

/** The audit trail of watch-list and alert-rule edits made through the API (`src/api/routes/watchlist.ts`). */
export const CONFIG_CHANGES = 'config_changes';

export interface ConfigChangeDoc {
  _id: string; // chg:<ISO time>:<random>
  at: Date;
  /** Token name of the analyst who made the change. */
  by: string;
  action: 'source_added' | 'source_replaced' | 'source_removed' | 'alert_rules_replaced';
  target: string;
  value?: unknown;
}

function configChanges(store: HasDb) {
  return collectionOf<ConfigChangeDoc>(store, CONFIG_CHANGES);
}

/** Appends one change (append-only: `_id`s are unique by time and a random part). */
export async function recordConfigChange(store: HasDb, doc: ConfigChangeDoc): Promise<void> {
  await configChanges(store).insertOne(doc);
}

/** The newest `limit` changes, newest first. */
export function latestConfigChanges(store: HasDb, limit: number): Promise<ConfigChangeDoc[]> {
  return configChanges(store).find({}).sort({ at: -1 }).limit(limit).toArray();
}
