import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLlmRephraser, hasOnlyGroundedNumbers, LLM_SYSTEM_PROMPT, rephraseAnswer } from '../../shared/qa/llm';
import { formatAnswerText, type QaAnswer } from '../../shared/qa/engine';
import type { KbEntry } from '../../shared/qa/kb-schema';

const entry: KbEntry = {
  id: 1,
  slug: 'luong-toi-thieu-vung-2026',
  topic: 'Tiền lương',
  question: 'Lương tối thiểu vùng năm 2026 là bao nhiêu?',
  variants: ['a', 'b', 'c', 'd'],
  keywords: ['lương tối thiểu vùng'],
  answer: 'Từ 01/01/2026, lương tối thiểu vùng theo tháng là: Vùng I 5.310.000 đồng/tháng; Vùng II 4.730.000 đồng/tháng.',
  citation: 'Nghị định 293/2025/NĐ-CP',
  effectiveFrom: '2026-01-01',
  sourceUrl: null,
};

type Handler = (body: any, req: http.IncomingMessage, res: http.ServerResponse) => void;

let server: http.Server;
let baseUrl: string;
let handler: Handler;
const timers: NodeJS.Timeout[] = [];
const requests: Array<{ url?: string; headers: http.IncomingHttpHeaders; body: any }> = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = raw ? JSON.parse(raw) : null;
      requests.push({ url: req.url, headers: req.headers, body });
      res.setHeader('connection', 'close'); // no keep-alive sockets left behind after the suite
      handler(body, req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  for (const t of timers) clearTimeout(t);
  server.closeAllConnections?.();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  requests.length = 0;
});

function reply(content: unknown, status = 200): Handler {
  return (_body, _req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content } }] }));
  };
}

describe('createLlmRephraser', () => {
  it('posts an OpenAI-compatible chat completion grounded in the entries', async () => {
    handler = reply('Năm 2026, ở Vùng I công ty phải trả ít nhất 5.310.000 đồng mỗi tháng.');
    const llm = createLlmRephraser({ baseUrl, apiKey: 'sk-test', model: 'test-model', timeoutMs: 2000 });
    const text = await llm.rephrase('ltt vung 1 2026', [entry]);
    expect(text).toBe('Năm 2026, ở Vùng I công ty phải trả ít nhất 5.310.000 đồng mỗi tháng.');
    expect(requests).toHaveLength(1);
    const { url, headers, body } = requests[0];
    expect(url).toBe('/v1/chat/completions');
    expect(headers.authorization).toBe('Bearer sk-test');
    expect(body.model).toBe('test-model');
    expect(body.messages[0]).toEqual({ role: 'system', content: LLM_SYSTEM_PROMPT });
    expect(body.messages[0].content).toMatch(/Tuyệt đối không thêm con số/);
    expect(body.messages[1].content).toContain(entry.answer);
    expect(body.messages[1].content).toContain('ltt vung 1 2026');
  });

  it('the caller appends the citation from the KB, not from the model', async () => {
    handler = reply('Vùng I: 5.310.000 đồng/tháng từ 01/01/2026.');
    const llm = createLlmRephraser({ baseUrl, model: 'm' });
    const body = await llm.rephrase('luong toi thieu', [entry]);
    const text = formatAnswerText(entry, { body: body ?? undefined });
    expect(text).toContain('📖 Căn cứ: Nghị định 293/2025/NĐ-CP');
    expect(text.startsWith('Vùng I: 5.310.000')).toBe(true);
  });

  it('returns null on an HTTP error', async () => {
    handler = reply('x', 500);
    expect(await createLlmRephraser({ baseUrl, model: 'm' }).rephrase('q', [entry])).toBeNull();
  });

  it('returns null on a malformed body', async () => {
    handler = (_b, _r, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"unexpected": true}');
    };
    expect(await createLlmRephraser({ baseUrl, model: 'm' }).rephrase('q', [entry])).toBeNull();
    handler = (_b, _r, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('not json');
    };
    expect(await createLlmRephraser({ baseUrl, model: 'm' }).rephrase('q', [entry])).toBeNull();
  });

  it('returns null on an empty reply', async () => {
    handler = reply('   ');
    expect(await createLlmRephraser({ baseUrl, model: 'm' }).rephrase('q', [entry])).toBeNull();
  });

  it('returns null when the model invents a number', async () => {
    handler = reply('Vùng I là 6.000.000 đồng/tháng.');
    expect(await createLlmRephraser({ baseUrl, model: 'm' }).rephrase('q', [entry])).toBeNull();
  });

  it('returns null on timeout', async () => {
    handler = (_b, _r, res) => {
      timers.push(setTimeout(() => reply('muộn quá')(null, _r, res), 500));
    };
    const t0 = Date.now();
    expect(await createLlmRephraser({ baseUrl, model: 'm', timeoutMs: 100 }).rephrase('q', [entry])).toBeNull();
    expect(Date.now() - t0).toBeLessThan(450);
  });

  it('returns null when the server is unreachable', async () => {
    const dead = http.createServer();
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    const port = (dead.address() as AddressInfo).port;
    await new Promise<void>((resolve) => dead.close(() => resolve()));
    expect(await createLlmRephraser({ baseUrl: `http://127.0.0.1:${port}`, model: 'm' }).rephrase('q', [entry])).toBeNull();
  });

  it('does not call the model without grounding entries', async () => {
    handler = reply('x');
    expect(await createLlmRephraser({ baseUrl, model: 'm' }).rephrase('q', [])).toBeNull();
    expect(requests).toHaveLength(0);
  });

  it('accepts an injected fetch implementation', async () => {
    const fake = jest.fn(async () => new Response(JSON.stringify({ choices: [{ message: { content: 'Vùng II: 4.730.000 đồng.' } }] })));
    const llm = createLlmRephraser({ baseUrl: 'http://llm.invalid/v1/', model: 'm' }, fake);
    expect(await llm.rephrase('q', [entry])).toBe('Vùng II: 4.730.000 đồng.');
    expect(fake).toHaveBeenCalledWith('http://llm.invalid/v1/chat/completions', expect.objectContaining({ method: 'POST' }));
  });
});

