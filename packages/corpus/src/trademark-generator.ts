// Trademark records: a Chinese or Latin brand (or a pure device mark), its feature, one to three
// Nice classes with goods and services, Vienna codes for figurative elements, the applicant and
// the filing → preliminary approval → registration → renewal or expiry sequence.

import { MarkFeature, RecordKind } from "@ipfed/proto";
import type { LegalEvent, LocalizedText, NiceClass, Party, Record } from "@ipfed/proto";
import { dayInYear, growthYears, isoDate, isoTimestamp, LAST_DAY } from "./dates.js";
import type { RecordIdentity } from "./identity.js";
import { chineseAgency, chineseBrand, chineseCompany, FOREIGN_COUNTRIES, foreignCompany, latinBrand } from "./names.js";
import type { NiceClassInfo } from "./nice-classes.js";
import { NICE_CLASSES, NICE_TABLE, VIENNA_CODES } from "./nice-classes.js";
import type { CorpusContext } from "./options.js";
import { chinesePerson, copyParty, organisationParty } from "./parties.js";
import type { Rng } from "./prng.js";
import { WeightedTable, zipfRank } from "./prng.js";
import { STREAM, streamRng } from "./streams.js";

/** Share of trademarks filed by natural persons. */
export const PERSON_TRADEMARK_SHARE = 0.15;

const FEATURES = new WeightedTable(
  [
    MarkFeature.MARK_FEATURE_WORD,
    MarkFeature.MARK_FEATURE_COMBINED,
    MarkFeature.MARK_FEATURE_FIGURATIVE,
    MarkFeature.MARK_FEATURE_THREE_DIMENSIONAL,
    MarkFeature.MARK_FEATURE_COLOUR,
    MarkFeature.MARK_FEATURE_SOUND,
    MarkFeature.MARK_FEATURE_OTHER,
  ],
  [50, 30, 13, 3, 2, 1, 1],
);

const GENERIC_WORDS: readonly (readonly [string, string])[] = [
  ["生活", "SHENGHUO"], ["优品", "YOUPIN"], ["之家", "ZHIJIA"], ["工坊", "GONGFANG"], ["时光", "SHIGUANG"], ["优选", "YOUXUAN"], ["小镇", "XIAOZHEN"],
];

const FILING_YEARS = growthYears(2000, 2024, 1.13);
const EXTRA_CLASSES = new WeightedTable([0, 1, 2], [60, 28, 12]);
const VIENNA_TABLE = new WeightedTable(VIENNA_CODES, VIENNA_CODES.map((_, i) => 1 / (i + 1)));

/** The verbal element of a mark and its titles (zh and, where it has one, a Latin form). */
interface MarkText {
  readonly text: string;
  readonly titles: LocalizedText[];
}

function drawMarkText(rng: Rng, feature: MarkFeature): MarkText {
  const wordless =
    feature === MarkFeature.MARK_FEATURE_FIGURATIVE ||
    feature === MarkFeature.MARK_FEATURE_SOUND ||
    feature === MarkFeature.MARK_FEATURE_COLOUR ||
    (feature === MarkFeature.MARK_FEATURE_THREE_DIMENSIONAL && rng.chance(0.5));
  const brand = chineseBrand(rng);
  const latin = latinBrand(rng);
  const generic = rng.pick(GENERIC_WORDS);
  const u = rng.float();
  if (wordless) {
    const [zh, en] =
      feature === MarkFeature.MARK_FEATURE_SOUND
        ? ["声音商标", "Sound mark"]
        : feature === MarkFeature.MARK_FEATURE_COLOUR
          ? ["颜色组合商标", "Colour mark"]
          : feature === MarkFeature.MARK_FEATURE_THREE_DIMENSIONAL
            ? ["立体商标", "Three-dimensional mark"]
            : ["图形", "Figurative mark"];
    return { text: "", titles: [{ lang: "zh", text: zh }, { lang: "en", text: en }] };
  }
  if (u < 0.45) return { text: brand.zh, titles: [{ lang: "zh", text: brand.zh }, { lang: "en", text: brand.pinyin }] };
  if (u < 0.55) {
    const zh = brand.zh + generic[0];
    return { text: zh, titles: [{ lang: "zh", text: zh }, { lang: "en", text: brand.pinyin + generic[1] }] };
  }
  if (u < 0.8) {
    const text = rng.chance(0.5) ? latin.toUpperCase() : latin;
    return { text, titles: [{ lang: "en", text }] };
  }
  if (u < 0.95) {
    return { text: `${brand.zh} ${brand.pinyin}`, titles: [{ lang: "zh", text: brand.zh }, { lang: "en", text: brand.pinyin }] };
  }
  return { text: `${brand.zh} ${latin}`, titles: [{ lang: "zh", text: brand.zh }, { lang: "en", text: latin }] };
}

/** One to three Nice classes, the first drawn by filing frequency, the others near it. */
function drawClasses(rng: Rng): NiceClassInfo[] {
  const first = rng.weighted(NICE_TABLE);
  const classes = [first];
  const more = rng.weighted(EXTRA_CLASSES);
  for (let i = 0; i < more; i++) {
    const candidate = rng.chance(0.6)
      ? (NICE_CLASSES[Math.min(44, Math.max(0, first.number - 1 + rng.range(-2, 2)))] as NiceClassInfo)
      : rng.weighted(NICE_TABLE);
    if (!classes.includes(candidate)) classes.push(candidate);
  }
  return classes.sort((a, b) => a.number - b.number);
}

/** Two to five goods or services of a class, a run of its list starting anywhere. */
function goodsOf(rng: Rng, info: NiceClassInfo): string {
  const n = Math.min(info.goods.length, rng.range(2, 5));
  const start = rng.int(info.goods.length);
  const chosen: string[] = [];
  for (let i = 0; i < n; i++) chosen.push(info.goods[(start + i) % info.goods.length] as string);
  return chosen.join("；");
}

