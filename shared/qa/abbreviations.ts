/**
 * Abbreviations, worker slang and stopwords for Vietnamese Q&A matching.
 * Every key here is in folded form (lowercase, no diacritics, đ→d), because the normalizer
 * folds text before applying these tables.
 */

/** Single-token abbreviations → full folded phrase. */
export const TOKEN_ABBREVIATIONS: Readonly<Record<string, string>> = {
  // insurance
  bhxh: 'bao hiem xa hoi',
  bhyt: 'bao hiem y te',
  bhtn: 'bao hiem that nghiep',
  bhtnld: 'bao hiem tai nan lao dong',
  bh: 'bao hiem',
  tnld: 'tai nan lao dong',
  bnn: 'benh nghe nghiep',
  atvsld: 'an toan ve sinh lao dong',
  atld: 'an toan lao dong',
  tctn: 'tro cap that nghiep',
  tcthoiviec: 'tro cap thoi viec',
  ts: 'thai san',
  // contracts, parties
  hdld: 'hop dong lao dong',
  hd: 'hop dong',
  hdtv: 'hop dong thu viec',
  nld: 'nguoi lao dong',
  nsdld: 'nguoi su dung lao dong',
  nsd: 'nguoi su dung lao dong',
  dn: 'doanh nghiep',
  cty: 'cong ty',
  cti: 'cong ty',
  ct: 'cong ty',
  congty: 'cong ty',
  sep: 'cong ty',
  nv: 'nhan vien',
  kcn: 'khu cong nghiep',
  blld: 'bo luat lao dong',
  nd: 'nghi dinh',
  ndcp: 'nghi dinh',
  // union
  cd: 'cong doan',
  cdcs: 'cong doan co so',
  dvcd: 'doan vien cong doan',
  dv: 'doan vien',
  bch: 'ban chap hanh',
  tld: 'tong lien doan lao dong',
  tldld: 'tong lien doan lao dong',
  ldld: 'lien doan lao dong',
  kpcd: 'kinh phi cong doan',
  tuldtt: 'thoa uoc lao dong tap the',
  tuld: 'thoa uoc lao dong tap the',
  // wages, tax
  ltt: 'luong toi thieu',
  lttv: 'luong toi thieu vung',
  lcs: 'luong co so',
  ot: 'lam them gio',
  overtime: 'lam them gio',
  tncn: 'thu nhap ca nhan',
  ttncn: 'thue thu nhap ca nhan',
  gtgc: 'giam tru gia canh',
  tr: 'trieu',
  // chat shorthand
  ko: 'khong',
  k: 'khong',
  kg: 'khong',
  kh: 'khong',
  khg: 'khong',
  hk: 'khong',
  hok: 'khong',
  hong: 'khong',
  khum: 'khong',
  hem: 'khong',
  dc: 'duoc',
  dk: 'duoc',
  duowc: 'duoc',
  j: 'gi',
  ji: 'gi',
  bn: 'bao nhieu',
  bnh: 'bao nhieu',
  baonhieu: 'bao nhieu',
  nhiu: 'nhieu',
  ntn: 'nhu the nao',
  lm: 'lam',
  ng: 'nguoi',
  vs: 'voi',
  mk: 'minh',
  mik: 'minh',
  mjk: 'minh',
  mh: 'minh',
  e: 'em',
  t: 'toi',
  tui: 'toi',
  r: 'roi',
  trc: 'truoc',
  thg: 'thang',
  tg: 'thoi gian',
  vn: 'viet nam',
  sdt: 'so dien thoai',
};

/** A multi-word rewrite over folded syllables, with optional negative context (one syllable each side). */
export interface PhraseRewrite {
  from: string;
  to: string;
  notFollowedBy?: readonly string[];
  notPrecededBy?: readonly string[];
  /** Apply only when the previous syllable is one of these (or, with `followedBy`, the next one is). */
  precededBy?: readonly string[];
  followedBy?: readonly string[];
}

/**
 * Multi-word rewrites over folded syllables, applied after TOKEN_ABBREVIATIONS in left-to-right
 * passes (longest match first) until nothing changes. Used for slang and for mapping several wordings to one canonical
 * form, both in the KB and in questions, so either side may use either wording.
 */
