import { mkdtempSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watchAlertRules, type AlertRules } from '../../src/alerts/rules-watcher';

describe('alert rules hot reload', () => {
  it('applies a valid edit, refuses a bad one and keeps the rules in force', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hw-rules-')), 'settings.yaml');
    writeFileSync(file, 'alerts:\n  rules: []\n');
    const applied: AlertRules[] = [];
    const errors: string[] = [];
    const w = watchAlertRules(file, { pollMs: 60_000, onRules: (r) => applied.push(r), onError: (m) => errors.push(m) });
    await w.check();
    expect(applied).toEqual([]);
    const touch = (text: string, t: number): void => {
      writeFileSync(file, text);
      utimesSync(file, t, t); // distinct mtimes even within one clock tick
    };
    touch('alerts:\n  rules:\n    - { name: desk, to: [desk@example.org], kinds: [resurfaced] }\n', 1000);
    expect(await w.check()).toBe(true);
    expect(applied.at(-1)?.map((r) => r.to)).toEqual([['desk@example.org']]);
    touch('alerts:\n  rules:\n    - { name: desk, to: [not-an-email], kinds: [resurfaced] }\n', 2000);
    expect(await w.check()).toBe(false);
    expect(errors.at(-1)).toMatch(/alerts\.rules\[0\]\.to\[0\]/);
    expect(applied).toHaveLength(1);
    w.close();
  });
});
