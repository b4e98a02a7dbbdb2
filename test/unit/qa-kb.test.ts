import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kbSeedEntrySchema } from '../../shared/qa/kb-schema';
import { KbSeedError, loadSeedKb, parseSeedEntries, seedDigest } from '../../shared/qa/kb';
import { SEED_REVISION } from '../../shared/qa/kb/revision';

const kb = loadSeedKb();

const validEntry = {
  slug: 'vi-du-hop-le',
  topic: 'Thử nghiệm',
  question: 'Câu hỏi mẫu hợp lệ?',
  variants: ['cau hoi mau', 'câu hỏi mẫu', 'cau hoi', 'cau hoj mau'],
  keywords: ['mẫu'],
  answer: 'Câu trả lời mẫu có con số 12 ngày.',
  citation: 'Điều 113 Bộ luật Lao động 2019',
  effectiveFrom: null,
  sourceUrl: null,
};

function tmpDirWith(files: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qa-kb-'));
  for (const [name, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

describe('seed knowledge base', () => {
  it('has at least 80 entries, all valid', () => {
    expect(kb.length).toBeGreaterThanOrEqual(80);
    for (const e of kb) expect(kbSeedEntrySchema.safeParse(e).success).toBe(true);
  });

  it('has unique slugs and unique canonical questions', () => {
    expect(new Set(kb.map((e) => e.slug)).size).toBe(kb.length);
    expect(new Set(kb.map((e) => e.question)).size).toBe(kb.length);
  });

  it('every entry has ≥ 4 variants, a citation, and an answer ≤ 900 characters', () => {
    for (const e of kb) {
      expect(e.variants.length).toBeGreaterThanOrEqual(4);
      expect(e.citation.length).toBeGreaterThan(3);
      expect(e.answer.length).toBeLessThanOrEqual(900);
    }
  });

  it('states the 2026 minimum wage with its decree', () => {
    const e = kb.find((x) => x.slug === 'luong-toi-thieu-vung-2026');
    expect(e?.answer).toContain('5.310.000');
    expect(e?.citation).toContain('293/2025/NĐ-CP');
    expect(e?.effectiveFrom).toBe('2026-01-01');
  });

  it('covers the union topics the bot is asked about', () => {
    const slugs = new Set(kb.map((e) => e.slug));
    for (const s of ['doan-phi-cong-doan', 'kinh-phi-cong-doan', 'quyen-loi-doan-vien', 'thu-tuc-gia-nhap-cong-doan', 'nhiem-vu-cong-doan-co-so']) {
      expect(slugs.has(s)).toBe(true);
    }
  });

  it('effective dates are real dates in the past or near future', () => {
    for (const e of kb) {
      if (e.effectiveFrom === null) continue;
      const d = Date.parse(`${e.effectiveFrom}T00:00:00Z`);
      expect(d).toBeGreaterThan(Date.parse('2020-01-01'));
      expect(d).toBeLessThan(Date.parse('2028-01-01'));
    }
  });
});

describe('loadSeedKb / parseSeedEntries', () => {
  it('loads every json file of a folder', () => {
    const dir = tmpDirWith({ 'a.json': [validEntry], 'b.json': [{ ...validEntry, slug: 'vi-du-khac', question: 'Câu khác?' }], 'readme.txt': 'x' });
    expect(loadSeedKb(dir).map((e) => e.slug)).toEqual(['vi-du-hop-le', 'vi-du-khac']);
  });

  it('rejects a bad entry with a message naming the file and the slug', () => {
    const bad = { ...validEntry, slug: 'muc-sai', variants: ['chi mot'] };
    const dir = tmpDirWith({ 'hop-dong.json': [validEntry, bad] });
    expect(() => loadSeedKb(dir)).toThrow(KbSeedError);
    expect(() => loadSeedKb(dir)).toThrow(/hop-dong\.json.*muc-sai.*variants/);
  });

  it('rejects a missing citation and an over-long answer', () => {
    expect(() => parseSeedEntries([{ ...validEntry, citation: '' }], 'x.json')).toThrow(/vi-du-hop-le.*citation/);
    expect(() => parseSeedEntries([{ ...validEntry, answer: 'a'.repeat(901) }], 'x.json')).toThrow(/answer/);
    expect(() => parseSeedEntries([{ ...validEntry, effectiveFrom: '01/01/2026' }], 'x.json')).toThrow(/effectiveFrom/);
  });

  it('names the entry by position when it has no slug', () => {
    const { slug: _slug, ...noSlug } = validEntry;
    expect(() => parseSeedEntries([validEntry, noSlug], 'x.json')).toThrow(/x\.json.*entry #1/);
  });

  it('rejects duplicate slugs across files', () => {
    const dir = tmpDirWith({ 'a.json': [validEntry], 'b.json': [validEntry] });
    expect(() => loadSeedKb(dir)).toThrow(/b\.json: duplicate KB slug "vi-du-hop-le" \(already defined in a\.json\)/);
  });

  it('rejects a file that is not a JSON array', () => {
    expect(() => loadSeedKb(tmpDirWith({ 'a.json': '{not json' }))).toThrow(/a\.json: invalid JSON/);
    expect(() => loadSeedKb(tmpDirWith({ 'a.json': { slug: 'x' } }))).toThrow(/a\.json: expected a JSON array/);
  });
});

describe('seed revision', () => {
  it('is raised with every change to the seed files (a rolling deploy must tell older seeds from newer)', () => {
    const digest = seedDigest(kb);
    if (digest !== SEED_REVISION.sha256) {
      throw new Error(
        `shared/qa/kb/*.json changed: in shared/qa/kb/revision.ts set number to ${SEED_REVISION.number + 1} and sha256 to '${digest}'`,
      );
    }
    expect(SEED_REVISION.number).toBeGreaterThanOrEqual(1);
  });

  it('digests content, not formatting, and tells any edit apart', () => {
    const copy = JSON.parse(JSON.stringify(kb)) as typeof kb;
    expect(seedDigest(copy)).toBe(seedDigest(kb));
    copy[0] = { ...copy[0], answer: `${copy[0].answer} ` };
    expect(seedDigest(copy)).not.toBe(seedDigest(kb));
  });
});
