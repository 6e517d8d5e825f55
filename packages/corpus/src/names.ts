// Names of people and organisations: Chinese personal names from surname and given-name tables,
// foreign personal names, and fictional companies, universities, institutes and agencies built
// from parts. Organisations are a pure function of (kind, domain, rank), whatever the seed, so
// that the same applicant appears on many records with the same name and address, and the most
// common ranks file most (a Zipf-like applicant distribution).

import { Rng, WeightedTable, zipf } from "./prng.js";
import type { City } from "./regions.js";
import { CITY_TABLE, landline, postcodeIn, provinceCode, provinceShort, streetAddress } from "./regions.js";
import { pad } from "./text.js";
import type { DomainData } from "./vocabulary.js";

/** The hundred most common Chinese surnames, most common first. */
const SURNAMES = zipf(
  ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖" +
    "贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤").split(""),
  0.9,
);

const GIVEN_MALE: readonly string[] = "伟强磊军洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林博文昊然晨阳志峰建国海军永红".split("");
const GIVEN_FEMALE: readonly string[] = "芳娜敏静丽艳娟霞秀玲桂英燕萍红琳雪梅莉婷倩颖璐晶欣怡佳慧琪瑶妍蕾".split("");

/**
 * A Chinese personal name: a surname (Zipf-weighted) and one or two given-name characters
 * (`王伟`, `陈欣怡`).
 */
export function chineseName(rng: Rng): string {
  const surname = rng.weighted(SURNAMES);
  const pool = rng.chance(0.55) ? GIVEN_MALE : GIVEN_FEMALE;
  const first = rng.pick(pool);
  if (rng.chance(0.38)) return surname + first;
  let second = rng.pick(pool);
  if (second === first && rng.chance(0.7)) second = rng.pick(pool);
  return surname + first + second;
}

/** A country of foreign applicants, with the cities and street forms used for it. */
interface ForeignCountry {
  readonly code: string;
  readonly cities: readonly (readonly [city: string, state: string])[];
}

const FOREIGN: Readonly<Record<string, ForeignCountry>> = {
  US: { code: "US", cities: [["San Jose", "CA"], ["Austin", "TX"], ["Boston", "MA"], ["Seattle", "WA"], ["San Diego", "CA"], ["Chicago", "IL"], ["Palo Alto", "CA"]] },
  JP: { code: "JP", cities: [["Tokyo", "Tokyo"], ["Osaka", "Osaka"], ["Kyoto", "Kyoto"], ["Nagoya", "Aichi"], ["Kawasaki", "Kanagawa"]] },
  DE: { code: "DE", cities: [["Munich", "Bavaria"], ["Stuttgart", "Baden-Württemberg"], ["Berlin", "Berlin"], ["Dresden", "Saxony"], ["Ludwigshafen", "Rhineland-Palatinate"]] },
  KR: { code: "KR", cities: [["Seoul", "Seoul"], ["Suwon", "Gyeonggi-do"], ["Daejeon", "Daejeon"], ["Incheon", "Incheon"]] },
  FR: { code: "FR", cities: [["Paris", "Île-de-France"], ["Lyon", "Auvergne-Rhône-Alpes"], ["Grenoble", "Auvergne-Rhône-Alpes"]] },
  GB: { code: "GB", cities: [["Cambridge", "Cambridgeshire"], ["London", "Greater London"], ["Oxford", "Oxfordshire"]] },
  NL: { code: "NL", cities: [["Eindhoven", "North Brabant"], ["Delft", "South Holland"]] },
  CH: { code: "CH", cities: [["Basel", "Basel-Stadt"], ["Zurich", "Zurich"], ["Geneva", "Geneva"]] },
};

/** Countries of foreign applicants, weighted by their filings in China. */
export const FOREIGN_COUNTRIES: WeightedTable<string> = new WeightedTable(
  ["US", "JP", "DE", "KR", "FR", "GB", "NL", "CH"],
  [35, 25, 12, 12, 5, 4, 3, 4],
);

