import { PLATFORMS } from '../../crawlers/registry';
import { CaseTransitionError, recheckDelayMs, REPORT_PLATFORMS, targetId, transition, type ReportCase } from '../../src/core/report-case';

const at = new Date('2026-12-01T10:00:00Z');
const draft: ReportCase = {
  _id: 'telegram:channel:foo_official',
  platform: 'telegram',
  kind: 'resurfaced',
  state: 'draft',
  openedBy: 'rule:resurfaced-to-telegram',
  sourceIds: ['foo'],
  tags: ['t'],
  targets: [],
  evidence: {},
  history: [],
  createdAt: at,
  updatedAt: at,
  day: '2026-12-01',
};

describe('report case lifecycle', () => {
  it('walks draft → approved → sent → offline, recording each step with its time and author', () => {
    const a = transition(draft, 'approved', { at: new Date(at.getTime() + 1000), by: 'token:ana' });
    const s = transition(a, 'sent', { at: new Date(at.getTime() + 2000), by: 'system', messageId: '<m1@x>' });
    const o = transition(s, 'offline', { at: new Date(at.getTime() + 3000), by: 'system' });
    expect(o.history.map((h) => [h.state, h.by])).toEqual([
      ['approved', 'token:ana'],
      ['sent', 'system'],
      ['offline', 'system'],
    ]);
    expect(o.approvedAt?.getTime()).toBe(at.getTime() + 1000);
    expect(o.reportedAt?.getTime()).toBe(at.getTime() + 2000);
    expect(o.offlineAt?.getTime()).toBe(at.getTime() + 3000);
    expect(o.messageId).toBe('<m1@x>');
    expect(draft.history).toEqual([]); // pure: the input is untouched
  });

  it('refuses steps the lifecycle does not allow, naming both states', () => {
    expect(() => transition(draft, 'sent', { at, by: 'token:ana' })).toThrow(CaseTransitionError);
    expect(() => transition(draft, 'sent', { at, by: 'token:ana' })).toThrow(/cannot go from "draft" to "sent" \(allowed: approved, withdrawn\)/);
    const w = transition(draft, 'withdrawn', { at, by: 'token:ana' });
    expect(() => transition(w, 'approved', { at, by: 'token:ana' })).toThrow(/the case is closed/);
  });

  it('lets a still-online case be approved again (a second report)', () => {
    const still = { ...draft, state: 'still_online' as const };
    expect(transition(still, 'approved', { at, by: 'token:ana' }).state).toBe('approved');
  });
});

describe('targetId', () => {
  it('is stable and case-insensitive on the key', () => {
    expect(targetId('telegram', 'channel', 'Foo_Official')).toBe('telegram:channel:foo_official');
  });
});

describe('recheckDelayMs', () => {
  const min = 60_000;
  it('backs off 10 min, 30 min, 1 h, 3 h, 6 h, then every 12 h', () => {
    expect([0, 1, 2, 3, 4, 5, 9].map((a) => recheckDelayMs(a, 0))).toEqual([10 * min, 30 * min, 60 * min, 180 * min, 360 * min, 720 * min, 720 * min]);
  });
  it('follows a configured schedule', () => {
    const s = { stepsMinutes: [0.5, 1], everyHours: 0.05, maxDays: 1 };
    expect([0, 1, 2, 3].map((a) => recheckDelayMs(a, 0, s))).toEqual([30_000, 60_000, 180_000, 180_000]);
  });
  it('stops after maxDays since the report', () => {
    expect(recheckDelayMs(20, 29.9 * 86_400_000)).toBeUndefined();
    expect(recheckDelayMs(20, 29 * 86_400_000)).toBe(720 * min);
  });
});

describe('REPORT_PLATFORMS', () => {
  it('holds every registered platform (the core cannot import the registry)', () => {
    for (const p of PLATFORMS) expect(REPORT_PLATFORMS).toContain(p);
  });
});
