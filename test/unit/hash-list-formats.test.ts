import { HashListError } from '../../src/media/hash-lists';
import { parseCsv, parseThreatExchangeCsv } from '../../src/share/hash-list-formats';

// Synthetic rows under the column names of ThreatExchange's UI CSV download (as facebook/ThreatExchange's te-tag-query documents them).
const TE_CSV = [
  'td_description,td_status,td_share_level,td_raw_indicator,td_creation_time,td_owner_name,td_subjective_tags',
  `"Synthetic, with a comma",MALICIOUS,AMBER,${'f'.repeat(32)}${'0'.repeat(32)},2026-11-01T10:00:00+00:00,Test App,media_type_photo;synthetic`,
  `plain,MALICIOUS,AMBER,${'A'.repeat(32)},2026-11-01T10:00:00+00:00,,`,
].join('\r\n');

describe('hash list formats', () => {
  it('parses quoted CSV cells', () => {
    expect(parseCsv('a,"b ""x"", c"\n1,2\n')).toEqual([
      ['a', 'b "x", c'],
      ['1', '2'],
    ]);
  });

  it('reads a ThreatExchange CSV: 64 hex as the given type, 32 hex as MD5, tags as the label, the owner as entity', () => {
    expect(parseThreatExchangeCsv(TE_CSV, 'te.csv', 'pdq')).toEqual([
      { type: 'pdq', value: `${'f'.repeat(32)}${'0'.repeat(32)}`, label: 'media_type_photo, synthetic', entity: 'Test App' },
      { type: 'md5', value: 'a'.repeat(32), label: 'plain' },
    ]);
  });

  it('refuses a file without td_raw_indicator, and a value that is no hash, with file and line', () => {
    expect(() => parseThreatExchangeCsv('hash,label\n', 'x.csv', 'pdq')).toThrow(HashListError);
    expect(() => parseThreatExchangeCsv('td_raw_indicator\nnot-a-hash\n', 'x.csv', 'pdq')).toThrow(
      'x.csv:2: td_raw_indicator is not an MD5, PDQ or SHA-256 hash',
    );
  });
});
