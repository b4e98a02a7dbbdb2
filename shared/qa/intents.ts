/**
 * Cheap intent checks around retrieval: small talk (greetings, thanks, bye, "who are you", ok),
 * off-topic questions (weather, football, lottery…) and "my own case" questions that deserve a
 * hand-off offer. All functions take text already folded by `foldVietnamese`.
 */

export type SmalltalkKind = 'greeting' | 'thanks' | 'bye' | 'identity' | 'ack';

const SMALLTALK_PHRASES: Record<SmalltalkKind, string[]> = {
  greeting: [
    'xin chao', 'chao', 'chao buoi sang', 'chao buoi chieu', 'chao buoi toi', 'hi', 'hello', 'helo', 'hey', 'alo',
    'a lo', 'allo', 'good morning', 'co ai khong', 'co ai o do khong', 'hu', 'ad oi', 'admin oi', 'shop oi', 'oi',
    'cho hoi', 'xin hoi', 'cho em hoi', 'cho minh hoi', 'cho toi hoi', 'cho chau hoi', 'hoi chut', 'hoi xiu', 'em muon hoi',
    'minh muon hoi', 'toi muon hoi', 'muon hoi', 'can hoi', 'hoi ti', 'hoi ad', 'ad cho hoi', 'cong doan oi',
  ],
  thanks: [
    'cam on', 'camon', 'cam ong', 'cmon', 'thank', 'thanks', 'thank you', 'thankyou', 'tks', 'thks', 'thx',
    'da cam on', 'xin cam on', 'cam on nhieu', 'ok cam on', 'cam on ban',
  ],
  bye: ['tam biet', 'bye', 'bye bye', 'bai', 'bai bai', 'bb', 'hen gap lai', 'goodbye', 'chao tam biet'],
  identity: [
    'ban la ai', 'may la ai', 'em la ai', 'ai vay', 'ai day', 'ai the', 'la ai', 'ban ten gi', 'ten gi',
    'ban la bot', 'la bot', 'bot', 'ban lam duoc gi', 'ban giup duoc gi', 'day la dau', 'day la ai',
    'ban la nguoi that', 'nguoi that khong', 'co phai nguoi that khong', 'ban may tuoi', 'ban bao nhieu tuoi',
    'ban o dau', 'ten ban la gi', 'ban ten la gi', 'ten cua ban', 'ten ban', 'ban ten', 'ban khoe khong',
    'khoe khong', 'ban co khoe khong', 'ban la robot', 'la robot', 'ai tra loi',
  ],
  ack: [
    'ok', 'oke', 'okie', 'okay', 'oki', 'okela', 'vang', 'da', 'da vang', 'u', 'uk', 'uh', 'um', 'uhm', 'duoc roi',
    'hieu roi', 'da hieu', 'ro roi', 'hihi', 'haha', 'hehe', 'hic', 'good', 'tot qua', 'hay qua', 'vay a',
    'the a', 'roi', 'nhe', 'nha', 'khong', 'ko', 'k', 'ukm',
  ],
};

/** Words that may surround small talk without changing it ("chào ad ạ", "cảm ơn bạn nhiều nhé"). */
const FILLERS = new Set([
  'a', 'ad', 'admin', 'oi', 'nhe', 'nha', 'nhieu', 'ban', 'bot', 'em', 'anh', 'chi', 'minh', 'ha', 'vay', 'lam',
  'qua', 'nhat', 'ca', 'nhen', 'nghen', 'shop', 'moi', 'nguoi', 'cong', 'doan', 'cd', 'ah', 'ak', 'ne',
  'huhu', 'hihi', 'haha', 'rat', 'so', 'much', 'very', 'you', 'tro', 'ly',
]);

const HANDOFF_PATTERNS = [
  'gap can bo', 'gap can bo cong doan', 'noi chuyen voi can bo', 'gap nguoi that', 'noi chuyen voi nguoi that',
  'gap nhan vien', 'gap tu van vien', 'tu van vien', 'can bo tu van', 'chuyen can bo', 'ket noi can bo',
  'lien he can bo', 'muon gap can bo', 'cho gap can bo', 'goi can bo', 'hotline', 'so dien thoai cong doan',
];

/** The user asks for a human officer ("Gặp cán bộ"); the bot opens a hand-off ticket. */
export function isHandoffRequest(folded: string): boolean {
  const text = folded.replace(/[^a-z0-9]+/g, ' ').trim();
  if (!text || text.split(' ').length > 10) return false;
  return HANDOFF_PATTERNS.some((p) => containsPhrase(text, p));
}

const PRIORITY: SmalltalkKind[] = ['thanks', 'bye', 'identity', 'greeting', 'ack'];

const PHRASE_LIST: Array<{ words: string[]; kind: SmalltalkKind }> = (
  Object.entries(SMALLTALK_PHRASES) as Array<[SmalltalkKind, string[]]>
)
  .flatMap(([kind, list]) => list.map((p) => ({ words: p.split(' '), kind })))
  .sort((a, b) => b.words.length - a.words.length);

