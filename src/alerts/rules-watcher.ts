import { stat } from 'node:fs/promises';
import { ConfigError, formatIssue } from '../config/format-issues';
import { loadSettings } from '../config/load-settings';
import type { Settings } from '../config/schema';

export type AlertRules = Settings['alerts']['rules'];

export interface RulesWatcher {
  /** Checks the file now (also runs every pollMs). Resolves true when new rules were applied. */
  check(): Promise<boolean>;
  close(): void;
}

/**
 * Hot reload of `alerts.rules` (edited by analysts in settings.yaml or through the API): polls the file's mtime and
 * size, re-validates the whole file, and hands over the new rules. A bad edit is reported and the rules in force
 * stay.
 */
export function watchAlertRules(path: string, opts: { pollMs: number; onRules(rules: AlertRules): void; onError(message: string): void }): RulesWatcher {
  let seen = '';
  let last = '';
  const check = async (): Promise<boolean> => {
    const st = await stat(path).catch(() => undefined);
    const sig = st ? `${st.mtimeMs}:${st.size}` : 'missing';
    if (sig === seen) return false;
    seen = sig;
    try {
      const rules = loadSettings(path).alerts.rules;
      const text = JSON.stringify(rules);
      if (text === last) return false;
      const first = last === '';
      last = text;
      if (!first) opts.onRules(rules);
      return !first;
    } catch (err) {
      opts.onError(
        err instanceof ConfigError
          ? `${path} rejected, keeping the alert rules in force:\n${err.issues.map((i) => `  ${formatIssue(i)}`).join('\n')}`
          : `${path}: ${(err as Error).message}`,
      );
      return false;
    }
  };
  void check();
  const timer = setInterval(() => void check(), opts.pollMs);
  timer.unref();
  return { check, close: () => clearInterval(timer) };
}
