import type { TargetCheck, TargetKind } from '../core/report-case';
import { isPlatform, platformModule } from '../../crawlers/registry';
import { UnknownTargetUrlError, type RecheckContext } from '../../crawlers/recheck-fetch';

export type TargetCheckDeps = RecheckContext;

export interface CheckableTarget {
  platform: string;
  kind: TargetKind;
  url: string;
}

/** One re-check of a reported target, through its platform module's own pages and parse tasks (`recheckTarget`). */
export async function checkTarget(deps: TargetCheckDeps, t: CheckableTarget): Promise<TargetCheck> {
  try {
    new URL(t.url);
  } catch {
    throw new UnknownTargetUrlError(t.url, t.platform, 'not a URL');
  }
  if (!isPlatform(t.platform)) throw new UnknownTargetUrlError(t.url, t.platform, 'no platform of that name (crawlers/registry.ts)');
  return platformModule(t.platform).recheckTarget(deps, { kind: t.kind, url: t.url });
}