export const PHRASE_REWRITES: ReadonlyArray<PhraseRewrite> = [
  // overtime
  { from: 'gio tang ca', to: 'lam them gio' },
  { from: 'gio lam them', to: 'lam them gio' },
  { from: 'tang ca', to: 'lam them gio' },
  { from: 'over time', to: 'lam them gio' },
  { from: 'lam ngoai gio', to: 'lam them gio' },
  { from: 'lam qua gio', to: 'lam them gio' },
  { from: 'lam them', to: 'lam them gio', notFollowedBy: ['gio'] },
  { from: 'thoi gio lam viec', to: 'thoi gian lam viec' },
  // night work
  { from: 'ca dem', to: 'ban dem' },
  { from: 'lam dem', to: 'lam ban dem' },
  { from: 'truc dem', to: 'lam ban dem' },
  // leave
  { from: 'nghi hang nam', to: 'nghi phep nam' },
  { from: 'phep nam', to: 'nghi phep nam', notPrecededBy: ['nghi'] },
  { from: 'ngay phep', to: 'ngay nghi phep nam' },
  { from: 'nghi de', to: 'nghi thai san' },
  { from: 'nghi sinh con', to: 'nghi thai san sinh con' },
  { from: 'sap de', to: 'sap sinh con' },
  { from: 'sap sinh', to: 'sap sinh con', notFollowedBy: ['con'] },
  { from: 'nghi sinh', to: 'nghi thai san' },
  { from: 'nghi sanh', to: 'nghi thai san' },
  { from: 'sinh de', to: 'sinh con' },
  { from: 'sanh con', to: 'sinh con' },
  { from: 'de con', to: 'sinh con' },
  { from: 'vo de', to: 'vo sinh con' },
  { from: 'sinh em be', to: 'sinh con' },
  { from: 'nghi om', to: 'nghi om dau', notFollowedBy: ['dau'] },
  // family events
  { from: 'lay vo', to: 'ket hon' },
  { from: 'lay chong', to: 'ket hon' },
  { from: 'cuoi vo', to: 'ket hon' },
  { from: 'cuoi chong', to: 'ket hon' },
  { from: 'dam cuoi', to: 'ket hon' },
  { from: 'dam hoi', to: 'ket hon' },
  { from: 'cuoi hoi', to: 'ket hon' },
  { from: 'lam dam cuoi', to: 'ket hon' },
  { from: 'qua doi', to: 'chet' },
  { from: 'tu tran', to: 'chet' },
  { from: 'dam ma', to: 'tang chet' },
  { from: 'dam tang', to: 'tang chet' },
  { from: 'dam hieu', to: 'tang chet' },
  {
    from: 'mat',
    to: 'chet',
    precededBy: ['bo', 'me', 'cha', 'ba', 'ong', 'vo', 'chong', 'con', 'noi', 'ngoai', 'ruot', 'de', 'nuoi', 'trai', 'gai', 'em', 'chi', 'anh'],
    notFollowedBy: ['viec', 'tien', 'the', 'suc', 'so', 'giay', 'luong', 'kha'],
  },
  // dismissal and quitting
  { from: 'duoi viec', to: 'sa thai' },
  { from: 'bi duoi viec', to: 'bi sa thai' },
  { from: 'bi duoi', to: 'bi sa thai' },
  { from: 'duoi', to: 'sa thai', precededBy: ['ty', 'sep', 'chu', 'doa', 'ly', 'bi'] },
  { from: 'duoi', to: 'sa thai', followedBy: ['em', 'toi', 'minh', 'tui', 'nguoi', 'cong', 'lao', 'chi', 'anh', 'ngang', 'het'] },
  { from: 'cat hop dong', to: 'cham dut hop dong' },
  { from: 'khoi di lam', to: 'sa thai' },
  { from: 'cham dut hdld', to: 'cham dut hop dong lao dong' },
  { from: 'cho thoi viec', to: 'sa thai' },
  { from: 'cho nghi viec', to: 'sa thai' },
  { from: 'bat nghi viec', to: 'sa thai' },
  { from: 'ep nghi viec', to: 'sa thai' },
  { from: 'nghi ngang', to: 'nghi viec khong bao truoc' },
  { from: 'bo ngang', to: 'nghi viec khong bao truoc' },
  { from: 'ngang', to: 'khong bao truoc', precededBy: ['thai', 'viec', 'duoi', 'dong'] },
  // contract types: keep the negation that stopword removal would drop
  { from: 'khong xac dinh thoi han', to: 'vo thoi han' },
  { from: 'khong thoi han', to: 'vo thoi han' },
  { from: 'khong co thoi han', to: 'vo thoi han' },
  // "CN" is Sunday in schedules ("làm CN") and a worker elsewhere
  { from: 'cn', to: 'chu nhat', precededBy: ['lam', 'ngay', 'vao', 'thu', 't7', 'va', 'ca'] },
  { from: 'cn', to: 'cong nhan' },
  // employer / worker wording → one canonical form each
  { from: 'nguoi su dung lao dong', to: 'cong ty' },
  { from: 'chu su dung lao dong', to: 'cong ty' },
  { from: 'chu doanh nghiep', to: 'cong ty' },
  { from: 'doanh nghiep', to: 'cong ty' },
  { from: 'cong ty cong ty', to: 'cong ty' },
  {
    from: 'chu',
    to: 'cong ty',
    notFollowedBy: ['nhat', 'tich', 'ho', 'nha', 'dong', 'yeu', 'de', 'quan', 'so', 'ky', 'truong', 'the', 'nghia', 'y', 'tro', 'no', 'tai'],
    notPrecededBy: ['lam', 'ngay', 'cac', 'nhung', 'chu'],
  },
  { from: 'cong nhan', to: 'nguoi lao dong' },
  { from: 'cong nhan vien', to: 'nguoi lao dong' },
  { from: 'nhan vien', to: 'nguoi lao dong' },
  // pregnancy slang
  { from: 'co bau', to: 'mang thai' },
  { from: 'mang bau', to: 'mang thai' },
  { from: 'ba bau', to: 'lao dong nu mang thai' },
  { from: 'dang bau', to: 'dang mang thai' },
  { from: 'co thai', to: 'mang thai' },
  { from: 'bau bi', to: 'mang thai' },
  {
    from: 'bau',
    to: 'mang thai',
    notFollowedBy: ['cu', 'ban', 'chon', 'lai', 'ra', 'thanh', 'troi', 'khong', 'khi', 'chu', 'dai', 'vao', 'lam', 'ung', 'len'],
    notPrecededBy: ['duoc', 'bo', 'tu', 'ngan'],
  },
  // deadlines and paying
  { from: 'han chot', to: 'thoi han' },
  { from: 'han cuoi', to: 'thoi han' },
  { from: 'nop', to: 'dong', notFollowedBy: ['ho', 'don', 'giay', 'phat', 'ban', 'dau'] },
  // retirement
  { from: 've huu', to: 'nghi huu' },
  { from: 've luong huu', to: 'nghi huu' },
  { from: 'huu tri', to: 'nghi huu' },
  // wages
  { from: 'luong min', to: 'luong toi thieu' },
  { from: 'khat luong', to: 'no luong' },
  { from: 'giam luong', to: 'tru luong' },
  { from: 'cat luong', to: 'tru luong' },
  { from: 'cham luong', to: 'tra luong cham' },
  { from: 'luong cham', to: 'tra luong cham', notPrecededBy: ['tra'] },
  { from: 'thieu luong', to: 'no luong' },
  { from: 'khong tra luong', to: 'no luong', notFollowedBy: ['dung', 'du', 'theo'] },
  { from: 'chua tra luong', to: 'no luong' },
  { from: 'khong co cong doan', to: 'chua co cong doan' },
  { from: 'quyt luong', to: 'no luong' },
  { from: 'giu luong', to: 'no luong' },
  { from: 'tien cong', to: 'tien luong' },
  // holidays
  { from: 'tet nguyen dan', to: 'tet am lich' },
  { from: 'tet ta', to: 'tet am lich' },
  { from: 'tet am', to: 'tet am lich', notFollowedBy: ['lich'] },
  { from: 'tet tay', to: 'tet duong lich' },
  { from: 'tet duong', to: 'tet duong lich', notFollowedBy: ['lich'] },
  { from: '2 thang 9', to: '2 9' },
  { from: '30 thang 4', to: '30 4' },
  { from: '1 thang 5', to: '1 5' },
  { from: 'gio to', to: 'gio to hung vuong', notFollowedBy: ['hung'] },
  // insurance
  { from: 'rut so', to: 'rut bao hiem xa hoi' },
  { from: 'lanh so', to: 'rut bao hiem xa hoi' },
  { from: 'so bao hiem', to: 'so bao hiem xa hoi', notFollowedBy: ['xa'] },
  { from: 'an bao hiem', to: 'huong bao hiem' },
  { from: 'lanh that nghiep', to: 'huong tro cap that nghiep' },
  { from: 'huong that nghiep', to: 'huong tro cap that nghiep' },
  { from: 'tien that nghiep', to: 'tien tro cap that nghiep' },
  { from: 'an that nghiep', to: 'huong tro cap that nghiep' },
  { from: 'lanh', to: 'huong', notFollowedBy: ['dao', 'su', 'tho', 'dam', 'lung', 'manh'] },
  { from: 'nhan', to: 'huong', precededBy: ['duoc', 'se', 'da', 'chua'], notFollowedBy: ['lai', 'vien', 'dan', 'than', 'su'] },
  { from: 'nhan', to: 'huong', followedBy: ['tro', 'tien', 'luong', 'bao', 'che'] },
  { from: 'lam that nghiep', to: 'huong tro cap that nghiep' },
  // union
  { from: 'vao cong doan', to: 'gia nhap cong doan' },
  { from: 'tham gia cong doan', to: 'gia nhap cong doan' },
  { from: 'ket nap', to: 'gia nhap' },
  { from: 'phi cong doan', to: 'doan phi', notPrecededBy: ['kinh', 'doan'] },
  { from: 'quy cong doan', to: 'kinh phi cong doan' },
  // number words that matter for matching ("rút một lần" = "rút 1 lần", "con thứ hai" = "con thứ 2")
  { from: 'mot lan', to: '1 lan' },
  { from: 'thu hai', to: 'thu 2' },
  { from: 'thu ba', to: 'thu 3' },
  { from: 'duoi mot', to: 'duoi 1' },
  { from: 'vung mot', to: 'vung 1' },
  { from: 'vung hai', to: 'vung 2' },
  { from: 'vung ba', to: 'vung 3' },
  { from: 'vung bon', to: 'vung 4' },
  { from: 'hai lan', to: '2 lan' },
  // roman numerals for minimum-wage regions
  { from: 'vung iv', to: 'vung 4' },
  { from: 'vung iii', to: 'vung 3' },
  { from: 'vung ii', to: 'vung 2' },
  { from: 'vung i', to: 'vung 1' },
];

