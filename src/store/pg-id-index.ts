import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

/**
 * FerretDB 1.24 on PostgreSQL looks documents up by `_id` with `(_jsonb -> '_id') @> $1`, which the btree index it
 * creates on `_jsonb -> '_id'` cannot serve: every look-up by `_id` would scan the table. A GIN index on that
 * expression serves `@>`, so hydrawatch adds one to each of the database's tables (idempotent, at start). FerretDB
 * does not know of it and needs no change; on MongoDB nothing of this runs.
 */
export class PgIndexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PgIndexError';
  }
}

function psqlPath(): string {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => existsSync(`${base}/${v}/bin/psql`))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return `${base}/${versions[0]}/bin/psql`;
  }
  return 'psql';
}

/** Pure: the SQL that adds the GIN `_id` index to every FerretDB table of one database (a PostgreSQL schema). */
export function idIndexSql(dbName: string): string {
  const lit = dbName.replace(/'/g, "''");
  return `DO $$
DECLARE t text;
BEGIN
  -- one process at a time (until this block's transaction ends): two concurrent CREATE INDEX IF NOT EXISTS of one
  -- name fail with a unique violation on pg_class (five workers starting together lost one that way)
  PERFORM pg_advisory_xact_lock(hashtext('hydrawatch:id-index:${lit}'));
  IF to_regclass(format('%I._ferretdb_database_metadata', '${lit}')) IS NULL THEN RETURN; END IF;
  FOR t IN EXECUTE format('SELECT _jsonb->>''table'' FROM %I._ferretdb_database_metadata', '${lit}') LOOP
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I.%I USING gin ((_jsonb -> ''_id''))', left(t, 50) || '_hw_id_gin', '${lit}', t);
  END LOOP;
END $$;`;
}

/** The URL for libpq: FerretDB's pool options (`pool_max_conns`…) are not libpq's. */
export function libpqUrl(pgUrl: string): string {
  const u = new URL(pgUrl);
  for (const k of [...u.searchParams.keys()]) if (k.startsWith('pool_')) u.searchParams.delete(k);
  return u.toString();
}

export function ensurePgIdIndexes(pgUrl: string, dbName: string, timeoutMs = 120_000): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(psqlPath(), [libpqUrl(pgUrl), '-v', 'ON_ERROR_STOP=1', '-Atqc', idIndexSql(dbName)], { timeout: timeoutMs }, (err, _out, stderr) => {
      if (err) reject(new PgIndexError(`cannot add the _id indexes to FerretDB's PostgreSQL tables of "${dbName}": ${stderr.trim() || err.message}`));
      else resolve();
    });
  });
}
