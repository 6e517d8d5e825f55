import { Record, RecordKind } from "@ipfed/proto";

/** A party with an address: a natural person (`person: true`) or an organisation. */
export interface PartyFixture {
  readonly name: string;
  readonly person: boolean;
  readonly city?: string;
  readonly state?: string;
  readonly address?: string;
  readonly postcode?: string;
}

/** A compact description of a test record; see {@link fixtureRecord}. */
export interface Fixture {
  readonly id: string;
  readonly ds: string;
  readonly kind?: RecordKind;
  readonly pd?: string;
  readonly ad?: string;
  /** Titles: English text, or `[lang, text]` pairs. */
  readonly ti?: string | readonly (readonly [string, string])[];
  readonly ab?: string;
  readonly cl?: readonly string[];
  readonly desc?: string;
  readonly pa?: readonly (string | PartyFixture)[];
  readonly owners?: readonly string[];
  readonly inv?: readonly (string | PartyFixture)[];
  readonly ag?: readonly string[];
  readonly ipc?: readonly string[];
  readonly cpc?: readonly string[];
  readonly fam?: string;
  /** A trademark: mark text and Nice classes with goods. */
  readonly tm?: { readonly mark: string; readonly classes: readonly (readonly [number, string])[] };
  readonly gi?: string;
  readonly law?: string;
  /** `access_tier` (a `Tier` number); unset when absent. */
  readonly tier?: number;
}

/** Builds a full `Record` from a fixture; the country is the id's first two letters. */
export function fixtureRecord(f: Fixture): Record {
  const titles = f.ti === undefined ? [] : typeof f.ti === "string" ? [{ lang: "en", text: f.ti }] : f.ti.map(([lang, text]) => ({ lang, text }));
  const party = (p: string | PartyFixture) =>
    typeof p === "string"
      ? { name: p }
      : { name: p.name, naturalPerson: p.person, city: p.city ?? "", state: p.state ?? "", address: p.address ?? "", postcode: p.postcode ?? "" };
  return Record.fromPartial({
    id: f.id,
    kind: f.kind ?? RecordKind.RECORD_KIND_PATENT,
    datasetId: f.ds,
    country: f.id.slice(0, 2),
    publicationDate: f.pd ?? "",
    applicationDate: f.ad ?? "",
    titles,
    abstracts: f.ab === undefined ? [] : [{ lang: "en", text: f.ab }],
    claims: (f.cl ?? []).map((text, i) => ({ number: i + 1, text, lang: "en" })),
    descriptions: f.desc === undefined ? [] : [{ lang: "en", text: f.desc }],
    applicants: (f.pa ?? []).map(party),
    owners: (f.owners ?? []).map(party),
    inventors: (f.inv ?? []).map(party),
    agents: (f.ag ?? []).map(party),
    ipc: [...(f.ipc ?? [])],
    cpc: [...(f.cpc ?? [])],
    familyId: f.fam ?? "",
    accessTier: f.tier ?? 0,
    detail:
      f.tm !== undefined
        ? { $case: "trademark", value: { markText: f.tm.mark, classes: f.tm.classes.map(([number, goodsServices]) => ({ number, goodsServices })) } }
        : f.gi !== undefined
          ? { $case: "geographicalIndication", value: { product: [{ lang: "zh", text: f.gi }] } }
          : f.law !== undefined
            ? { $case: "law", value: { text: [{ lang: "zh", text: f.law }] } }
            : undefined,
  });
}

const K = RecordKind;

/**
 * The conformance corpus: 35 records of two datasets (`cnipa`, `uspto`) in English, Chinese,
 * German and Japanese. Document number = position + 1; the suite's expectations refer to ids.
 */
