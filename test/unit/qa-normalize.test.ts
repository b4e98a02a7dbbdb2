import { normalizeText, syllables, tokenize } from '../../shared/qa/normalize';

describe('normalizeText', () => {
  it('folds diacritics, đ and case, and strips punctuation', () => {
    expect(normalizeText('Lương TỐI THIỂU vùng, năm 2026?')).toBe('luong toi thieu vung nam 2026');
    expect(normalizeText('Đoàn viên công đoàn')).toBe('doan vien cong doan');
    expect(normalizeText('ĐƯỢC nghỉ!!!')).toBe('duoc nghi');
  });

  it('handles composed and decomposed Unicode alike', () => {
    const nfd = 'Bảo hiểm xã hội'.normalize('NFD');
    expect(normalizeText(nfd)).toBe(normalizeText('Bảo hiểm xã hội'));
  });

  it('expands abbreviations with or without diacritics', () => {
    expect(normalizeText('bhxh')).toBe('bao hiem xa hoi');
    expect(normalizeText('BHYT BHTN')).toBe('bao hiem y te bao hiem that nghiep');
    expect(normalizeText('HĐLĐ')).toBe('hop dong lao dong');
    expect(normalizeText('hdld')).toBe('hop dong lao dong');
    expect(normalizeText('NLĐ')).toBe('nguoi lao dong');
    expect(normalizeText('cđ')).toBe('cong doan');
    expect(normalizeText('đvcđ')).toBe('doan vien cong doan');
    expect(normalizeText('tnlđ')).toBe('tai nan lao dong');
    expect(normalizeText('ltt vùng 1')).toBe('luong toi thieu vung 1');
    expect(normalizeText('cty')).toBe('cong ty');
  });

  it('maps the employer to one canonical form', () => {
    expect(normalizeText('nsdlđ')).toBe('cong ty');
    expect(normalizeText('người sử dụng lao động')).toBe('cong ty');
    expect(normalizeText('doanh nghiệp')).toBe('cong ty');
    expect(normalizeText('sếp')).toBe('cong ty');
  });

  it('expands chat shorthand and worker slang', () => {
    expect(normalizeText('ko dc j')).toBe('khong duoc gi');
    expect(normalizeText('k bn')).toBe('khong bao nhieu');
    expect(normalizeText('tăng ca')).toBe('lam them gio');
    expect(normalizeText('tang ca')).toBe('lam them gio');
    expect(normalizeText('ot')).toBe('lam them gio');
    expect(normalizeText('làm thêm')).toBe('lam them gio');
    expect(normalizeText('làm thêm giờ')).toBe('lam them gio');
    expect(normalizeText('bị đuổi việc')).toBe('bi sa thai');
    expect(normalizeText('nghỉ đẻ')).toBe('nghi thai san');
    expect(normalizeText('phép năm')).toBe('nghi phep nam');
    expect(normalizeText('nghỉ hằng năm')).toBe('nghi phep nam');
    expect(normalizeText('bố mất')).toBe('bo chet');
    expect(normalizeText('mất việc')).toBe('mat viec');
  });

  it('normalizes numbers, percents and roman region numbers', () => {
    expect(normalizeText('5.310.000 đ')).toBe('5310000 d');
    expect(normalizeText('85%')).toBe('85 phan tram');
    expect(normalizeText('06 tháng')).toBe('6 thang');
    expect(normalizeText('vùng III')).toBe('vung 3');
    expect(normalizeText('vung1')).toBe('vung 1');
    expect(normalizeText('bhxh1lan')).toBe('bao hiem xa hoi 1 lan');
    expect(normalizeText('rút một lần')).toBe('rut 1 lan');
    expect(normalizeText('sinh con thứ hai')).toBe('sinh con thu 2');
  });

  it('is idempotent', () => {
    const once = normalizeText('Cty nợ lương 3 tháng, tôi phải làm sao?');
    expect(normalizeText(once)).toBe(once);
  });

  it('returns an empty string for empty or punctuation-only input', () => {
    expect(normalizeText('')).toBe('');
    expect(normalizeText(' ?!… ')).toBe('');
    expect(syllables('')).toEqual([]);
  });
});

describe('tokenize', () => {
  it('emits syllables and syllable bigrams', () => {
    const t = tokenize('hợp đồng lao động');
    expect(t).toEqual(expect.arrayContaining(['hop', 'dong', 'lao', 'hop_dong', 'dong_lao', 'lao_dong']));
  });

  it('drops question words and pronouns, and never joins a bigram across them', () => {
    const t = tokenize('Cho em hỏi lương thử việc là bao nhiêu ạ?');
    expect(t).toEqual(expect.arrayContaining(['luong', 'thu', 'viec', 'luong_thu', 'thu_viec']));
    for (const stop of ['em', 'la', 'bao', 'nhieu', 'a', 'cho', 'hoi']) expect(t).not.toContain(stop);
    expect(t.some((x) => x.startsWith('viec_'))).toBe(false);
  });

  it('keeps ambiguous syllables when they are part of a content word', () => {
    // "tối thiểu" (not "tôi"), "cơ sở" (not "có"), "xã hội" (not "hỏi"), "thẻ đoàn viên" (not "thế")
    expect(tokenize('lương tối thiểu')).toContain('toi_thieu');
    expect(tokenize('lương cơ sở')).toContain('co_so');
    expect(tokenize('bảo hiểm xã hội')).toContain('xa_hoi');
    expect(tokenize('thẻ đoàn viên')).toContain('the_doan');
    expect(tokenize('tôi có được không')).toEqual(expect.not.arrayContaining(['toi', 'co', 'duoc', 'khong']));
  });

  it('produces the same tokens with and without diacritics', () => {
    const strip = (xs: string[]) => xs.filter((x) => !x.startsWith('qt'));
    expect(strip(tokenize('nghỉ thai sản được mấy tháng'))).toEqual(strip(tokenize('nghi thai san duoc may thang')));
    expect(tokenize('bảo hiểm thất nghiệp')).toEqual(tokenize('bhtn'));
  });

  it('adds question-type markers', () => {
    expect(tokenize('lương bao nhiêu')).toContain('qtamount');
    expect(tokenize('nghỉ mấy ngày')).toContain('qtduration');
    expect(tokenize('nộp hồ sơ ở đâu')).toContain('qtwhere');
  });
});
