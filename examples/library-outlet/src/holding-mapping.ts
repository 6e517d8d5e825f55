import { Record, RecordKind, Tier } from "@ipfed/proto";
import type { Dataset, Party, PublicService } from "@ipfed/proto";
import { IpfedError } from "@ipfed/sdk";

/** A row of the library's `holdings` table. */
export interface HoldingRow {
  call_no: string;
  collection: string;
  pub_no: string;
  kind: string;
  title_zh: string;
  title_en: string;
  abstract_zh: string;
  abstract_en: string;
  claim_1: string;
  claim_lang: string;
  ipc: string;
  nice: string;
  pub_date: string;
  app_no: string;
  app_date: string;
  family: string;
  access: string;
}

/** A row of the library's `people` table: one person or organisation named on a holding. */
export interface PersonRow {
  holding: string;
  role: "applicant" | "inventor" | "owner" | "agent";
  seq: number;
  name: string;
  country: string;
  city: string;
  province: string;
  address: string;
  postcode: string;
  is_person: number;
}

/** A row of the library's `collections` table. */
export interface CollectionRow {
  code: string;
  name_zh: string;
  name_en: string;
  note_zh: string;
  note_en: string;
  access: string;
  licence: string;
  regions: string;
  update_frequency: string;
  sensitive: number;
  mirror_allowed: number;
}

/** A row of the library's `desks` table: a public service desk. */
export interface DeskRow {
  code: string;
  name_zh: string;
  name_en: string;
  channels: string;
  hours: string;
  phone: string;
  email: string;
}

/** The library's words for document kinds, and the protocol's. */
const KINDS: ReadonlyMap<string, RecordKind> = new Map([
  ["invention", RecordKind.RECORD_KIND_PATENT],
  ["utility", RecordKind.RECORD_KIND_UTILITY_MODEL],
  ["design", RecordKind.RECORD_KIND_DESIGN],
  ["trademark", RecordKind.RECORD_KIND_TRADEMARK],
]);

const TIERS: ReadonlyMap<string, Tier> = new Map([
  ["public", Tier.TIER_PUBLIC],
  ["registered", Tier.TIER_REGISTERED],
  ["restricted", Tier.TIER_RESTRICTED],
  ["confidential", Tier.TIER_CONFIDENTIAL],
]);

const ROLES = ["applicant", "inventor", "owner", "agent"] as const;

/** `CN112345678A` → country, number and kind code; the kind code is the last letter and its digit. */
const PRINTED = /^([A-Z]{2})([A-Z0-9]+?)([A-Z]\d?)$/;

/**
 * The canonical id of a publication number as the library prints it: `CN112345678A` is
 * `CN-112345678-A`, `US7650331B1` is `US-7650331-B1`, `CNTM35012345T` is `CN-TM35012345-T`.
 *
 * @throws IpfedError `INVALID_ARGUMENT` when the number has no country and kind code.
 * @example
 * ```ts
 * canonicalId("CN 112345678 A"); // "CN-112345678-A"
 * ```
 */
export function canonicalId(pubNo: string): string {
  const m = PRINTED.exec(pubNo.replace(/[\s-]/g, "").toUpperCase());
  if (!m) throw new IpfedError("INVALID_ARGUMENT", `publication number "${pubNo}" has no country code and kind code`, { field: "pub_no" });
  return `${m[1]}-${m[2]}-${m[3]}`;
}

function texts(zh: string, en: string) {
  return [...(zh ? [{ lang: "zh", text: zh }] : []), ...(en ? [{ lang: "en", text: en }] : [])];
}

function split(list: string): string[] {
  return list.split(";").map((s) => s.trim()).filter((s) => s !== "");
}

/**
 * A tier as the library writes it (`restricted`), or unset.
 *
 * @example
 * ```ts
 * tierOf("Restricted"); // Tier.TIER_RESTRICTED
 * ```
 */
