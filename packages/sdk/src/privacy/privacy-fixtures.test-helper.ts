// Hand-written records for the privacy tests: what each tier must see is worked out by hand
// from record.proto, not from the code under test.

import { CitationSource, MarkFeature, Record, RecordKind, Tier } from "@ipfed/proto";
import type { FieldTier } from "@ipfed/proto";

/**
 * A US grant as the USPTO XML importer makes it: natural-person inventors with home addresses
 * (one with an e-mail, one with city and state only, one with a name only), a company as
 * applicant and owner whose seat is public, a law firm and an individual attorney as agents,
 * claims, a description, an examination note and member-local `extra` fields.
 */
export function usptoRecord(): Record {
  return Record.fromPartial({
    id: "US-7650331-B1",
    kind: RecordKind.RECORD_KIND_PATENT,
    datasetId: "uspto-grants",
    publicationNumber: "US07650331",
    country: "US",
    docNumber: "7650331",
    kindCode: "B1",
    publicationDate: "2010-01-19",
    applicationNumber: "11/123456",
    applicationDate: "2005-05-06",
    titles: [{ lang: "en", text: "Lithium-ion battery with a graphene anode" }],
    abstracts: [{ lang: "en", text: "A rechargeable battery whose anode holds graphene sheets." }],
    claims: [
      { number: 1, text: "A battery comprising a zygomorphic graphene anode.", lang: "en", dependsOn: [] },
      { number: 2, text: "The battery of claim 1, wherein the anode is coated.", lang: "en", dependsOn: [1] },
    ],
    descriptions: [{ lang: "en", text: "The invention relates to quixotic anodes for lithium-ion cells." }],
    applicants: [
      { name: "Acme Energy Corp.", country: "US", naturalPerson: false, city: "Austin", state: "TX", address: "1 Acme Way", postcode: "78701", phone: "+1 512 555 0100", identifier: "C-0042", sequence: 1 },
    ],
    inventors: [
      { name: "Smith, John A.", country: "US", naturalPerson: true, city: "Austin", state: "TX", address: "12 Elm Street", postcode: "78702", email: "john.smith@example.com", sequence: 1 },
      { name: "Doe, Jane", country: "US", naturalPerson: true, city: "Round Rock", state: "TX", sequence: 2 },
      { name: "Lee, Kim", country: "US", naturalPerson: true, sequence: 3 },
    ],
    owners: [
      { name: "Acme Energy Corp.", country: "US", naturalPerson: false, city: "Austin", state: "TX", address: "1 Acme Way", postcode: "78701", sequence: 1 },
    ],
    agents: [
      { name: "Fish & Partners LLP", country: "US", naturalPerson: false, city: "Boston", state: "MA", address: "1 Federal St", sequence: 1 },
      { name: "Roe, Richard", country: "US", naturalPerson: true, sequence: 2 },
    ],
    ipc: ["H01M 4/133"],
    cpc: ["H01M 4/133", "Y02E 60/10"],
    nationalClasses: [{ country: "US", symbol: "429/231.8" }],
    priorities: [{ country: "US", number: "60/123456", date: "2004-05-06", kind: "national" }],
    familyId: "38912345",
    citations: [
      { id: "US-5123456-A", country: "US", number: "5123456", kindCode: "A", date: "1992-06-16", source: CitationSource.CITATION_SOURCE_EXAMINER, category: "X" },
      { text: "Novoselov et al., Science 306 (2004) 666", source: CitationSource.CITATION_SOURCE_APPLICANT },
    ],
    legalEvents: [{ date: "2010-01-19", category: "E", code: "GRANT", description: "Patent granted", country: "US" }],
    examinationNotes: [{ lang: "en", text: "Claims 1-2 allowed over US-5123456-A." }],
    accessTier: Tier.TIER_UNSPECIFIED,
    provenance: { memberId: "uspto-mirror", updatedTime: "2024-01-01T00:00:00.000Z", version: 3, source: "uspto-xml:ipg100119.xml#7" },
    extra: { assignee_type: "company", legal_status: "granted" },
  });
}

/** What each tier must not see of {@link usptoRecord}, by hand from record.proto. */
export const USPTO_WITHHELD: { readonly [tier: number]: readonly string[] } = {
  [Tier.TIER_PUBLIC]: [
    "claims",
    "descriptions",
    "examination_notes",
    "extra",
    "inventors.address",
    "inventors.city",
    "inventors.email",
    "inventors.postcode",
    "inventors.state",
  ],
  [Tier.TIER_REGISTERED]: ["examination_notes", "inventors.address", "inventors.city", "inventors.email", "inventors.postcode", "inventors.state"],
  [Tier.TIER_RESTRICTED]: ["examination_notes"],
  [Tier.TIER_CONFIDENTIAL]: [],
};

/**
 * A Chinese word mark filed by a natural person (with home address and phone), through an
 * agency whose address is public, in two Nice classes.
 */
