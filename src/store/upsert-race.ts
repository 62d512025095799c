/**
 * Two upserts of the same new `_id` at once: both find nothing, both insert, and the second fails with E11000
 * (FerretDB never retries it; MongoDB only in some cases). Run again, the upsert finds the document and updates it,
 * which is what it meant to do. For upserts that several processes may send together (start-up markers, version
 * bumps): workers started at once used to die on `E11000 … rollup_versions` and `… meta`.
 */
export async function upsertRacing<R>(write: () => Promise<R>, attempts = 3): Promise<R> {
  for (let i = 1; ; i++) {
    try {
      return await write();
    } catch (err) {
      if ((err as { code?: number }).code !== 11000 || i >= attempts) throw err;
    }
  }
}