const WESTERN_GIVEN = ["John", "Michael", "David", "James", "Robert", "Maria", "Anna", "Thomas", "Peter", "Daniel", "Laura", "Sarah", "Christian",
  "Stefan", "Andreas", "Pierre", "Marie", "Eric", "Mark", "Jennifer", "Kevin", "Brian", "Julia", "Markus", "Martin"];
const WESTERN_FAMILY: Readonly<Record<string, readonly string[]>> = {
  US: ["Smith", "Johnson", "Williams", "Brown", "Miller", "Davis", "Wilson", "Anderson", "Taylor", "Moore", "Clark", "Lewis"],
  DE: ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann", "Koch"],
  FR: ["Dubois", "Martin", "Bernard", "Moreau", "Laurent", "Lefebvre", "Girard"],
  GB: ["Smith", "Jones", "Taylor", "Evans", "Walker", "Wright", "Hughes"],
  NL: ["Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit"],
  CH: ["Meier", "Keller", "Huber", "Steiner", "Brunner", "Baumann"],
};
const JAPANESE_FAMILY = ["Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi", "Kato", "Yoshida",
  "Yamada", "Sasaki", "Matsumoto", "Inoue", "Hoshikawa"];
const JAPANESE_GIVEN = ["Hiroshi", "Takashi", "Kenji", "Yuki", "Akira", "Satoshi", "Naoki", "Haruka", "Yoko", "Daisuke", "Kazuki", "Takuya",
  "Masato", "Emi", "Shinji"];
const KOREAN_FAMILY = ["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim"];
const KOREAN_GIVEN = ["Min-jun", "Seo-yeon", "Ji-hoon", "Hyun-woo", "Soo-jin", "Dong-hyun", "Eun-ji", "Sung-min", "Ji-woo", "Jae-won"];
const INITIALS = "ABCDEFGHJKLMNPRSTW";

/**
 * A foreign personal name as offices print it, family name first: `Smith, John A.`,
 * `Tanaka, Hiroshi`, `Kim, Min-jun`.
 */
export function foreignPersonName(rng: Rng, country: string): string {
  if (country === "JP") return `${rng.pick(JAPANESE_FAMILY)}, ${rng.pick(JAPANESE_GIVEN)}`;
  if (country === "KR") return `${rng.pick(KOREAN_FAMILY)}, ${rng.pick(KOREAN_GIVEN)}`;
  const family = rng.pick(WESTERN_FAMILY[country] ?? (WESTERN_FAMILY.US as readonly string[]));
  const given = rng.pick(WESTERN_GIVEN);
  return rng.chance(0.5) ? `${family}, ${given} ${INITIALS.charAt(rng.int(INITIALS.length))}.` : `${family}, ${given}`;
}

/** A foreign city and its state or prefecture. */
export function foreignCity(rng: Rng, country: string): readonly [city: string, state: string] {
  return rng.pick((FOREIGN[country] ?? (FOREIGN.US as ForeignCountry)).cities);
}

/** A foreign street address in the local form. */
export function foreignStreet(rng: Rng, country: string): string {
  const n = rng.range(1, 2999);
  switch (country) {
    case "DE":
    case "CH":
      return `${rng.pick(["Industriestraße", "Hauptstraße", "Forschungsweg", "Technologiepark"])} ${rng.range(1, 120)}`;
    case "NL":
      return `${rng.pick(["High Tech Campus", "Kanaalweg", "Mekelweg"])} ${rng.range(1, 99)}`;
    case "JP":
      return `${rng.range(1, 9)}-${rng.range(1, 30)}-${rng.range(1, 20)} ${rng.pick(["Marunouchi", "Shibaura", "Umeda", "Nishiki", "Shinagawa"])}`;
    case "KR":
      return `${rng.range(1, 500)}, ${rng.pick(["Teheran-ro", "Samsung-ro", "Gangnam-daero", "Pangyo-ro"])}`;
    case "FR":
      return `${rng.range(1, 120)} rue ${rng.pick(["de la Paix", "Victor Hugo", "des Lilas", "Pasteur"])}`;
    default:
      return `${n} ${rng.pick(["Innovation Drive", "Technology Way", "Main Street", "Research Parkway", "Park Avenue"])}`;
  }
}