export const FIXTURES: readonly Fixture[] = [
  /* 1 */ { id: "CN-1001-A", ds: "cnipa", pd: "2019-05-10", ad: "2018-03-01", ti: [["zh", "石墨烯电池"], ["en", "Graphene battery"]], ab: "A battery with a graphene anode.", cl: ["A battery comprising a graphene electrode."], pa: ["华为技术有限公司"], inv: ["Li Ming"], ipc: ["H01M 10/052", "H01M 4/583"], fam: "FAM-1" },
  /* 2 */ { id: "CN-1002-A", ds: "cnipa", pd: "2020-01-15", ad: "2018-07-01", ti: [["zh", "石墨烯的制备方法"], ["en", "Method for preparing graphene"]], ab: "Graphene is prepared by chemical vapour deposition.", pa: ["清华大学"], ipc: ["C01B 32/184"] },
  /* 3 */ { id: "CN-1003-A", ds: "cnipa", pd: "2021-06-30", ad: "2019-02-02", ti: [["zh", "锂离子电池电解液"], ["en", "Electrolyte for lithium-ion batteries"]], ab: "An electrolyte for lithium-ion batteries.", pa: ["宁德时代新能源科技股份有限公司"], ipc: ["H01M 10/0525"], fam: "FAM-1" },
  /* 4 */ { id: "US-2001-B1", ds: "uspto", pd: "2015-03-03", ad: "2013-01-10", ti: "Solid electrolyte battery", ab: "A solid-state battery having a ceramic electrolyte.", cl: ["A battery comprising a solid electrolyte."], pa: ["Toyota Motor Corp"], inv: ["Smith, John"], ag: ["Oblon LLP"], ipc: ["H01M 10/0562"], cpc: ["Y02E 60/10"] },
  /* 5 */ { id: "US-2002-B2", ds: "uspto", pd: "2016-07-19", ti: "Battery charging circuit", ab: "A circuit charges batteries quickly.", pa: ["Apple Inc."], ipc: ["H02J 7/00"] },
  /* 6 */ { id: "US-2003-A1", ds: "uspto", pd: "2018-11-01", ti: "Lithium metal anode", ab: "Lithium anodes for rechargeable cells.", pa: ["Tesla Inc."], ipc: ["H01M 4/134"] },
  /* 7 */ { id: "US-2004-B1", ds: "uspto", pd: "2017-02-14", ti: "Wireless communication method", ab: "A method for wireless transmission of data packets.", cl: ["A method comprising transmitting a packet wirelessly."], pa: ["Qualcomm Inc."], ipc: ["H04W 72/04"] },
  /* 8 */ { id: "CN-1004-A", ds: "cnipa", pd: "2019-09-09", ti: [["zh", "无线通信方法"], ["en", "Wireless communication method"]], pa: ["华为技术有限公司"], ipc: ["H04W 72/04"] },
  /* 9 */ { id: "CN-1005-U", ds: "cnipa", kind: K.RECORD_KIND_UTILITY_MODEL, pd: "2020-04-04", ti: [["zh", "一种电池外壳"]], ipc: ["H01M 50/10"] },
  /* 10 */ { id: "US-2005-B1", ds: "uspto", pd: "2014-08-08", ti: "Pharmaceutical composition for treating diabetes", ab: "A composition comprising metformin.", cl: ["A pharmaceutical composition comprising metformin and a carrier."], ipc: ["A61K 31/155"] },
  /* 11 */ { id: "EP-3001-A1", ds: "uspto", pd: "2019-12-24", ti: [["en", "Graphene ink for printing"], ["de", "Graphentinte zum Drucken"]], ipc: ["C09D 11/52"] },
  /* 12 */ { id: "CN-1006-S", ds: "cnipa", kind: K.RECORD_KIND_DESIGN, pd: "2021-01-01", ti: [["zh", "手机"]] },
  /* 13 */ { id: "CN-TM1001-T", ds: "cnipa", kind: K.RECORD_KIND_TRADEMARK, pd: "2012-05-05", pa: ["华为技术有限公司"], tm: { mark: "华为", classes: [[9, "手机; 计算机"], [38, "通讯服务"]] } },
  /* 14 */ { id: "CN-TM1002-T", ds: "cnipa", kind: K.RECORD_KIND_TRADEMARK, pd: "2010-10-10", pa: ["Apple Inc."], tm: { mark: "APPLE", classes: [[9, "computers"]] } },
  /* 15 */ { id: "US-TM1003-T", ds: "uspto", kind: K.RECORD_KIND_TRADEMARK, pd: "2022-02-02", pa: ["Graphenex LLC"], tm: { mark: "GRAPHENEX", classes: [[1, "chemicals"], [17, "plastics"]] } },
  /* 16 */ { id: "CN-TM1004-T", ds: "cnipa", kind: K.RECORD_KIND_TRADEMARK, pd: "2020-05-05", tm: { mark: "石墨烯之家", classes: [[35, "广告"]] } },
  /* 17 */ { id: "US-2006-B1", ds: "uspto", pd: "2013-01-01", ti: "Fastening device", ab: "A device for fastening panels.", cl: ["A fastener made of zirconium alloy."], desc: "The fastener is tested at low temperature.", ipc: ["F16B 5/02"] },
  /* 18 */ { id: "CN-1007-A", ds: "cnipa", pd: "2017-07-07", ti: [["zh", "石墨电极"], ["en", "Graphite electrode"]], ipc: ["H01M 4/587"] },
  /* 19 */ { id: "US-2007-A1", ds: "uspto", pd: "2022-08-08", ti: "Battery", ab: "Batteries, batteries and more batteries.", ipc: ["H01M 10/44"] },
  /* 20 */ { id: "US-2008-B1", ds: "uspto", pd: "2011-11-11", ti: "Method of running a server", ab: "Running servers efficiently.", pa: ["Google LLC"], inv: ["Page, Larry"], ipc: ["G06F 9/50"] },
  /* 21 */ { id: "CN-1008-A", ds: "cnipa", pd: "2021-12-12", ti: [["zh", "基于深度学习的图像识别方法"], ["en", "Image recognition method based on deep learning"]], pa: ["百度在线网络技术（北京）有限公司"], ipc: ["G06N 3/08", "G06V 10/82"] },
  /* 22 */ { id: "US-2009-A1", ds: "uspto", pd: "2020-10-10", ti: "Deep learning accelerator", ab: "A hardware accelerator for neural networks.", pa: ["NVIDIA Corp"], ipc: ["G06N 3/063"] },
  /* 23 */ { id: "CN-GI1001-G", ds: "cnipa", kind: K.RECORD_KIND_GEOGRAPHICAL_INDICATION, pd: "2001-01-01", gi: "西湖龙井" },
  /* 24 */ { id: "CN-BS1001-L", ds: "cnipa", kind: K.RECORD_KIND_LAW, pd: "2020-10-17", ti: [["zh", "中华人民共和国专利法"]], law: "为了保护专利权人的合法权益，鼓励发明创造。" },
  /* 25 */ { id: "US-2010-B1", ds: "uspto", pd: "2019-04-04", ti: "Electric vehicle battery pack", ab: "A battery pack for electric vehicles with cooling.", pa: ["Tesla Inc."], ipc: ["H01M 50/20", "B60L 50/64"], cpc: ["Y02T 10/70"] },
  /* 26 */ { id: "US-2011-B1", ds: "uspto", pd: "2018-02-02", ti: "Graphene-based supercapacitor", ab: "Supercapacitor electrodes of reduced graphene oxide.", pa: ["Samsung Electronics Co Ltd"], ipc: ["H01G 11/36"] },
  /* 27 */ { id: "CN-1009-A", ds: "cnipa", ti: "Undated record about batteries" },
  /* 28 */ { id: "US-2012-A1", ds: "uspto", pd: "2023-03-03", ti: "Lithium-ion battery separator", ab: "Porous separator for lithium ion cells.", ipc: ["H01M 50/409"] },
  /* 29 */ { id: "JP-4001-A", ds: "uspto", pd: "2016-06-06", ti: [["ja", "リチウムイオン電池"], ["en", "Lithium ion battery"]], ipc: ["H01M 10/0525"] },
  /* 30 */ { id: "US-2013-B1", ds: "uspto", pd: "2009-09-09", ti: "Apple peeler", ab: "A kitchen device for peeling apples.", pa: ["Kitchen Co"], ipc: ["A47J 17/02"] },
  /* 31 */ { id: "CN-TM1005-T", ds: "cnipa", kind: K.RECORD_KIND_TRADEMARK, pd: "2015-05-05", tm: { mark: "ACME", classes: [[9, "gadgets"]] } },
  /* 32 */ { id: "US-TM1006-T", ds: "uspto", kind: K.RECORD_KIND_TRADEMARK, pd: "2015-05-05", tm: { mark: "ACME", classes: [[9, "gadgets"]] } },
  // Addresses: only natural persons' are indexed (`addr`); the organisation of 34 sits in the same city.
  /* 33 */ { id: "US-2014-B1", ds: "uspto", pd: "2024-05-05", ti: "Ultrasonic welding horn", inv: [{ name: "Gozdz, Antoni", person: true, city: "Marlborough", state: "MA", address: "12 Elm Street", postcode: "01752" }] },
  /* 34 */ { id: "US-2015-B1", ds: "uspto", pd: "2025-06-06", ti: "Gear pump", pa: [{ name: "Hollingsworth Co", person: false, city: "Marlborough", state: "MA" }], inv: [{ name: "Doe, Jane", person: true, city: "Worcester", state: "MA" }] },
  // An unpublished application: CONFIDENTIAL (4).
  /* 35 */ { id: "US-2016-A1", ds: "uspto", pd: "2026-07-07", ti: "Flywheel energy storage", tier: 4 },
];
