import { createQaEngine, HANDOFF_PAYLOAD, QA_THRESHOLDS, type KbEntry, type QaAnswer } from '../../shared/qa/engine';
import { loadSeedKb } from '../../shared/qa/kb';

const kb: KbEntry[] = loadSeedKb().map((e, i) => ({ ...e, id: i + 1 }));
const engine = createQaEngine(kb);

function expectAnswer(a: QaAnswer, slug: string): Extract<QaAnswer, { kind: 'answer' }> {
  if (a.kind !== 'answer') throw new Error(`expected an answer with ${slug}, got ${a.kind}: ${JSON.stringify(a).slice(0, 300)}`);
  expect(a.entry.slug).toBe(slug);
  return a;
}

/** Numbers in a reply that look like legal figures (amounts, percentages, durations): any digit run. */
const DIGIT = /\d/;

describe('QA engine — answers', () => {
  it('answers the 2026 regional minimum wage with the amount and its decree', () => {
    const a = expectAnswer(engine.answer('luong toi thieu vung 1 2026 la bao nhieu'), 'luong-toi-thieu-vung-2026');
    expect(a.text).toContain('5.310.000');
    expect(a.text).toContain('Nghị định 293/2025/NĐ-CP');
    expect(a.text).toContain('📖 Căn cứ:');
    expect(a.text).toContain('Hiệu lực từ 01/01/2026');
  });

  it('understands abbreviations: "bhxh 1 lan" is the one-time withdrawal', () => {
    expectAnswer(engine.answer('bhxh 1 lan'), 'rut-bhxh-mot-lan');
    expectAnswer(engine.answer('rút BHXH một lần được không'), 'rut-bhxh-mot-lan');
  });

  it('works with and without diacritics, slang and a typo', () => {
    expectAnswer(engine.answer('Tăng ca tối đa bao nhiêu giờ một tháng?'), 'gioi-han-lam-them-gio');
    expectAnswer(engine.answer('ot toi da bao nhieu gio 1 thang'), 'gioi-han-lam-them-gio');
    expectAnswer(engine.answer('nghi de dc may thang'), 'nghi-thai-san');
    expectAnswer(engine.answer('tro cap thoi viec tinh the nao'), 'tro-cap-thoi-viec');
    expectAnswer(engine.answer('tro cap thoi vieec tinh the nao'), 'tro-cap-thoi-viec');
    expectAnswer(engine.answer('hopdong lao dong co may loai'), 'loai-hop-dong-lao-dong');
  });

  it('states the current rule and since when for 2025–2026 changes', () => {
    const ut = expectAnswer(engine.answer('trợ cấp thất nghiệp tối đa bao nhiêu'), 'muc-tro-cap-that-nghiep');
    expect(ut.text).toMatch(/01\/01\/2026/);
    expect(ut.text).toContain('Luật Việc làm 2025');
    const pension = expectAnswer(engine.answer('đóng bhxh mấy năm thì có lương hưu'), 'dieu-kien-luong-huu');
    expect(pension.text).toContain('15 năm');
    const holiday = expectAnswer(engine.answer('ngày 24/11 có được nghỉ không'), 'ngay-van-hoa-viet-nam-24-11');
    expect(holiday.text).toContain('Hiệu lực từ 01/07/2026');
  });

  it('answers union-policy questions', () => {
    expectAnswer(engine.answer('đoàn phí công đoàn đóng bao nhiêu tiền mỗi tháng'), 'doan-phi-cong-doan');
    expectAnswer(engine.answer('kinh phí công đoàn 2% có trừ vào lương không'), 'kinh-phi-cong-doan');
    expectAnswer(engine.answer('muốn vào công đoàn thì làm thủ tục gì'), 'thu-tuc-gia-nhap-cong-doan');
  });

  it('offers up to three related questions as buttons whose payload is the question', () => {
    const a = expectAnswer(engine.answer('nghỉ phép năm được mấy ngày'), 'nghi-phep-nam');
    expect(a.related.length).toBeGreaterThan(0);
    expect(a.related.length).toBeLessThanOrEqual(3);
    for (const b of a.related) {
      expect(b.payload).not.toBe(a.entry.question);
      expect(kb.some((e) => e.question === b.payload)).toBe(true);
      expect(b.title.length).toBeLessThanOrEqual(80);
    }
  });

  it('flags personal cases and offers a hand-off, keeping the general rule', () => {
    const a = expectAnswer(engine.answer('công ty nợ lương 3 tháng tôi phải làm sao'), 'cong-ty-no-luong');
    expect(a.personalCase).toBe(true);
    expect(a.text).toContain('Gặp cán bộ');
    const b = engine.answer('bị đuổi việc không báo trước');
    expect(b.kind).toBe('answer');
    if (b.kind === 'answer') {
      expect(b.personalCase).toBe(true);
      expect(b.text).toContain('Gặp cán bộ');
      expect(b.text).toMatch(/45|30|02 tháng/);
    }
  });

  it('does not flag a general question as a personal case', () => {
    const a = expectAnswer(engine.answer('lương thử việc ít nhất bao nhiêu phần trăm'), 'luong-thu-viec');
    expect(a.personalCase).toBeUndefined();
  });
});