/** Brand syllables with their pinyin, for company names and trademarks. */
const BRAND_FIRST: readonly (readonly [string, string])[] = [
  ["华", "hua"], ["中", "zhong"], ["恒", "heng"], ["天", "tian"], ["宏", "hong"], ["鑫", "xin"], ["瑞", "rui"], ["博", "bo"], ["金", "jin"],
  ["新", "xin"], ["海", "hai"], ["东", "dong"], ["盛", "sheng"], ["泰", "tai"], ["嘉", "jia"], ["德", "de"], ["长", "chang"], ["万", "wan"],
  ["美", "mei"], ["安", "an"], ["星", "xing"], ["智", "zhi"], ["联", "lian"], ["永", "yong"], ["明", "ming"], ["正", "zheng"], ["凯", "kai"],
  ["锦", "jin"], ["汇", "hui"], ["奥", "ao"], ["普", "pu"], ["欣", "xin"], ["睿", "rui"], ["晶", "jing"], ["蓝", "lan"], ["力", "li"],
  ["先", "xian"], ["亿", "yi"], ["信", "xin"], ["同", "tong"], ["光", "guang"], ["宇", "yu"], ["远", "yuan"], ["腾", "teng"], ["卓", "zhuo"],
  ["领", "ling"],
];
const BRAND_SECOND: readonly (readonly [string, string])[] = [
  ["锐", "rui"], ["科", "ke"], ["达", "da"], ["源", "yuan"], ["通", "tong"], ["创", "chuang"], ["能", "neng"], ["泰", "tai"], ["盛", "sheng"],
  ["辉", "hui"], ["成", "cheng"], ["华", "hua"], ["宇", "yu"], ["信", "xin"], ["诚", "cheng"], ["拓", "tuo"], ["航", "hang"], ["驰", "chi"],
  ["迈", "mai"], ["思", "si"], ["维", "wei"], ["捷", "jie"], ["威", "wei"], ["邦", "bang"], ["丰", "feng"], ["润", "run"], ["康", "kang"],
  ["兴", "xing"], ["峰", "feng"], ["晟", "sheng"], ["翔", "xiang"], ["耀", "yao"], ["森", "sen"], ["芯", "xin"], ["微", "wei"], ["视", "shi"],
  ["云", "yun"], ["禾", "he"], ["悦", "yue"], ["享", "xiang"],
];

/** A two-character brand: the characters and their pinyin (`华锐`, `HUARUI`). */
export interface Brand {
  /** The characters: `华锐`. */
  readonly zh: string;
  /** Pinyin without tones, upper case: `HUARUI`. */
  readonly pinyin: string;
}

/** A two-character brand drawn from the syllable tables (never the same character twice). */
export function chineseBrand(rng: Rng): Brand {
  const a = rng.pick(BRAND_FIRST);
  let b = rng.pick(BRAND_SECOND);
  if (b[0] === a[0]) b = BRAND_SECOND[(BRAND_SECOND.indexOf(b) + 1) % BRAND_SECOND.length] as readonly [string, string];
  return { zh: a[0] + b[0], pinyin: (a[1] + b[1]).toUpperCase() };
}

const LATIN_HEAD = ["Al", "Ver", "Nor", "Kel", "Tri", "Zen", "Ori", "Mar", "Sol", "Quan", "Vel", "Cor", "Ax", "Lum", "Nex", "Stra", "Hel", "Opt",
  "Pol", "Ter", "Avan", "Cal", "Dex", "Flo"];
const LATIN_TAIL = ["tex", "ion", "vis", "dyne", "cor", "gen", "tron", "lux", "vant", "ora", "ix", "ent", "ara", "itec", "um", "aris", "eon", "ova"];

/** An invented Latin brand word: `Norvis`, `Lumitec`. */
export function latinBrand(rng: Rng): string {
  return rng.pick(LATIN_HEAD) + rng.pick(LATIN_TAIL);
}

