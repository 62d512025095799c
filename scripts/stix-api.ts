/**
 * The API as scripts/check-stix.sh checks it: a fresh database on MONGO_URL seeded with the synthetic research data
 * and a video (test/support/stix-seed.ts), a researcher token from HYDRAWATCH_STIX_TOKEN, TLP amber. Prints the base
 * URL on its first stdout line; drops the database on SIGTERM.
 */
import { seedStixDb } from '../test/support/stix-seed';
import { runSeededApi } from './seeded-api';

runSeededApi({ name: 'stix', tokenEnv: 'HYDRAWATCH_STIX_TOKEN', role: 'researcher', seed: seedStixDb, settings: { share: { tlp: 'amber' } } });
