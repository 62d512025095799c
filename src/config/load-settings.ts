import { existsSync } from 'node:fs';
import { settingsSchema, type Settings } from './schema';
import { ConfigError } from './format-issues';
import { parseYamlWith, readConfigFileSync } from './load-sources';

/** The variable behind a setting, named in errors about a bad value that came from the environment. */
const ENV_OF: Record<string, string> = {
  redisUrl: 'REDIS_URL',
  mongoUrl: 'MONGO_URL',
  mongoDb: 'MONGO_DB',
  postgresUrl: 'HYDRAWATCH_PG_URL',
  dataDir: 'HYDRAWATCH_DATA_DIR',
  'alerts.smtpUrl': 'SMTP_URL',
  'log.level': 'HYDRAWATCH_LOG_LEVEL',
  'log.format': 'HYDRAWATCH_LOG_FORMAT',
  'metrics.port': 'HYDRAWATCH_METRICS_PORT',
  'telegramApi.apiId': 'HYDRAWATCH_TG_API_ID',
  'telegramApi.apiHash': 'HYDRAWATCH_TG_API_HASH',
};

/**
 * Global settings: `config/settings.yaml` (optional; missing file → defaults), then env overrides:
 * REDIS_URL, MONGO_URL, MONGO_DB, HYDRAWATCH_PG_URL, HYDRAWATCH_DATA_DIR, SMTP_URL, HYDRAWATCH_LOG_LEVEL,
 * HYDRAWATCH_LOG_FORMAT, HYDRAWATCH_METRICS_PORT, HYDRAWATCH_TG_API_ID, HYDRAWATCH_TG_API_HASH (either one turns the
 * Telegram API collector on).
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
  const merged = {
    ...settings,
    ...over,
    ...(env.SMTP_URL ? { alerts: { ...settings.alerts, smtpUrl: env.SMTP_URL } } : {}),
    log: {
      ...settings.log,
      ...(env.HYDRAWATCH_LOG_LEVEL ? { level: env.HYDRAWATCH_LOG_LEVEL } : {}),
      ...(env.HYDRAWATCH_LOG_FORMAT ? { format: env.HYDRAWATCH_LOG_FORMAT } : {}),
    },
    metrics: { ...settings.metrics, ...(env.HYDRAWATCH_METRICS_PORT ? { port: Number(env.HYDRAWATCH_METRICS_PORT) } : {}) },
    ...telegramApiFromEnv(settings, env),
  };
  const check = settingsSchema.safeParse(merged);
  if (!check.success) {
    throw new ConfigError(
      check.error.issues.map((i) => ({
        file: '(environment)',
        line: 0,
        column: 0,
        path: `${i.path.join('.')}${ENV_OF[i.path.join('.')] ? ` (${ENV_OF[i.path.join('.')]})` : ''}`,
        message: i.message,
      })),
    );
  }
  return check.data;
}

/** `telegramApi` with the environment's api_id and api_hash over the file's (a value that is not a number stays a string, refused naming the variable). */
function telegramApiFromEnv(settings: Settings, env: NodeJS.ProcessEnv): { telegramApi?: Record<string, unknown> } {
  const id = env.HYDRAWATCH_TG_API_ID?.trim();
  const hash = env.HYDRAWATCH_TG_API_HASH?.trim();
  if (!id && !hash) return settings.telegramApi ? { telegramApi: settings.telegramApi } : {};
  return {
    telegramApi: {
      ...(settings.telegramApi ?? {}),
      ...(id ? { apiId: /^\d+$/.test(id) ? Number(id) : id } : {}),
      ...(hash ? { apiHash: hash } : {}),
    },
  };
}
