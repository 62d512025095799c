/**
 * The API as scripts/schemathesis.sh tests it: a fresh database on MONGO_URL seeded with the synthetic research
 * data (test/support/research-seed.ts), config files in a temporary folder, an analyst token from
 * HYDRAWATCH_SCHEMATHESIS_TOKEN. Prints the base URL on its first stdout line; drops the database on SIGTERM.
 */
import { seedResearchDb } from '../test/support/research-seed';
import { runSeededApi } from './seeded-api';

runSeededApi({
  name: 'schemathesis',
  tokenEnv: 'HYDRAWATCH_SCHEMATHESIS_TOKEN',
  role: 'analyst',
  seed: seedResearchDb,
  sourcesYaml: 'sources:\n  - id: alpha\n    platform: telegram\n    handle: alpha_news\n    schedule: "*/10 * * * *"\n    tags: [net-a]\n',
  // schemathesis sends many requests with the token: no wrong-token throttle in the way of the checks
  settings: { api: { authFailures: { burst: 100000, perMinute: 100000 } } },
  // the hash lookup follows the fingerprint feed in Redis (REDIS_URL, set by scripts/test.sh); without it: 503
  redis: true,
});