/**
 * Provinces and big cities (folded). A place in a question is context, not topic: the normalizer
 * replaces it with the marker syllable PLACE_MARKER so it neither matches nor counts as an unknown word.
 */
export const PLACE_NAMES: ReadonlyArray<string> = [
  'ha noi', 'ho chi minh', 'tp hcm', 'tphcm', 'hcm', 'sai gon', 'hai phong', 'da nang', 'can tho', 'hue', 'binh duong',
  'dong nai', 'bac ninh', 'bac giang', 'hai duong', 'hung yen', 'vinh phuc', 'thai nguyen', 'long an', 'tay ninh',
  'ba ria', 'vung tau', 'quang ninh', 'nghe an', 'thanh hoa', 'ha tinh', 'quang nam', 'quang ngai', 'binh dinh',
  'khanh hoa', 'nha trang', 'lam dong', 'da lat', 'dak lak', 'gia lai', 'kon tum', 'an giang', 'kien giang', 'ca mau',
  'bac lieu', 'soc trang', 'tra vinh', 'ben tre', 'tien giang', 'dong thap', 'vinh long', 'hau giang', 'binh phuoc',
  'binh thuan', 'ninh thuan', 'phu yen', 'quang binh', 'quang tri', 'nam dinh', 'ninh binh', 'thai binh', 'ha nam',
  'hoa binh', 'son la', 'dien bien', 'lai chau', 'lao cai', 'yen bai', 'tuyen quang', 'ha giang', 'cao bang',
  'bac kan', 'lang son', 'phu tho', 'thu duc', 'binh tan', 'go vap', 'tan binh', 'cu chi', 'hoc mon', 'di an',
  'thu dau mot', 'bien hoa', 'nhon trach', 'tu son', 'yen phong', 'que vo',
];
export const PLACE_MARKER = 'qtplace';