export function trademarkRecord(): Record {
  return Record.fromPartial({
    id: "CN-TM12345678-T",
    kind: RecordKind.RECORD_KIND_TRADEMARK,
    datasetId: "cnipa-tm",
    publicationNumber: "TM12345678",
    country: "CN",
    docNumber: "TM12345678",
    kindCode: "T",
    publicationDate: "2019-03-27",
    applicationNumber: "12345678",
    applicationDate: "2018-06-01",
    titles: [{ lang: "zh", text: "云雀" }],
    applicants: [
      { name: "张伟", country: "CN", naturalPerson: true, city: "杭州市", state: "浙江省", address: "西湖区文三路1号", postcode: "310000", phone: "13800000000", identifier: "", sequence: 1 },
    ],
    agents: [{ name: "杭州知识产权代理有限公司", country: "CN", naturalPerson: false, city: "杭州市", state: "浙江省", address: "上城区解放路2号", sequence: 1 }],
    nice: [9, 35],
    vienna: ["26.01.03"],
    legalEvents: [{ date: "2019-03-27", category: "E", code: "REG", description: "注册公告", country: "CN" }],
    detail: {
      $case: "trademark",
      value: {
        markText: "云雀",
        feature: MarkFeature.MARK_FEATURE_WORD,
        classes: [
          { number: 9, goodsServices: "计算机软件" },
          { number: 35, goodsServices: "广告" },
        ],
        registrationNumber: "12345678",
        registrationDate: "2019-03-27",
        expiryDate: "2029-03-26",
      },
    },
    provenance: { memberId: "zj-hub", updatedTime: "2024-02-01T00:00:00.000Z", version: 1, source: "csv:tm.csv#2" },
    extra: { tm_status: "registered" },
  });
}

/** What each tier must not see of {@link trademarkRecord}, by hand from record.proto. */
export const TRADEMARK_WITHHELD: { readonly [tier: number]: readonly string[] } = {
  [Tier.TIER_PUBLIC]: ["applicants.address", "applicants.city", "applicants.phone", "applicants.postcode", "applicants.state", "extra"],
  [Tier.TIER_REGISTERED]: ["applicants.address", "applicants.city", "applicants.phone", "applicants.postcode", "applicants.state"],
  [Tier.TIER_RESTRICTED]: [],
  [Tier.TIER_CONFIDENTIAL]: [],
};

/** A geographical indication with product names and a protected area. */
export function giRecord(): Record {
  return Record.fromPartial({
    id: "CN-GI2007001-G",
    kind: RecordKind.RECORD_KIND_GEOGRAPHICAL_INDICATION,
    datasetId: "cnipa-gi",
    country: "CN",
    titles: [{ lang: "zh", text: "西湖龙井" }],
    applicants: [{ name: "杭州市西湖龙井茶管理协会", country: "CN", naturalPerson: false, city: "杭州市", sequence: 1 }],
    detail: {
      $case: "geographicalIndication",
      value: {
        product: [{ lang: "zh", text: "西湖龙井茶" }, { lang: "en", text: "Xihu Longjing tea" }],
        protectedArea: [{ lang: "zh", text: "杭州市西湖区龙井村一带" }],
        producerGroup: "杭州市西湖龙井茶管理协会",
        regionCodes: ["330106"],
        protectionType: "sui_generis",
      },
    },
  });
}

/** A law with its full text. */
export function lawRecord(): Record {
  return Record.fromPartial({
    id: "CN-BS1950001-L",
    kind: RecordKind.RECORD_KIND_LAW,
    datasetId: "laws",
    country: "CN",
    titles: [{ lang: "zh", text: "中华人民共和国专利法" }],
    detail: {
      $case: "law",
      value: { issuer: "全国人民代表大会常务委员会", documentNumber: "主席令第五十五号", effectiveDate: "2021-06-01", status: "in_force", text: [{ lang: "zh", text: "第一条 为了保护专利权人的合法权益……" }] },
    },
    extra: { source_url: "http://www.npc.gov.cn/" },
  });
}

/**
 * Dataset overrides used across the tests: applicants REGISTERED, inventors' street address
 * CONFIDENTIAL, claim text RESTRICTED, trademark classes REGISTERED, a law's text RESTRICTED;
 * and two that try to lower a tier (abstracts, descriptions to PUBLIC), which must change nothing.
 */
export const OVERRIDES: readonly FieldTier[] = [
  { field: "applicants", tier: Tier.TIER_REGISTERED },
  { field: "inventors.address", tier: Tier.TIER_CONFIDENTIAL },
  { field: "claims.text", tier: Tier.TIER_RESTRICTED },
  { field: "trademark.classes", tier: Tier.TIER_REGISTERED },
  { field: "law.text", tier: Tier.TIER_RESTRICTED },
  { field: "abstracts", tier: Tier.TIER_PUBLIC },
  { field: "descriptions", tier: Tier.TIER_PUBLIC },
];

/** What each tier must not see of {@link usptoRecord} under {@link OVERRIDES}, by hand. */
export const USPTO_OVERRIDE_WITHHELD: { readonly [tier: number]: readonly string[] } = {
  // `claims` goes whole, so `claims.text` is not listed on its own.
  [Tier.TIER_PUBLIC]: [
    "applicants",
    "claims",
    "descriptions",
    "examination_notes",
    "extra",
    "inventors.address",
    "inventors.city",
    "inventors.email",
    "inventors.postcode",
    "inventors.state",
  ],
  [Tier.TIER_REGISTERED]: ["claims.text", "examination_notes", "inventors.address", "inventors.city", "inventors.email", "inventors.postcode", "inventors.state"],
  [Tier.TIER_RESTRICTED]: ["examination_notes", "inventors.address"],
  [Tier.TIER_CONFIDENTIAL]: [],
};

/** Freezes a value and everything inside it, so that any write to it throws. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
