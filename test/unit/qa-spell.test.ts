import { createSpeller } from '../../shared/qa/spell';

const vocab = new Map<string, number>([
  ['thoi', 10],
  ['gian', 8],
  ['thu', 6],
  ['viec', 20],
  ['vung', 5],
  ['luong', 30],
  ['phep', 7],
  ['nam', 25],
  ['nghiep', 9],
  ['that', 9],
  ['hoi', 12],
  ['xa', 12],
]);
const bigrams = new Set(['thoi_gian', 'thu_viec', 'luong_toi', 'thieu_vung', 'phep_nam', 'nghi_phep', 'that_nghiep', 'xa_hoi']);
const speller = createSpeller(vocab, bigrams, '_', new Set(['khong', 'duoc']));

describe('createSpeller', () => {
  it('fixes a transposition using the neighbouring syllable', () => {
    expect(speller.correct(['thoi', 'gain', 'thu', 'viec'])).toEqual(['thoi', 'gian', 'thu', 'viec']);
    expect(speller.correct(['thieu', 'vugn'])).toEqual(['thieu', 'vung']);
  });

  it('fixes substitutions, insertions and deletions', () => {
    expect(speller.correct(['nghi', 'pheo', 'nam'])).toEqual(['nghi', 'phep', 'nam']);
    expect(speller.correct(['that', 'nghiepp'])).toEqual(['that', 'nghiep']);
    expect(speller.correct(['xa', 'hoj'])).toEqual(['xa', 'hoi']);
    expect(speller.correct(['luog'])).toEqual(['luog']); // ≤ 4 letters without context: left to fuzzy search
  });

  it('leaves known words, function words, numbers and unrelated unknown words alone', () => {
    expect(speller.correct(['khong', 'duoc', '2026', 'viec'])).toEqual(['khong', 'duoc', '2026', 'viec']);
    expect(speller.correct(['meo'])).toEqual(['meo']);
    expect(speller.correct(['bitcoin'])).toEqual(['bitcoin']);
  });
});
