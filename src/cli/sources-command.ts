import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument, isSeq, YAMLSeq } from 'yaml';
import { formatIssue, ConfigError } from '../config/format-issues';
import { loadSourcesFile, parseSourcesYaml } from '../config/load-sources';
import { loadSettings } from '../config/load-settings';
import { sourceEgressIssues } from '../config/source-egress';
import { compilePolicy } from '../net/egress/policy';
import { formatTable } from '../research/export-formats';
import { telegramApiProblems } from '../telegram-api/config-check';
import { isPlatform, platformModule, sourceListLabel } from '../../crawlers/registry';

export interface CliIo {
  out(s: string): void;
  err(s: string): void;
  configDir: string;
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** `hydrawatch sources list|validate|add …` */
export async function runSourcesCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...args] = argv;
  const file = flag(args, 'file') ?? join(io.configDir, 'sources.yaml');
  try {
    if (sub === 'list') {
      const sources = await loadSourcesFile(file);
      if (args.includes('--json')) {
        io.out(JSON.stringify(sources, null, 2));
        return 0;
      }
      const rows = [['ID', 'PLATFORM', 'HANDLE/URL', 'SCHEDULE', 'TAGS', 'LANG', 'RATE', 'ENABLED']];
      for (const s of sources) {
        rows.push([
          s.id,
          s.platform,
          sourceListLabel(s),
          s.schedule,
          s.tags.join(','),
          s.language,
          `${s.rateLimit.requests}/${s.rateLimit.perSeconds}s`,
          s.enabled ? 'yes' : 'no',
        ]);
      }
      io.out(formatTable(rows));
      return 0;
    }
    if (sub === 'validate') {
      const sources = await loadSourcesFile(file);
      const settings = loadSettings(join(io.configDir, 'settings.yaml'));
      const refused = sourceEgressIssues(await readFile(file, 'utf8'), file, sources, compilePolicy(settings.net));
      const settingsFile = join(io.configDir, 'settings.yaml');
      const tgApi = (await telegramApiProblems(settings, sources)).map((p) => ({
        file: settingsFile,
        line: 0,
        column: 0,
        path: p.setting,
        message: p.message,
      }));
      if (refused.length || tgApi.length) throw new ConfigError([...refused, ...tgApi]);
      io.out(`${file}: ${sources.length} sources, all valid`);
      return 0;
    }
    if (sub === 'add') {
      const id = flag(args, 'id');
      const platform = flag(args, 'platform') ?? 'telegram';
      const entry: Record<string, unknown> = { id, platform, schedule: flag(args, 'schedule') ?? '*/10 * * * *' };
      for (const f of isPlatform(platform) ? platformModule(platform).addFlags : [{ key: 'url', flag: 'url' }]) {
        const value = flag(args, f.flag);
        if (value !== undefined) entry[f.key] = f.clean ? f.clean(value) : value;
      }
      const tags = flag(args, 'tags');
      if (tags)
        entry.tags = tags
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean);
      const language = flag(args, 'language');
      if (language) entry.language = language;
      const rate = flag(args, 'rate');
      if (rate) {
        const m = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(rate);
        if (!m) throw new Error(`--rate must look like "1/2" (requests/seconds), got "${rate}"`);
        entry.rateLimit = { requests: Number(m[1]), perSeconds: Number(m[2]) };
      }
      const baseUrl = flag(args, 'base-url');
      if (baseUrl) entry.options = { baseUrl };
      const text = await readFile(file, 'utf8').catch(() => 'sources: []\n');
      const doc = parseDocument(text);
      let seq = doc.get('sources');
      if (!isSeq(seq)) {
        seq = new YAMLSeq();
        doc.set('sources', seq);
      }
      (seq as YAMLSeq).add(doc.createNode(entry));
      const next = doc.toString();
      const check = parseSourcesYaml(next, file);
      if (!check.ok) throw new ConfigError(check.errors);
      const policy = compilePolicy(loadSettings(join(io.configDir, 'settings.yaml')).net);
      const refused = sourceEgressIssues(next, file, check.sources, policy, new Set([String(id)]));
      if (refused.length) throw new ConfigError(refused);
      await writeFile(file, next);
      io.out(`added source "${String(id)}" to ${file}; running schedulers pick it up without a restart`);
      return 0;
    }
    io.err(
      'usage: hydrawatch sources list [--json] | validate [--file F] | add --id ID --platform telegram --handle H | youtube --channel-id UC… | --playlist-id PL… | archive --query Q --collection C --uploader U | telegram-api --handle H [--read messages|comments] | rss|html|browser --url URL [--schedule CRON] [--tags a,b] [--language arb] [--rate 1/2] [--base-url URL]',
    );
    return 2;
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const i of err.issues) io.err(formatIssue(i));
      return 1;
    }
    io.err((err as Error).message);
    return 1;
  }
}