describe('QA engine — small talk, off-topic, unsure', () => {
  it.each(['xin chao', 'Xin chào!', 'chao ad', 'hi', 'alo', 'cảm ơn ad nhé', 'tks', 'bye', 'bạn là ai', 'ai vay', 'ok', 'vâng ạ'])(
    '"%s" is small talk',
    (q) => {
      const a = engine.answer(q);
      expect(a.kind).toBe('smalltalk');
      if (a.kind === 'smalltalk') expect(a.text).not.toMatch(DIGIT);
    },
  );

  it('a request for a human officer is a hand-off, not a legal answer', () => {
    for (const q of ['Gặp cán bộ', 'gap can bo', 'muốn gặp cán bộ tư vấn về nợ lương']) {
      const a = engine.answer(q);
      expect(a.kind).toBe('handoff');
      if (a.kind === 'handoff') expect(a.text).not.toMatch(DIGIT);
    }
  });

  it('"cho hỏi" alone is a greeting, and a place name does not derail a question', () => {
    expect(engine.answer('alo ad ơi cho em hỏi').kind).toBe('smalltalk');
    expectAnswer(engine.answer('lương tối thiểu vùng ở Bình Dương năm 2026 bao nhiêu'), 'luong-toi-thieu-vung-2026');
  });

  it('corrects typos using the knowledge base vocabulary', () => {
    expectAnswer(engine.answer('thoi gain thu viec toi da bao lau'), 'thu-viec-thoi-gian');
    expectAnswer(engine.answer('nghỉ phéo năm được mấy ngày'), 'nghi-phep-nam');
  });

  it('answers the question after a greeting', () => {
    expectAnswer(engine.answer('Chào ad, cho em hỏi lương thử việc bao nhiêu %'), 'luong-thu-viec');
  });

  it.each([
    'thoi tiet ha noi',
    'Thời tiết Hà Nội hôm nay thế nào?',
    'tối nay đá bóng mấy giờ',
    'kết quả xổ số miền bắc',
    'kể chuyện cười đi',
    'mua bán nhà đất',
    'giá vàng hôm nay',
    'asdfghjkl',
    'lương',
    'bhxh',
  ])('"%s" never gets a legal answer', (q) => {
    const a = engine.answer(q);
    expect(a.kind).not.toBe('answer');
  });

  it('an unsure reply is honest, offers an officer and contains no legal number', () => {
    for (const q of ['thoi tiet ha noi', 'asdfghjkl', 'lương', 'bhxh', 'bảo hiểm nhân thọ có nên mua không']) {
      const a = engine.answer(q);
      expect(a.kind === 'unsure' || a.kind === 'offtopic').toBe(true);
      if (a.kind === 'unsure' || a.kind === 'offtopic') {
        expect(a.text).not.toMatch(DIGIT);
        expect(a.text).toContain('Gặp cán bộ');
        expect(a.suggestions.some((s) => s.payload === HANDOFF_PAYLOAD)).toBe(true);
      }
      if (a.kind === 'unsure') expect(a.text).toContain('chưa chắc chắn');
    }
  });

  it('a vague question gets the closest topics as suggestions', () => {
    const a = engine.answer('bhxh');
    expect(a.kind).toBe('unsure');
    if (a.kind === 'unsure') {
      expect(a.suggestions.length).toBeGreaterThanOrEqual(2);
      expect(a.bestEntry).toBeDefined();
    }
  });

  it('empty input is handled', () => {
    expect(['unsure', 'smalltalk']).toContain(engine.answer('').kind);
    expect(engine.answer('   ').kind).not.toBe('answer');
  });
});

describe('QA engine — index', () => {
  it('search returns ranked hits with scores', () => {
    const hits = engine.search('lương tối thiểu vùng', 3);
    expect(hits).toHaveLength(3);
    expect(hits[0].entry.slug).toBe('luong-toi-thieu-vung-2026');
    expect(hits[0].score).toBeGreaterThanOrEqual(hits[1].score);
  });

  it('rebuild replaces the entries and size follows', () => {
    const local = createQaEngine(kb.slice(0, 10));
    expect(local.size).toBe(10);
    const extra: KbEntry = {
      ...kb[0],
      id: 9999,
      slug: 'test-entry',
      question: 'Giờ mở cửa văn phòng công đoàn khu công nghiệp?',
      variants: ['văn phòng công đoàn mở cửa mấy giờ', 'van phong cong doan mo cua', 'gio lam viec van phong cd', 'lich tiep dan cong doan'],
      keywords: ['văn phòng', 'mở cửa'],
      answer: 'Văn phòng mở cửa theo lịch niêm yết của công đoàn khu công nghiệp.',
    };
    local.rebuild([...kb.slice(0, 10), extra]);
    expect(local.size).toBe(11);
    expect(local.search('van phong cong doan mo cua may gio', 1)[0].entry.slug).toBe('test-entry');
  });

  it('an empty knowledge base is unsure, not an error', () => {
    const empty = createQaEngine([]);
    expect(empty.size).toBe(0);
    expect(empty.answer('lương tối thiểu vùng').kind).toBe('unsure');
  });

  it('exposes its thresholds as named constants', () => {
    expect(QA_THRESHOLDS.MIN_COVERAGE).toBeLessThan(QA_THRESHOLDS.STRONG_COVERAGE);
    expect(QA_THRESHOLDS.MIN_RATIO).toBeGreaterThan(1);
  });

  it('handles a 500-entry knowledge base (timings are printed by bench/qa.ts)', () => {
    const padded: KbEntry[] = [...kb];
    for (let i = padded.length; i < 500; i++) {
      const src = kb[i % kb.length];
      padded.push({ ...src, id: 10_000 + i, slug: `${src.slug}-copy-${i}`, question: `${src.question} (${i})` });
    }
    const big = createQaEngine(padded);
    expect(big.size).toBe(500);
    const a = big.answer('luong toi thieu vung 1 2026 la bao nhieu');
    expect(a.kind === 'answer' || a.kind === 'unsure').toBe(true);
    expect(big.search('luong toi thieu vung 1 2026', 1)[0].entry.slug).toMatch(/^luong-toi-thieu-vung-2026/);
  });
});
