import { createEgressGuard, type EgressGuard, type Resolver } from '../../src/net/egress/guard';
import { compilePolicy } from '../../src/net/egress/policy';

/**
 * The egress allow-list every test uses by default: the local simulator and fixture servers listen on 127.0.0.1.
 * Production's default allows nothing but public addresses (net.allow: []).
 */
export const TEST_NET_ALLOW: readonly string[] = ['127.0.0.1'];

export function testEgressGuard(allow: readonly string[] = TEST_NET_ALLOW, resolver?: Resolver): EgressGuard {
  return createEgressGuard(compilePolicy({ allow }), resolver);
}