export function tierOf(word: string): Tier {
  return TIERS.get(word.trim().toLowerCase()) ?? Tier.TIER_UNSPECIFIED;
}

/**
 * The library's word for a tier.
 *
 * @example
 * ```ts
 * tierWord(Tier.TIER_PUBLIC); // "public"
 * ```
 */
export function tierWord(tier: Tier): string {
  return [...TIERS].find(([, t]) => t === tier)?.[0] ?? "";
}

/**
 * Maps a holding and the people named on it to a protocol Record. The record is whole: the
 * server kit withholds what a caller's tier does not allow (claims, natural persons' addresses).
 *
 * @example
 * ```ts
 * const record = holdingToRecord(row, people, "gd-sz-library");
 * ```
 */
export function holdingToRecord(row: HoldingRow, people: readonly PersonRow[], memberId: string, updatedTime?: string): Record {
  const id = canonicalId(row.pub_no);
  const [country, docNumber, kindCode] = id.split("-") as [string, string, string];
  const parties = (role: PersonRow["role"]): Party[] =>
    people
      .filter((p) => p.role === role)
      .sort((a, b) => a.seq - b.seq)
      .map((p) => ({
        name: p.name,
        country: p.country,
        naturalPerson: p.is_person === 1,
        city: p.city,
        state: p.province,
        address: p.address,
        postcode: p.postcode,
        email: "",
        phone: "",
        identifier: "",
        sequence: p.seq,
      }));
  return Record.fromPartial({
    id,
    kind: KINDS.get(row.kind) ?? RecordKind.RECORD_KIND_UNSPECIFIED,
    datasetId: row.collection,
    publicationNumber: row.pub_no,
    country,
    docNumber,
    kindCode,
    publicationDate: row.pub_date,
    applicationNumber: row.app_no,
    applicationDate: row.app_date,
    titles: texts(row.title_zh, row.title_en),
    abstracts: texts(row.abstract_zh, row.abstract_en),
    claims: row.claim_1 ? [{ number: 1, text: row.claim_1, lang: row.claim_lang, dependsOn: [] }] : [],
    applicants: parties("applicant"),
    inventors: parties("inventor"),
    owners: parties("owner"),
    agents: parties("agent"),
    ipc: split(row.ipc),
    nice: split(row.nice).map(Number),
    familyId: row.family,
    accessTier: tierOf(row.access),
    provenance: { memberId, version: 0, source: `library:${row.call_no}`, ...(updatedTime ? { updatedTime } : {}) },
  });
}

/**
 * Maps a protocol Record to the library's rows, for records published to the member (and
 * for loading a catalogue). Fields the library's schema has no column for are not kept: a
 * second claim, descriptions, CPC, e-mail addresses.
 *
 * @example
 * ```ts
 * const { holding, people } = recordToHolding(record, "patents");
 * ```
 */
export function recordToHolding(record: Record, collection: string, callNo?: string): { holding: HoldingRow; people: PersonRow[] } {
  const kind = [...KINDS].find(([, k]) => k === record.kind)?.[0];
  if (!kind) throw new IpfedError("INVALID_ARGUMENT", `record ${record.id}: this library holds no ${RecordKind[record.kind]} records`, { field: "kind" });
  const printed = record.publicationNumber && canonicalIdOrEmpty(record.publicationNumber) === record.id ? record.publicationNumber : record.id.replaceAll("-", "");
  const no = callNo ?? `IP-${printed}`;
  const lang = (list: readonly { lang: string; text: string }[], l: string) => list.find((t) => t.lang === l)?.text ?? "";
  const claim = record.claims[0];
  const people: PersonRow[] = [];
  for (const role of ROLES) {
    const list = { applicant: record.applicants, inventor: record.inventors, owner: record.owners, agent: record.agents }[role];
    list.forEach((p, i) =>
      people.push({
        holding: no,
        role,
        seq: p.sequence || i + 1,
        name: p.name,
        country: p.country,
        city: p.city,
        province: p.state,
        address: p.address,
        postcode: p.postcode,
        is_person: p.naturalPerson ? 1 : 0,
      }),
    );
  }
  return {
    holding: {
      call_no: no,
      collection,
      pub_no: printed,
      kind,
      title_zh: lang(record.titles, "zh"),
      title_en: lang(record.titles, "en"),
      abstract_zh: lang(record.abstracts, "zh"),
      abstract_en: lang(record.abstracts, "en"),
      claim_1: claim?.text ?? "",
      claim_lang: claim?.lang ?? "",
      ipc: record.ipc.join("; "),
      nice: record.nice.join(";"),
      pub_date: record.publicationDate,
      app_no: record.applicationNumber,
      app_date: record.applicationDate,
      family: record.familyId,
      access: tierWord(record.accessTier),
    },
    people,
  };
}