/** Syllables that are always dropped from search tokens (question words, pronouns, particles). */
export const STOPWORDS: ReadonlySet<string> = new Set([
  'a', 'ah', 'ak', 'ad', 'admin', 'ai', 'anh', 'biet', 'bi', 'cac', 'cua', 'da', 'do', 'duoc', 'em', 'gi',
  'giup', 'ha', 'hay', 'hoac', 'khi', 'khong', 'la', 'ma', 'may', 'minh', 'nao', 'nay', 'neu', 'nhe', 'nhi',
  'nhieu', 'nhu', 'nhung', 'nua', 'o', 'oi', 'ok', 'phai', 'ra', 'roi', 'sao', 'se', 'thi', 'u', 'va', 'vang',
  'vay', 've', 'voi', 'ban', 'co', 'toi', 'cho', 'hoi', 'the', 'chi', 'nha', 'xin', 'de', 'den', 'dang', 'muon',
  'can', 'vui', 'long', 'ne', 'luon', 'thoi', 'd', 'nghin',
]);

/**
 * Ambiguous syllables from STOPWORDS that are content words next to certain neighbours
 * (folding merges "có/cơ", "tôi/tối", "bạn/ban", "hỏi/hội", "thế/thẻ", …).
 * Key: syllable; value: [neighbours before it, neighbours after it] that keep it.
 */