/** An organisation (company, university, institute or agency) with its seat. */
export interface Organisation {
  /** Name as published. */
  readonly name: string;
  /** The part of the name a searcher types: the brand (`华锐`), or the name itself. */
  readonly searchName: string;
  /** Office code of its country: `CN`, `US`. */
  readonly country: string;
  /** City, in the local language (`深圳市`, `Munich`). */
  readonly city: string;
  /** Province or state. */
  readonly state: string;
  /** Street address. */
  readonly address: string;
  /** Postcode (empty abroad). */
  readonly postcode: string;
  /** Unified social credit code, agency code, or empty. */
  readonly identifier: string;
  /** Telephone (Chinese organisations). */
  readonly phone: string;
  /** GB/T 2260 province code for Chinese organisations, empty otherwise. */
  readonly region: string;
}

const USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/**
 * A unified social credit code (GB 32100-2015) with a valid check character: registration
 * department and type (`91` enterprise, `12` public institution, `51` social organisation),
 * the division code, an organisation code, the check.
 */
export function unifiedSocialCreditCode(rng: Rng, city: City, type: "91" | "12" | "51"): string {
  let body = `${type}${city.code}`;
  for (let i = 0; i < 9; i++) body += USCC_CHARS.charAt(rng.int(i === 0 ? 10 : USCC_CHARS.length));
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(body.charAt(i)) * (USCC_WEIGHTS[i] as number);
  const check = (31 - (sum % 31)) % 31;
  return body + USCC_CHARS.charAt(check);
}

// Organisations are pure functions of their key; the most common ranks are asked for again and
// again, so they are memoised. The cache is bounded (cleared when full), so memory stays
// constant whatever the corpus size, and results never depend on what is cached.
const ORGANISATION_CACHE_LIMIT = 50_000;
const organisations = new Map<number, Organisation>();

function memo(kind: number, country: number, pool: number, rank: number, make: () => Organisation): Organisation {
  const key = ((kind * 16 + country) * 256 + (pool & 0xff)) * 65_536 + (rank & 0xffff);
  let org = organisations.get(key);
  if (org === undefined) {
    if (organisations.size >= ORGANISATION_CACHE_LIMIT) organisations.clear();
    org = make();
    organisations.set(key, org);
  }
  return org;
}

const COUNTRY_KEYS = ["US", "JP", "DE", "KR", "FR", "GB", "NL", "CH", "EP", "WO"];

function countryIndex(country: string): number {
  const i = COUNTRY_KEYS.indexOf(country);
  return i < 0 ? 15 : i;
}

const SALT_COMPANY = 0xc0a1;
const SALT_UNIVERSITY = 0x0a11;
const SALT_INSTITUTE = 0x1a57;
const SALT_AGENCY = 0xa6e1;
const SALT_FOREIGN = 0xf0e1;
const SALT_FIRM = 0xf112;

const COMPANY_SUFFIXES = new WeightedTable(
  ["科技有限公司", "有限公司", "股份有限公司", "技术有限公司", "集团有限公司", "科技股份有限公司", "有限责任公司", "实业有限公司"],
  [35, 15, 15, 10, 5, 10, 5, 5],
);

function chineseSeat(rng: Rng, name: string, searchName: string, type: "91" | "12"): Organisation {
  const city = rng.weighted(CITY_TABLE);
  return {
    name: name.replace("{city}", city.name).replace("{cityShort}", city.short).replace("{province}", provinceShort(city)),
    searchName,
    country: "CN",
    city: city.name,
    state: city.province,
    address: streetAddress(rng, city, false),
    postcode: postcodeIn(rng, city),
    identifier: unifiedSocialCreditCode(rng, city, type),
    phone: landline(rng, city),
    region: provinceCode(city),
  };
}

/**
 * The Chinese company of a given rank in a pool (a technical domain, a Nice class...), e.g.
 * `深圳市华锐新能源科技有限公司`: brand, one of the pool's industry words, a legal form. The same
 * (pool, rank) always names the same company, with the same seat and credit code. Results are
 * memoised by (pool, rank), so `industries` must be the same for every call with the same pool.
 */
