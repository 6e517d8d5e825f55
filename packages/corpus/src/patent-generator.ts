// Assembles a patent or utility-model record: identity and dates (identity.ts, timeline.ts), the
// invention and its texts (patent-text.ts), parties (patent-parties.ts), classification,
// priorities, citations, legal events, notes and provenance.
//
// Three streams feed it: the content stream (or the family's, shared by its members) decides
// what the invention is and who made it; the record stream decides everything specific to this
// document; the timeline stream gave its dates.

import { Tier } from "@ipfed/proto";
import type { Claim, LocalizedText, PriorityClaim, Record } from "@ipfed/proto";
import { citationsOf } from "./citations.js";
import { isoDate, isoTimestamp, yearOf } from "./dates.js";
import type { RecordIdentity } from "./identity.js";
import { recordKindOf } from "./layout.js";
import type { CorpusContext } from "./options.js";
import { patentEvents } from "./patent-events.js";
import { drawAgents, drawApplicants, drawInventors, ownersOf } from "./patent-parties.js";
import type { Invention } from "./patent-text.js";
import { abstractOf, claimsOf, descriptionOf, drawInvention } from "./patent-text.js";
import type { Rng } from "./prng.js";
import { STREAM, streamRng } from "./streams.js";
import { pad } from "./text.js";
import type { InventionType, PatentTimeline } from "./timeline.js";
import { chineseApplicationNumber, drawInventionType } from "./timeline.js";
import type { Domain, Term } from "./vocabulary.js";
import { DOMAINS, DOMAIN_TABLE } from "./vocabulary.js";

/** Share of patents that come with a full description. */
export const DESCRIPTION_SHARE = 0.25;
/** Share of published applications and grants with confidential examination notes. */
export const EXAMINATION_NOTE_SHARE = 0.03;

/** IPC symbols (main first) and the CPC symbols that go with them. */
interface Classification {
  readonly ipc: string[];
  readonly cpc: string[];
}

/** The main IPC of the domain, up to two more of it, and sometimes one of another domain. */
function drawClassification(rng: Rng, domain: Domain): Classification {
  const entries = rng.distinct(domain.ipc, 1 + rng.int(3));
  if (rng.chance(0.1)) {
    const other = DOMAINS[rng.int(DOMAINS.length)] as Domain;
    const extra = rng.weighted(other.ipc);
    if (!entries.includes(extra)) entries.push(extra);
  }
  const ipc = entries.map((e) => e[0] as string);
  const cpc: string[] = [];
  for (const e of entries) for (const symbol of e) if (!cpc.includes(symbol)) cpc.push(symbol);
  return { ipc, cpc };
}

/** US application series code for a filing year (`16/123456` for 2018–2019). */
function usSeries(year: number): string {
  if (year < 2002) return "09";
  if (year < 2005) return "10";
  if (year < 2008) return "11";
  if (year < 2011) return "12";
  if (year < 2014) return "13";
  if (year < 2016) return "14";
  if (year < 2018) return "15";
  if (year < 2020) return "16";
  if (year < 2022) return "17";
  return "18";
}

/** The application number as filed at the office of the document. */
function applicationNumberOf(identity: RecordIdentity, applicationDay: number, origin: string): string {
  const year = yearOf(applicationDay);
  const s = identity.plan.serial;
  switch (identity.country) {
    case "CN":
      return chineseApplicationNumber(year, identity.plan.category === "cn-utility" ? 2 : 1, s);
    case "US":
      return `${usSeries(year)}/${pad(s % 1_000_000, 6)}`;
    case "EP":
      return `${pad(year % 100, 2)}${pad(s % 1_000_000, 6)}.${s % 10}`;
    case "JP":
      return `${year}-${pad(s % 1_000_000, 6)}`;
    default:
      return `PCT/${origin}${year}/${pad(s % 1_000_000, 6)}`;
  }
}

/** A foreign priority application of `country` filed on `day`. */
function foreignPriority(rng: Rng, country: string, day: number): PriorityClaim {
  const year = yearOf(day);
  let number: string;
  switch (country) {
    case "US":
      number = `${rng.pick(["62", "63", usSeries(year)])}/${pad(rng.int(1_000_000), 6)}`;
      break;
    case "JP":
      number = `${year}-${pad(rng.int(1_000_000), 6)}`;
      break;
    case "KR":
      number = `10-${year}-${pad(rng.int(10_000_000), 7)}`;
      break;
    case "DE":
      number = `10 ${year} ${pad(rng.int(1000), 3)} ${pad(rng.int(1000), 3)}.${rng.int(10)}`;
      break;
    default:
      number = `${year}${pad(rng.int(1_000_000), 6)}`;
  }
  return { country, number, date: isoDate(day), kind: "national" };
}

/** Priority claims: the family's first filing, a foreign first filing, or a domestic one. */
function drawPriorities(rng: Rng, timeline: PatentTimeline, office: string, applicantCountry: string): PriorityClaim[] {
  const family = timeline.family;
  if (family !== undefined) {
    if (office === "CN") return [];
    return [{ country: "CN", number: family.priorityNumber, date: isoDate(family.priorityDay), kind: "national" }];
  }
  const app = timeline.applicationDay;
  if (applicantCountry !== "CN" && applicantCountry !== office && rng.chance(0.5)) {
    return [foreignPriority(rng, applicantCountry, app - rng.range(200, 365))];
  }
  if (office === "CN" && rng.chance(0.04)) {
    const day = app - rng.range(60, 365);
    return [{ country: "CN", number: chineseApplicationNumber(yearOf(day), 1, rng.int(10_000_000)), date: isoDate(day), kind: "national" }];
  }
  return [];
}