function plainWords(folded: string): string[] {
  return folded
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
}

/**
 * If the whole message is small talk, returns its kind. Otherwise returns the message with a
 * leading greeting removed ("chào ad, cho hỏi lương tối thiểu" → "cho hỏi lương tối thiểu").
 */
export function detectSmalltalk(folded: string): { kind: SmalltalkKind | null; rest: string } {
  const words = plainWords(folded);
  if (words.length === 0) return { kind: null, rest: folded };
  const found = new Set<SmalltalkKind>();
  let i = 0;
  let lastSmalltalkEnd = 0;
  while (i < words.length) {
    const match = PHRASE_LIST.find((p) => p.words.every((w, j) => words[i + j] === w));
    if (match) {
      found.add(match.kind);
      i += match.words.length;
      lastSmalltalkEnd = i;
      continue;
    }
    if (FILLERS.has(words[i])) {
      i++;
      continue;
    }
    break;
  }
  if (i >= words.length && found.size > 0) {
    return { kind: PRIORITY.find((k) => found.has(k)) ?? 'ack', rest: '' };
  }
  // Small talk before a real question ("chào ad, cảm ơn, cho hỏi…"): drop the polite prefix only.
  if (found.size > 0 && lastSmalltalkEnd > 0) {
    return { kind: null, rest: words.slice(lastSmalltalkEnd).join(' ') };
  }
  return { kind: null, rest: folded };
}

/** Topics we never answer with a legal fact. Folded phrases, matched on word boundaries. */
const OFFTOPIC_PHRASES = [
  'thoi tiet', 'du bao thoi tiet', 'mua bao', 'bong da', 'da bong', 'world cup', 'worldcup', 'ty so', 'tran dau',
  'ngoai hang anh', 'cup c1', 'xo so', 'xsmb', 'xsmn', 'vietlott', 'lo de', 'so de', 'danh de', 'con gi', 'truyen cuoi',
  'chuyen cuoi', 'ke chuyen', 'noi dua', 'bai hat', 'hat mot bai', 'nghe nhac', 'xem phim', 'bo phim', 'phim hay',
  'choi game', 'tro choi', 'lien quan mobile', 'nau an', 'mon an', 'cong thuc nau', 'nau mon', 'an gi', 'gia vang',
  'vang sjc', 'ty gia', 'do la', 'chung khoan', 'co phieu', 'bitcoin', 'tien ao', 'crypto', 'mua ban', 'ban hang online',
  'nha dat', 'bat dong san', 'xem boi', 'tu vi', 'cung hoang dao', 'phong thuy', 'nguoi yeu', 'tinh yeu', 'crush',
  'hen ho', 'that tinh', 'lam tho', 'lam bai tap', 'giai toan', 'dich sang tieng anh', 'dich tieng anh', 'thoi trang',
  'iphone', 'samsung', 'dien thoai nao', 'xe may nao', 'o to', 'gia xang', 'ket xe', 'tin tuc showbiz', 'ca si',
  'dien vien', 'hoa hau', 'tiktok', 'facebook', 'youtube', 'may gio roi', 'hom nay thu may', 'ngay mai thu may',
  'ban an com chua', 'an com chua', 'di choi', 'du lich o dau', 'quan an', 'ca phe', 'tra sua', 'vay tien', 'vay online',
  'app vay', 'cho vay', 'trung so', 'casino', 'ca cuoc', 'keo bong', 'di choi', 'choi gi', 'an choi', 'xe may', 'dang ky xe', 'bang lai',
  'lai xe', 'sang ten', 'dang kiem', 'nau an', 'nau mon', 'cach nau', 'nau pho', 'nau com', 'lam banh', 'troi mua', 'mua khong', 'nang nong', 'da banh', 'bong chuyen', 'an uong', 'quan nhau', 'di nhau', 'nhau nhet', 'ruou', 'bia', 'thuoc la',
  'tong thong', 'chu tich nuoc', 'bau cu my', 'chien tranh', 'lich cat dien', 'cat dien', 'cup nuoc', 'tien dien',
  'tien nuoc', 'hoc tieng', 'tieng anh', 'tieng nhat', 'tieng trung', 'lam dep', 'my pham', 'giam can', 'tap gym',
  'con meo', 'con cho', 'thu cung', 'cay canh', 'mua sam', 'shopee', 'lazada', 'tiki', 'grab food', 'giao do an',
  'nguoi yeu cu', 'tan gai', 'tan trai', 'lay vo giau', 'bai van', 'lam van', 'lam toan', 'bang may', 'cong tru',
  'may gio', 'may tuoi roi', 'ban bao nhieu tuoi', 'ban o dau', 'ban an gi', 'thich gi', 'hat', 'nhay', 'dua toi',
  'doan so', 'so may man', 'bao thu', 'vat ly', 'hoa hoc', 'lich su the gioi', 'dia ly', 'so dien thoai cua ban',
  'sdt cua ban', 'doi tien', 'tien do', 'usd', 'ban xe', 'mua xe', 'xe cu', 'tivi', 'wifi', 'mat khau', 'tai zalo',
  'cai zalo', 'tai app', 'phim', 've may bay', 've tau', 'khach san', 'homestay', 'nha tro gia re', 'sua dien thoai',
  'sua xe', 'chup anh', 'selfie', 'trang diem', 'toc', 'giay dep', 'quan ao', 'sua cho con', 'bim', 'ta cho be',
  'so dien thoai', 'sdt', 'link', 'kiem tien online', 'viec lam online', 'lam them online', 'tro choi', 'dang ky sim', 'nap the', 'the cao',
];