export function chineseCompany(industries: readonly string[], pool: number, rank: number): Organisation {
  return memo(1, 0, pool, rank, () => makeChineseCompany(industries, pool, rank));
}

function makeChineseCompany(industries: readonly string[], pool: number, rank: number): Organisation {
  const rng = Rng.of(SALT_COMPANY, pool, rank);
  const brand = chineseBrand(rng);
  const industry = rng.pick(industries);
  const suffix = rng.weighted(COMPANY_SUFFIXES);
  const u = rng.float();
  const prefix = u < 0.45 ? "{city}" : u < 0.65 ? "{province}" : "";
  return chineseSeat(rng, `${prefix}${brand.zh}${industry}${suffix}`, brand.zh, "91");
}

const UNIVERSITY_PREFIXES = ["东江", "明德", "江川", "滨海", "北辰", "南岭", "云海", "青岚", "汉江", "临江", "西岭", "东岳", "青山", "天目", "楚天", "湘江",
  "黄海", "长白", "嘉陵", "华岳", "燕山", "珠江", "岷江", "淮海"];

/** The university of a given rank for a domain, e.g. `江川理工大学`. */
export function chineseUniversity(domain: DomainData, domainIndex: number, rank: number): Organisation {
  return memo(2, 0, domainIndex, rank, () => makeChineseUniversity(domain, domainIndex, rank));
}

function makeChineseUniversity(domain: DomainData, domainIndex: number, rank: number): Organisation {
  const prefixIndex = (rank + domainIndex * 7) % UNIVERSITY_PREFIXES.length;
  const prefix = UNIVERSITY_PREFIXES[prefixIndex] as string;
  const type = domain.universityTypes[(rank + domainIndex) % domain.universityTypes.length] as string;
  // The seat depends on the name only, so a university keeps its address across domains.
  const rng = Rng.of(SALT_UNIVERSITY, prefixIndex, type.charCodeAt(0), type.charCodeAt(1), type.length);
  return chineseSeat(rng, `${prefix}${type}`, `${prefix}${type}`, "12");
}

/** A research institute for a domain, e.g. `江川省新能源研究院`, `北辰新材料技术研究所`. */
export function chineseInstitute(domain: DomainData, domainIndex: number, rank: number): Organisation {
  return memo(3, 0, domainIndex, rank, () => makeChineseInstitute(domain, domainIndex, rank));
}

function makeChineseInstitute(domain: DomainData, domainIndex: number, rank: number): Organisation {
  const rng = Rng.of(SALT_INSTITUTE, domainIndex, rank);
  const prefix = rng.pick(UNIVERSITY_PREFIXES);
  const industry = rng.pick(domain.industries);
  const name = rng.chance(0.5) ? `{province}${industry}研究院` : `${prefix}${industry}技术研究所`;
  return chineseSeat(rng, name, name.startsWith("{") ? `${industry}研究院` : `${prefix}${industry}`, "12");
}

/**
 * The patent (or trademark) agency of a given rank, e.g. `深圳市华锐专利代理有限公司` with its
 * five-digit agency code, whose first two digits are the province code (`44224`).
 */
export function chineseAgency(rank: number, trademark: boolean): Organisation {
  return memo(4, 0, trademark ? 1 : 0, rank, () => makeChineseAgency(rank, trademark));
}

function makeChineseAgency(rank: number, trademark: boolean): Organisation {
  const rng = Rng.of(SALT_AGENCY, trademark ? 1 : 0, rank);
  const brand = chineseBrand(rng);
  const kind = trademark
    ? rng.pick(["商标代理有限公司", "知识产权代理有限公司", "商标事务所有限公司"])
    : rng.pick(["专利代理有限公司", "专利代理事务所（普通合伙）", "知识产权代理有限公司", "专利商标代理有限公司"]);
  const org = chineseSeat(rng, `{cityShort}${brand.zh}${kind}`, brand.zh, "91");
  return { ...org, identifier: `${org.region.slice(0, 2)}${pad(rng.int(1000), 3)}` };
}