/** Adds `years` calendar years to a day number (the day before the anniversary, as expiry dates run). */
function plusYears(day: number, years: number): number {
  return day + Math.round(years * 365.25) - 1;
}

/** Generates the trademark record of an identity. */
export function generateTrademark(ctx: CorpusContext, identity: RecordIdentity): Record {
  const index = identity.plan.index;
  const content = streamRng(ctx, STREAM.content, index);
  const rng = streamRng(ctx, STREAM.record, index);

  const feature = content.weighted(FEATURES);
  const mark = drawMarkText(content, feature);
  const classes = drawClasses(content);
  const primary = classes[0] as NiceClassInfo;
  const niceClasses: NiceClass[] = classes.map((c) => ({ number: c.number, goodsServices: goodsOf(content, c) }));
  const vienna =
    feature === MarkFeature.MARK_FEATURE_WORD || feature === MarkFeature.MARK_FEATURE_SOUND
      ? []
      : content.distinct(VIENNA_TABLE, content.range(1, 3));

  // Applicant.
  const applicants: Party[] = [];
  let region = "";
  let applicantType = "enterprise";
  const u = content.float();
  if (u < PERSON_TRADEMARK_SHARE) {
    const person = chinesePerson(content, 1, "contact");
    applicants.push(person.party);
    region = person.region;
    applicantType = "individual";
  } else if (u < 0.96) {
    const company = chineseCompany([primary.industry, primary.industry, "科技", "商贸"], 100 + primary.number, zipfRank(content, 3000));
    applicants.push(organisationParty(company, 1));
    region = company.region;
  } else {
    const country = content.weighted(FOREIGN_COUNTRIES);
    applicants.push(organisationParty(foreignCompany(country, 100 + primary.number, zipfRank(content, 300)), 1));
    applicantType = "foreign";
  }

  // Dates and events.
  const applicationDay = dayInYear(rng, rng.weighted(FILING_YEARS));
  const publicationDay = applicationDay + rng.range(240, 420);
  const refused = rng.chance(0.12);
  const registrationDay = publicationDay + 91;
  const events: LegalEvent[] = [];
  const event = (day: number, category: string, code: string, description: string): void => {
    events.push({ date: isoDate(day), category, code, description, country: "CN" });
  };
  event(applicationDay, "A", "TM01", "商标注册申请");
  let status = "pending";
  let registrationDate = "";
  let expiryDate = "";
  let lastDay = applicationDay;
  if (refused && applicationDay + 270 <= LAST_DAY) {
    lastDay = applicationDay + rng.range(180, 270);
    event(lastDay, "C", "TM02", "商标注册申请驳回");
    status = "refused";
  } else if (registrationDay <= LAST_DAY) {
    event(publicationDay, "B", "TM03", "初步审定公告");
    event(registrationDay, "E", "TM04", "注册公告");
    status = "registered";
    registrationDate = isoDate(registrationDay);
    let expiry = plusYears(registrationDay, 10);
    lastDay = registrationDay;
    while (expiry <= LAST_DAY) {
      if (rng.chance(0.6)) {
        const renewal = expiry - rng.range(30, 300);
        event(renewal, "F", "TM05", "商标续展注册");
        lastDay = renewal;
        expiry = plusYears(expiry + 1, 10);
      } else {
        event(expiry, "H", "TM06", "注册商标有效期届满");
        lastDay = expiry;
        status = "expired";
        break;
      }
    }
    expiryDate = isoDate(expiry);
  } else if (publicationDay <= LAST_DAY) {
    event(publicationDay, "B", "TM03", "初步审定公告");
    lastDay = publicationDay;
  }
  const published = publicationDay <= LAST_DAY && status !== "refused";

  const agents: Party[] = rng.chance(applicantType === "individual" ? 0.5 : 0.75)
    ? [organisationParty(chineseAgency(zipfRank(rng, 600), true), 1)]
    : [];
  const registered = status === "registered" || status === "expired";
  const extra: { [key: string]: string } = {};
  if (region !== "") extra.region = region;
  extra.applicant_type = applicantType;
  extra.legal_status = status;
  const applicationNumber = identity.docNumber.slice(2);

  return {
    id: identity.id,
    kind: RecordKind.RECORD_KIND_TRADEMARK,
    datasetId: ctx.datasetId,
    publicationNumber: "",
    country: "CN",
    docNumber: identity.docNumber,
    kindCode: identity.kindCode,
    publicationDate: published ? isoDate(publicationDay) : "",
    applicationNumber,
    applicationDate: isoDate(applicationDay),
    titles: mark.titles,
    abstracts: [],
    claims: [],
    descriptions: [],
    applicants,
    inventors: [],
    owners: registered ? applicants.map((p, i) => copyParty(p, i + 1)) : [],
    agents,
    ipc: [],
    cpc: [],
    locarno: [],
    nice: classes.map((c) => c.number),
    vienna,
    nationalClasses: [],
    priorities: [],
    familyId: "",
    citations: [],
    legalEvents: events,
    detail: {
      $case: "trademark",
      value: {
        markText: mark.text,
        feature,
        classes: niceClasses,
        registrationNumber: registered ? applicationNumber : "",
        registrationDate,
        expiryDate,
      },
    },
    examinationNotes: [],
    accessTier: 0,
    provenance: {
      memberId: ctx.memberId,
      updatedTime: isoTimestamp(lastDay),
      version: 1,
      source: `corpus:seed=${ctx.seed}#${index}`,
    },
    extra,
    withheldFields: [],
  };
}
