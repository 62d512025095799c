import { estimateJaccard, exactJaccard, lshBands, minhashSignature, shingles, tokens } from '../../src/core/text/minhash';

describe('near-duplicate text (MinHash + LSH)', () => {
  const a = 'The weather in the valley stays mild this week with light rain expected on Thursday afternoon and a sunny weekend';
  const reposted =
    'REPOST: the weather in the valley stays mild this week, with light rain expected on Thursday afternoon and a sunny weekend!! #weather https://x.example/1';
  const other = 'Our local football club won the match after a late goal and the supporters sang until the evening';

  it('tokens are Arabic- and Latin-aware', () => {
    expect(tokens('Élan VITAL, déjà-vu!')).toEqual(['elan', 'vital', 'deja', 'vu']);
    expect(tokens('الطـــقسُ في المدينةِ')).toEqual(tokens('الطقس في المدينة'));
    expect(tokens('أحمد إلى مدرسة')).toEqual(['احمد', 'الي', 'مدرسه']);
  });
  it('estimates Jaccard close to the exact value and separates unrelated texts', () => {
    const sa = minhashSignature(a);
    const sb = minhashSignature(reposted);
    expect(Math.abs(estimateJaccard(sa, sb) - exactJaccard(a, reposted))).toBeLessThan(0.15);
    expect(estimateJaccard(sa, sb)).toBeGreaterThan(0.7);
    expect(estimateJaccard(sa, minhashSignature(other))).toBeLessThan(0.1);
  });
  it('near-duplicates share LSH bands; signatures are deterministic', () => {
    const ba = lshBands(minhashSignature(a));
    expect(ba).toHaveLength(16);
    expect(ba.filter((k) => lshBands(minhashSignature(reposted)).includes(k)).length).toBeGreaterThan(0);
    expect(lshBands(minhashSignature(other)).filter((k) => ba.includes(k))).toHaveLength(0);
    expect(minhashSignature(a)).toEqual(minhashSignature(a));
  });
  it('Arabic re-posts with diacritics and tatweel are the same text', () => {
    const ar = 'ينصح الخبازون بترك العجين يرتاح طوال الليل للحصول على خبز أخف وألذ في الصباح';
    const arMarked = 'يَنصَحُ الخَبّازونَ بِتَركِ العَجينِ يَرتاحُ طـــوالَ اللَّيلِ للحُصولِ على خُبزٍ أَخَفّ وأَلَذّ في الصَّباح';
    expect(estimateJaccard(minhashSignature(ar), minhashSignature(arMarked))).toBe(1);
  });
  it('empty text has no bands and matches nothing', () => {
    expect(shingles('', 3).size).toBe(0);
    expect(lshBands(minhashSignature(''))).toEqual([]);
    expect(estimateJaccard(minhashSignature(''), minhashSignature(''))).toBe(0);
  });
});