const US_FORMS = ["{b} Technologies, Inc.", "{b} Corporation", "{b} Systems, Inc.", "{b} Labs LLC", "{b} Innovations, Inc."];
const DE_FORMS = ["{b} GmbH", "{b} AG", "{b} Technik GmbH", "{b} Werke GmbH"];
const JP_FORMS = ["{f} Electric Co., Ltd.", "{f} Industries, Ltd.", "{f} Chemical Corporation", "{b} Kabushiki Kaisha", "{f} Seisakusho Co., Ltd."];
const KR_FORMS = ["{k} Electronics Co., Ltd.", "{k} Chemical Co., Ltd.", "{k} Materials Co., Ltd.", "{k} Energy Co., Ltd."];
const KR_NAMES = ["Daehan", "Hanil", "Samjin", "Sungwoo", "Haneul", "Mirae", "Cheonji", "Hanbit"];

/** The foreign company of a given rank, country and pool, e.g. `Norvis Technologies, Inc.`. */
export function foreignCompany(country: string, pool: number, rank: number): Organisation {
  return memo(5, countryIndex(country), pool, rank, () => makeForeignCompany(country, pool, rank));
}

function makeForeignCompany(country: string, pool: number, rank: number): Organisation {
  const rng = Rng.of(SALT_FOREIGN, country.charCodeAt(0), country.charCodeAt(1), pool, rank);
  const brand = latinBrand(rng);
  let form: string;
  let searchName = brand;
  switch (country) {
    case "US":
      form = rng.pick(US_FORMS);
      break;
    case "DE":
    case "CH":
      form = rng.pick(DE_FORMS);
      break;
    case "JP": {
      form = rng.pick(JP_FORMS);
      const family = rng.pick(JAPANESE_FAMILY);
      form = form.replace("{f}", family);
      if (!form.includes("{b}")) searchName = family;
      break;
    }
    case "KR": {
      const k = rng.pick(KR_NAMES);
      form = rng.pick(KR_FORMS).replace("{k}", k);
      searchName = k;
      break;
    }
    case "FR":
      form = rng.pick(["{b} SAS", "{b} S.A."]);
      break;
    case "GB":
      form = rng.pick(["{b} Limited", "{b} plc"]);
      break;
    case "NL":
      form = "{b} B.V.";
      break;
    default:
      form = "{b} Inc.";
  }
  const [city, state] = foreignCity(rng, country);
  return {
    name: form.replace("{b}", brand),
    searchName,
    country,
    city,
    state,
    address: foreignStreet(rng, country),
    postcode: "",
    identifier: "",
    phone: "",
    region: "",
  };
}

/** A foreign patent attorney firm of a given rank: `Walker & Hughes LLP`, `Sato International Patent Firm`. */
export function foreignLawFirm(country: string, rank: number): Organisation {
  return memo(6, countryIndex(country), 0, rank, () => makeForeignLawFirm(country, rank));
}

function makeForeignLawFirm(country: string, rank: number): Organisation {
  const rng = Rng.of(SALT_FIRM, country.charCodeAt(0), country.charCodeAt(1), rank);
  let name: string;
  if (country === "JP") name = `${rng.pick(JAPANESE_FAMILY)} International Patent Firm`;
  else if (country === "KR") name = `${rng.pick(KOREAN_FAMILY)} & Partners`;
  else if (country === "EP" || country === "DE") name = `${rng.pick(WESTERN_FAMILY.DE as readonly string[])} Patentanwälte PartG mbB`;
  else {
    const family = WESTERN_FAMILY.US as readonly string[];
    name = `${rng.pick(family)} & ${rng.pick(family)} LLP`;
  }
  const home = country === "EP" ? "DE" : country === "WO" ? "US" : country;
  const [city, state] = foreignCity(rng, home);
  return { name, searchName: name, country: home, city, state, address: foreignStreet(rng, home), postcode: "", identifier: "", phone: "", region: "" };
}