function canonicalIdOrEmpty(pubNo: string): string {
  try {
    return canonicalId(pubNo);
  } catch {
    return "";
  }
}

/**
 * Maps a collection to a protocol Dataset; the figures (count, coverage, kinds, version) are
 * the caller's to add, from the holdings.
 *
 * @example
 * ```ts
 * const dataset = collectionToDataset(row, "gd-sz-library");
 * ```
 */
export function collectionToDataset(row: CollectionRow, memberId: string): Dataset {
  return {
    id: row.code,
    titles: texts(row.name_zh, row.name_en),
    descriptions: texts(row.note_zh, row.note_en),
    publisher: memberId,
    kinds: [],
    licence: row.licence,
    tier: tierOf(row.access) || Tier.TIER_PUBLIC,
    fieldTiers: [],
    coverage: { countries: [], dateFrom: "", dateTo: "", regions: split(row.regions) },
    recordCount: 0,
    updateFrequency: row.update_frequency,
    keywords: [],
    version: 0,
    sensitive: row.sensitive === 1,
    mirrorAllowed: row.mirror_allowed === 1,
  };
}

/**
 * Maps a protocol Dataset to a collection row (for loading a catalogue).
 *
 * @example
 * ```ts
 * const row = datasetToCollection(dataset);
 * ```
 */
export function datasetToCollection(d: Dataset): CollectionRow {
  const lang = (list: readonly { lang: string; text: string }[], l: string) => list.find((t) => t.lang === l)?.text ?? "";
  return {
    code: d.id,
    name_zh: lang(d.titles, "zh"),
    name_en: lang(d.titles, "en"),
    note_zh: lang(d.descriptions, "zh"),
    note_en: lang(d.descriptions, "en"),
    access: tierWord(d.tier) || "public",
    licence: d.licence,
    regions: (d.coverage?.regions ?? []).join(";"),
    update_frequency: d.updateFrequency,
    sensitive: d.sensitive ? 1 : 0,
    mirror_allowed: d.mirrorAllowed ? 1 : 0,
  };
}

/**
 * Maps a service desk to a protocol PublicService.
 *
 * @example
 * ```ts
 * const service = deskToService(row, "gd-sz-library");
 * ```
 */
export function deskToService(row: DeskRow, memberId: string): PublicService {
  return {
    id: row.code,
    names: texts(row.name_zh, row.name_en),
    descriptions: [],
    channels: split(row.channels),
    hours: row.hours,
    contact: { name: "", email: row.email, phone: row.phone, url: "", address: "" },
    memberId,
  };
}

/**
 * Maps a protocol PublicService to a desk row (for loading a catalogue).
 *
 * @example
 * ```ts
 * const row = serviceToDesk(service);
 * ```
 */
export function serviceToDesk(s: PublicService): DeskRow {
  const lang = (l: string) => s.names.find((t) => t.lang === l)?.text ?? "";
  return { code: s.id, name_zh: lang("zh"), name_en: lang("en"), channels: s.channels.join(";"), hours: s.hours, phone: s.contact?.phone ?? "", email: s.contact?.email ?? "" };
}