describe('rephraseAnswer', () => {
  const kbAnswer: QaAnswer = {
    kind: 'answer',
    entry,
    score: 10,
    confidence: 1,
    text: formatAnswerText(entry, { personalCase: true }),
    related: [],
    personalCase: true,
  };

  it('replaces the body, keeps the KB citation and the hand-off line', async () => {
    handler = reply('Vùng I: 5.310.000 đồng/tháng.');
    const out = await rephraseAnswer(kbAnswer, 'ltt vung 1', createLlmRephraser({ baseUrl, model: 'm' }));
    expect(out.kind).toBe('answer');
    if (out.kind === 'answer') {
      expect(out.text.startsWith('Vùng I: 5.310.000 đồng/tháng.')).toBe(true);
      expect(out.text).toContain('📖 Căn cứ: Nghị định 293/2025/NĐ-CP');
      expect(out.text).toContain('Gặp cán bộ');
    }
  });

  it('falls back to the KB answer when the model fails or is not configured', async () => {
    handler = reply('x', 503);
    expect(await rephraseAnswer(kbAnswer, 'q', createLlmRephraser({ baseUrl, model: 'm' }))).toBe(kbAnswer);
    expect(await rephraseAnswer(kbAnswer, 'q', null)).toBe(kbAnswer);
  });
});

describe('hasOnlyGroundedNumbers', () => {
  it('accepts numbers present in the entries regardless of formatting', () => {
    expect(hasOnlyGroundedNumbers('5310000 đồng từ 1/1/2026', [entry])).toBe(true);
    expect(hasOnlyGroundedNumbers('Không có con số nào', [entry])).toBe(true);
  });
  it('rejects a number absent from the entries', () => {
    expect(hasOnlyGroundedNumbers('theo Điều 90', [entry])).toBe(false);
  });
});
