import { unsafeRegexReason } from '../../src/core/regex-safety';
import { settingsSchema } from '../../src/config/schema';
import { rankedHandleVariants } from '../../src/resurface/handle-variants';

describe('regex safety of analysts’ variant rules', () => {
  it.each([
    ['(a+)+$', /nested quantifier/],
    ['([a-z]+)*_x', /nested quantifier/],
    ['(?:\\w+\\d?)+y', /nested quantifier/],
    ['(.*a){12}', /nested quantifier/],
    ['((ab)*c)+', /nested quantifier/],
    ['(a|aa)+$', /alternation inside a repeating group/],
    ['(al|el)*', /alternation inside a repeating group/],
    ['(\\w+)_\\1', /backreference/],
    ['(?<x>a)\\k<x>', /backreference/],
    ['(?=a+b)', /repeat inside a lookaround/],
    ['.*.*.*.*.*x', /more than 4 repeats/],
  ])('refuses %s', (pattern, why) => {
    expect(unsafeRegexReason(pattern)).toMatch(why);
  });

  it.each(['^al_', 'ou', '^(abu|abou)_', '(ab+)?', '[a-z]+_v\\d{1,2}$', '(news){2}', '(_official)?$', '[(+*]+', '\\(a+\\)+', 'ph', '^sim_(\\w+)$'])(
    'accepts %s',
    (pattern) => {
      expect(unsafeRegexReason(pattern)).toBeUndefined();
    },
  );

  it('the settings refuse a catastrophic pattern, naming the rule and the reason', () => {
    const bad = settingsSchema.safeParse({ resurface: { variantRules: [{ pattern: '^(\\w+)+$x', replace: '' }] } });
    expect(bad.success).toBe(false);
    const issue = bad.error?.issues[0];
    expect(issue?.path).toEqual(['resurface', 'variantRules', 0, 'pattern']);
    expect(issue?.message).toMatch(/may take exponential time \(nested quantifier/);
  });

  it('an accepted rule still works, and rules never run on an over-long handle', () => {
    const rules = [{ pattern: '^sim_(\\w+)$', replace: 'sym_$1' }];
    expect(rankedHandleVariants('sim_alpha', 40, { rules }).map((r) => r.handle)).toContain('sym_alpha');
    const long = `sim_${'a'.repeat(70)}`;
    expect(rankedHandleVariants(long, 200, { rules }).some((r) => r.family === 'rule')).toBe(false);
  });
});