function text(lang: string, value: string): LocalizedText {
  return { lang, text: value };
}

function bilingual(term: Term): LocalizedText[] {
  return [text("zh", term[0]), text("en", term[1])];
}

function examinationNote(invention: Invention, citedId: string, chinese: boolean): LocalizedText {
  if (chinese) {
    return text(
      "zh",
      citedId === ""
        ? `第一次审查意见通知书：权利要求1-3未以说明书为依据，不符合专利法第二十六条第四款的规定；${invention.subject[0]}的技术特征应在说明书中得到支持。`
        : `第一次审查意见通知书：权利要求1相对于对比文件1（${citedId}）不具备专利法第二十二条第三款规定的创造性。申请人应当在收到本通知书之日起四个月内陈述意见或者提交修改文本。`,
    );
  }
  return text(
    "en",
    citedId === ""
      ? `Office action: claims 1-3 are not supported by the description; the features of the ${invention.subject[1]} must be disclosed in sufficient detail.`
      : `Office action: claim 1 lacks an inventive step over D1 (${citedId}). The applicant is invited to file observations or amendments within four months.`,
  );
}

/** Generates the patent or utility-model record of an identity whose timeline is known. */
export function generatePatent(ctx: CorpusContext, identity: RecordIdentity): Record {
  const { plan, country, docNumber, kindCode } = identity;
  const timeline = identity.timeline as PatentTimeline;
  const family = timeline.family;
  const index = plan.index;
  const utility = plan.category === "cn-utility";
  const chinese = country === "CN";
  const content = family !== undefined ? streamRng(ctx, STREAM.familyContent, family.key) : streamRng(ctx, STREAM.content, index);
  const rng = streamRng(ctx, STREAM.record, index);

  // What the invention is and who made it: shared by the members of a family.
  let domain: Domain;
  let type: InventionType;
  let foreignOrigin: boolean;
  if (family !== undefined) {
    domain = family.domain;
    type = family.type;
    foreignOrigin = false;
  } else {
    domain = content.weighted(DOMAIN_TABLE);
    type = drawInventionType(content, domain, utility);
    foreignOrigin = chinese ? content.chance(0.06) : content.chance(0.75);
  }
  const invention = drawInvention(content, domain, type, utility);
  const classification = drawClassification(content, domain);
  const applicants = drawApplicants(content, domain, foreignOrigin, country);
  const inventors = drawInventors(content, applicants);
  const abstract = abstractOf(content, invention, utility);
  const claimDrafts = claimsOf(content, invention, utility, chinese);

  // What is specific to this document.
  const lang = chinese ? "zh" : "en";
  const published = timeline.publicationDay >= 0;
  const events = patentEvents(rng, identity, timeline);
  const withCpc = rng.chance(country === "US" || country === "EP" || country === "WO" ? 0.9 : country === "JP" ? 0.4 : 0.3);
  const agents = drawAgents(rng, country, applicants.type === "individual");
  const priorities = drawPriorities(rng, timeline, country, applicants.country);
  const citations = published ? citationsOf(ctx, rng, index, timeline.applicationDay, invention, chinese) : [];
  const descriptions = rng.chance(DESCRIPTION_SHARE) ? [text(lang, descriptionOf(rng, invention, utility, chinese))] : [];
  const notes =
    published && kindCode !== "U" && rng.chance(EXAMINATION_NOTE_SHARE)
      ? [examinationNote(invention, citations.find((c) => c.id !== "")?.id ?? "", chinese)]
      : [];
  const claims: Claim[] = claimDrafts.map((c) => ({ number: c.number, text: c.text, lang, dependsOn: [...c.dependsOn] }));
  const granted = /^[BU]/.test(kindCode);

  const extra: { [key: string]: string } = {};
  if (applicants.region !== "") extra.region = applicants.region;
  extra.applicant_type = applicants.type;
  extra.legal_status = events.status;
  extra.corpus_domain = domain.data.key;
  if (!published) extra.publication_status = "unpublished";

  return {
    id: identity.id,
    kind: recordKindOf(plan.category),
    datasetId: ctx.datasetId,
    publicationNumber: published ? `${country}${docNumber}${kindCode}` : "",
    country,
    docNumber,
    kindCode,
    publicationDate: published ? isoDate(timeline.publicationDay) : "",
    applicationNumber: applicationNumberOf(identity, timeline.applicationDay, applicants.country),
    applicationDate: isoDate(timeline.applicationDay),
    titles: bilingual(invention.title),
    abstracts: bilingual(abstract),
    claims,
    descriptions,
    applicants: applicants.parties,
    inventors,
    owners: granted ? ownersOf(applicants.parties) : [],
    agents,
    ipc: classification.ipc,
    cpc: withCpc ? classification.cpc : [],
    locarno: [],
    nice: [],
    vienna: [],
    nationalClasses: [],
    priorities,
    familyId: family?.id ?? "",
    citations,
    legalEvents: events.events,
    detail: undefined,
    examinationNotes: notes,
    accessTier: published ? 0 : Tier.TIER_CONFIDENTIAL,
    provenance: {
      memberId: ctx.memberId,
      updatedTime: isoTimestamp(events.lastDay),
      version: 1,
      source: `corpus:seed=${ctx.seed}#${index}`,
    },
    extra,
    withheldFields: [],
  };
}
