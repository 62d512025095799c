import type { ReportTarget } from '../../core/report-case';
import { evidenceRows, explanationOf, platformName } from './evidence';
import type { PackChannel, PackInput, ReportPack } from './types';

/** What each platform's builder decides: how it takes reports, its reason category, the steps, a form. */
export interface PlatformSpec {
  channel: PackChannel;
  reason: string;
  steps: string[];
  form?: ReportPack['form'];
}

export function targetsOf(input: PackInput): ReportTarget[] {
  return input.targets ?? input.case.targets;
}

/** Pure: the parts every pack shares (URLs, explanation, evidence, mail), around the platform's spec. */
export function basePack(input: PackInput, spec: PlatformSpec): ReportPack {
  const c = input.case;
  const targets = targetsOf(input);
  const n = targets.length;
  const title = `Report to ${platformName(c.platform)}: ${n} ${n === 1 ? 'URL' : 'URLs'} (${c.kind.replace(/_/g, ' ')})`;
  return {
    caseId: c._id,
    platform: c.platform,
    variant: 'platform',
    channel: spec.channel,
    title,
    ...(spec.channel === 'mail'
      ? {
          mail: {
            to: input.to,
            cc: input.cc,
            subject: `Report: terrorist content on ${platformName(c.platform)} (${n} ${n === 1 ? 'URL' : 'URLs'}) [case ${c._id}]`,
          },
        }
      : {}),
    reason: spec.reason,
    urls: targets.map((t) => t.url),
    steps: spec.steps,
    ...(spec.form ? { form: spec.form } : {}),
    explanation: explanationOf(c),
    evidence: evidenceRows(c, targets),
  };
}
