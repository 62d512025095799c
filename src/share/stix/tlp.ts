import type { Json } from './ids';

/**
 * TLP 2.0 marking definitions as OASIS publishes them (cti-stix-common-objects, extension-definition-specifications/
 * tlp-2.0): the ids, names and creation time are part of the published objects and must not change.
 */
export const TLP_LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type TlpLevel = (typeof TLP_LEVELS)[number];

export const TLP_2_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

const TLP_2: Record<TlpLevel, { id: string; name: string }> = {
  clear: { id: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487', name: 'TLP:CLEAR' },
  green: { id: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb', name: 'TLP:GREEN' },
  amber: { id: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421', name: 'TLP:AMBER' },
  'amber+strict': { id: 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003', name: 'TLP:AMBER+STRICT' },
  red: { id: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1', name: 'TLP:RED' },
};

/** A marking-definition as JSON (the shape of a STIX object). */
export interface MarkingDefinition {
  type: 'marking-definition';
  id: string;
  [key: string]: Json;
}

export function tlpMarkingId(level: TlpLevel): string {
  return TLP_2[level].id;
}

/** The published TLP 2.0 marking-definition object of a level. */
export function tlpMarking(level: TlpLevel): MarkingDefinition {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP_2[level].id,
    created: '2022-10-01T00:00:00.000Z',
    name: TLP_2[level].name,
    extensions: { [TLP_2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: level } },
  };
}