export const CONTEXT_KEEP: Readonly<Record<string, readonly [readonly string[], readonly string[]]>> = {
  co: [[], ['so', 'quan', 'cau', 'hoi']],
  toi: [[], ['thieu', 'da']],
  ban: [['mua'], ['dem', 'ngay', 'chap', 'hanh', 'giao']],
  hoi: [['xa', 'co'], ['nghi', 'dong', 'vien']],
  the: [['tap'], ['doan', 'bao', 'dien', 'hien']],
  chi: [['thu'], ['phi', 'tra', 'tieu', 'nhanh', 'dinh']],
  nha: [['mai', 'xay'], ['o', 'tro', 'nuoc', 'may', 'dat', 'cua']],
  cho: [['gian'], ['tet', 'o']],
  de: [['sinh', 'vo', 'nghi', 'di'], ['nghi', 'xuat']],
  den: [[], ['bu']],
  dang: [[], ['ky']],
  muon: [['huu'], []],
  can: [[], ['bo', 'cu']],
  thoi: [[], ['viec', 'gian', 'gio', 'han', 'hieu', 'diem', 'tiet', 'vu', 'ky']],
  xin: [[], ['viec', 'nghi', 'thoi', 'gia']],
  da: [['toi'], ['giay']],
  may: [['nha', 'xe', 'thang', 'dien'], ['mac', 'moc', 'tinh', 'bay', 'lanh', 'giat']],
  ve: [['di'], ['sinh', 'que']],
};

/** Multi-syllable question phrases dropped as a whole (checked before single stopwords). */
export const STOP_PHRASES: ReadonlyArray<string> = [
  'bao nhieu',
  'bao lau',
  'bao gio',
  'khi nao',
  'luc nao',
  'o dau',
  'nhu the nao',
  'the nao',
  'ra sao',
  'lam sao',
  'lam the nao',
  'lam gi',
  'co the',
  'co duoc',
  'co phai',
  'duoc khong',
  'hay khong',
  'cho hoi',
  'xin hoi',
  'muon hoi',
  'hoi ve',
  'hoi chut',
  'hoi xiu',
  'cho biet',
  'vui long',
  'lam on',
  'giup voi',
  'hien nay',
  'hien tai',
  'bay gio',
  'quy dinh',
  'phan tram',
  'theo luat',
  'ad oi',
  'ban oi',
  'a oi',
];
