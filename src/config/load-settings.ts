import { existsSync } from 'node:fs';
import { settingsSchema, type Settings } from './schema';
import { ConfigError } from './format-issues';
import { parseYamlWith, readConfigFileSync } from './load-sources';

/**
 * Global settings: `config/settings.yaml` (optional; missing file → defaults), then env overrides:
 * REDIS_URL, MONGO_URL, MONGO_DB, HYDRAWATCH_PG_URL, HYDRAWATCH_DATA_DIR, SMTP_URL.
 */
export function loadSettings(path: string | undefined, env: NodeJS.ProcessEnv = process.env): Settings {
  let settings: Settings;
  if (path && existsSync(path)) {
    const r = parseYamlWith(readConfigFileSync(path), path, settingsSchema);
    if (!r.ok) throw new ConfigError(r.errors);
    settings = r.value;
  } else {
    settings = settingsSchema.parse({});
  }
  const over: Partial<Settings> = {
    ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
    ...(env.MONGO_URL ? { mongoUrl: env.MONGO_URL } : {}),
    ...(env.MONGO_DB ? { mongoDb: env.MONGO_DB } : {}),
    ...(env.HYDRAWATCH_PG_URL ? { postgresUrl: env.HYDRAWATCH_PG_URL } : {}),
    ...(env.HYDRAWATCH_DATA_DIR ? { dataDir: env.HYDRAWATCH_DATA_DIR } : {}),
  };
  const merged = { ...settings, ...over, ...(env.SMTP_URL ? { alerts: { ...settings.alerts, smtpUrl: env.SMTP_URL } } : {}) };
  const check = settingsSchema.safeParse(merged);
  if (!check.success) {
    throw new ConfigError(check.error.issues.map((i) => ({ file: '(environment)', line: 0, column: 0, path: i.path.join('.'), message: i.message })));
  }
  return check.data;
}
