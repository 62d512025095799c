/**
 * The misp-objects templates this export follows (MISP/misp-objects at 54538c6, June 2026; the same versions PyMISP
 * 2.5.34.1 bundles, which scripts/misp-validate.sh checks the export against):
 *
 * | object               | version | uuid                                   | used for                              |
 * | -------------------- | ------- | -------------------------------------- | ------------------------------------- |
 * | `telegram-account`   | 2       | 06f02ecf-5afb-42c5-9cb0-b362e222f52c   | a Telegram channel                    |
 * | `youtube-channel`    | 1       | cb9f492b-9930-4388-98e1-5d0cdcfa51df   | a YouTube channel                     |
 * | `social-media-group` | 1       | c4939ec4-ab53-4c35-9a98-3d4d4caf5b6c   | any other watched channel (RSS, HTML, Archive) |
 * | `file`               | 25      | 688c46fb-5edb-40a3-8273-1af7923e2215   | a media item (hashes; never the bytes) |
 *
 * Only the attributes used are listed, each with its MISP type, the category PyMISP gives it (the template's first
 * category, else describeTypes' default category of the type) and the template's `disable_correlation`.
 * Relationships come from misp-objects' relationships/definition.json (version 52): `duplicate-of`,
 * `successor-of`, `shared-by`.
 */
export interface TemplateAttribute {
  type: string;
  category: string;
  disableCorrelation?: boolean;
  multiple?: boolean;
}

export interface ObjectTemplate {
  name: string;
  uuid: string;
  version: number;
  metaCategory: string;
  description: string;
  attributes: Record<string, TemplateAttribute>;
}

const OTHER = 'Other';

export const TEMPLATES = {
  'telegram-account': {
    name: 'telegram-account',
    uuid: '06f02ecf-5afb-42c5-9cb0-b362e222f52c',
    version: 2,
    metaCategory: 'misc',
    description: 'Information related to a telegram account',
    attributes: {
      id: { type: 'text', category: OTHER },
      username: { type: 'text', category: OTHER },
      first_name: { type: 'text', category: OTHER },
    },
  },
  'youtube-channel': {
    name: 'youtube-channel',
    uuid: 'cb9f492b-9930-4388-98e1-5d0cdcfa51df',
    version: 1,
    metaCategory: 'misc',
    description: 'A YouTube channel.',
    attributes: {
      'channel-id': { type: 'text', category: OTHER },
      'channel-name': { type: 'text', category: OTHER },
      link: { type: 'link', category: 'External analysis' },
    },
  },
  'social-media-group': {
    name: 'social-media-group',
    uuid: 'c4939ec4-ab53-4c35-9a98-3d4d4caf5b6c',
    version: 1,
    metaCategory: 'misc',
    description: 'Social media group object template describing a public or private group or channel.',
    attributes: {
      'group-name': { type: 'text', category: OTHER },
      'group-alias': { type: 'text', category: OTHER, multiple: true },
      platform: { type: 'text', category: OTHER, disableCorrelation: true, multiple: true },
    },
  },
  file: {
    name: 'file',
    uuid: '688c46fb-5edb-40a3-8273-1af7923e2215',
    version: 25,
    metaCategory: 'file',
    description: 'File object describing a file with meta-information',
    attributes: {
      sha256: { type: 'sha256', category: 'Payload delivery' },
      md5: { type: 'md5', category: 'Payload delivery' },
      'size-in-bytes': { type: 'size-in-bytes', category: OTHER, disableCorrelation: true },
      mimetype: { type: 'mime-type', category: 'Artifacts dropped', disableCorrelation: true },
      // free text (multiple): the PDQ hash and the video frame bag go here, see build.ts
      text: { type: 'text', category: OTHER, disableCorrelation: true, multiple: true },
    },
  },
} as const satisfies Record<string, ObjectTemplate>;

export type TemplateName = keyof typeof TEMPLATES;

/** From misp-objects relationships/definition.json (version 52). */
export const RELATIONSHIPS = ['duplicate-of', 'successor-of', 'shared-by'] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];