/** Words that mark a labour/union question even when an off-topic word is present. */
const DOMAIN_ANCHORS = [
  'luong', 'bao hiem', 'bhxh', 'bhyt', 'bhtn', 'hop dong', 'hdld', 'cong doan', 'doan vien', 'doan phi', 'nghi phep',
  'nghi viec', 'thai san', 'that nghiep', 'lao dong', 'nld', 'nsdld', 'cong ty', 'cty', 'tro cap', 'sa thai', 'huu',
  'thue thu nhap', 'tncn', 'tang ca', 'lam them', 'ca dem', 'thu viec', 'nghi le', 'nghi tet', 'ky luat', 'cong nhan',
  'kpcd', 'doanh nghiep', 'quay roi', 'tai nan', 'om dau', 'thoi viec', 'mat viec', 'khieu nai', 'duoi viec',
  'bao truoc', 'di lam', 'nghi lam', 'ca lam', 'tien luong', 'phu cap', 'thuong', 'ngay cong', 'cham cong', 'to truong',
  'quan ly', 'giam doc', 'nha may', 'khu cong nghiep', 'kcn', 'nghi huu', 'so bao hiem', 'tuoi huu',
]

function containsPhrase(text: string, phrase: string): boolean {
  const i = text.indexOf(phrase);
  if (i < 0) return false;
  return new RegExp(`(^| )${phrase}( |$)`).test(text);
}

export function isOffTopic(folded: string): boolean {
  const text = folded.replace(/[^a-z0-9]+/g, ' ').trim();
  if (!text) return false;
  if (!OFFTOPIC_PHRASES.some((p) => containsPhrase(text, p))) return false;
  return !DOMAIN_ANCHORS.some((p) => containsPhrase(text, p));
}

const GRIEVANCE = [
  'no luong', 'khong tra luong', 'chua tra luong', 'khong tra', 'chua tra', 'tra thieu', 'quyt', 'khat luong',
  'cham luong', 'tre luong', 'tru luong', 'cat luong', 'giam luong', 'duoi viec', 'bi duoi', 'sa thai', 'bi sa thai',
  'cho nghi viec', 'bat nghi', 'ep nghi', 'ep ky', 'ep viet don', 'khong bao truoc', 'khong dong bao hiem',
  'khong dong bhxh', 'chua dong bhxh', 'tron dong', 'no bhxh', 'no bao hiem', 'khong chot so', 'giu so', 'khong cho nghi',
  'khong chiu tra', 'khong chiu', 'bi phat', 'bi tru', 'bi ep', 'bi quay roi', 'quay roi', 'bi tai nan', 'bi danh',
  'bi chui', 'phan biet doi xu', 'khong ky hop dong', 'khong tra so', 'bo tron', 'chu bo tron', 'giam doc bo tron',
];

const HELP_SEEKING = [
  'phai lam sao', 'lam sao bay gio', 'phai lam gi', 'lam gi bay gio', 'gio phai lam sao', 'giup toi', 'giup em',
  'giup minh', 'giup voi', 'cuu', 'kien', 'khoi kien', 'khieu nai', 'to cao', 'bao ai', 'nho ai', 'hoi ai',
  'can tu van', 'tu van giup', 'xu ly the nao', 'xu ly sao', 'doi lai', 'doi tien', 'doi luong', 'lam cach nao de',
];

const FIRST_PERSON = /(^| )(toi|em|minh|tui|tao|chung toi|chung em|anh em|vo toi|chong toi|con toi|me toi)( |$)/;

/** "My own case" questions: a grievance plus a call for help or a first-person narrative. */
export function looksPersonalCase(folded: string): boolean {
  const text = folded.replace(/[^a-z0-9]+/g, ' ').trim();
  if (!text) return false;
  const grievance = GRIEVANCE.some((p) => containsPhrase(text, p));
  const help = HELP_SEEKING.some((p) => containsPhrase(text, p));
  const firstPerson = FIRST_PERSON.test(text);
  const startsWithBi = /^bi /.test(text);
  return (grievance && (help || firstPerson || startsWithBi)) || (help && firstPerson);
}
