// Dates and families of patents. A patent's filing and publication dates, and whether it belongs
// to a family, come from their own stream so that they can be computed cheaply for any index:
// citations need the id and date of earlier records without generating them whole.
//
// Families: indices are grouped in blocks of FAMILY_BLOCK; a quarter of the patents of a block
// join one of FAMILY_SLOTS families of that block, so members of a family sit close together and
// a corpus of any size contains whole families. Members share the invention (domain, texts,
// applicants, inventors); foreign members claim the priority of the Chinese first filing.

import type { Domain } from "./vocabulary.js";
import { DOMAIN_TABLE } from "./vocabulary.js";
import { dayInYear, growthYears, LAST_DAY, yearOf } from "./dates.js";
import type { RecordPlan } from "./layout.js";
import { countryOf } from "./layout.js";
import type { CorpusContext } from "./options.js";
import type { Rng } from "./prng.js";
import { STREAM, streamRng } from "./streams.js";
import { pad } from "./text.js";

/** What an invention is: a material or composition, a device, or a method. */
export type InventionType = "material" | "device" | "process";

/** Records per family block. */
export const FAMILY_BLOCK = 16;
/** Families per block. */
export const FAMILY_SLOTS = 3;
/** Share of patents that join a family of their block. */
export const FAMILY_SHARE = 0.25;
/** Share of Chinese invention applications that are not yet published (confidential). */
export const UNPUBLISHED_SHARE = 0.006;

const APPLICATION_YEARS = growthYears(2000, 2023, 1.12);
const PRIORITY_YEARS = growthYears(2000, 2021, 1.12);

/** The shared facts of one patent family. */
export interface FamilyInfo {
  /** Family key: block × FAMILY_SLOTS + slot. */
  readonly key: number;
  /** Family id as published (nine digits, unique per key). */
  readonly id: string;
  /** The domain of the invention. */
  readonly domain: Domain;
  /** What the invention is. */
  readonly type: InventionType;
  /** Filing day of the first (Chinese) application. */
  readonly priorityDay: number;
  /** Application number of the first filing (`202110123456.7`). */
  readonly priorityNumber: string;
}

/** The dates of one patent. */
export interface PatentTimeline {
  /** Filing day. */
  readonly applicationDay: number;
  /** Publication (or grant) day; -1 for an application not yet published. */
  readonly publicationDay: number;
  /** The family the patent belongs to, if any. */
  readonly family: FamilyInfo | undefined;
}

/**
 * Draws what kind of invention to describe: utility models protect devices only; otherwise
 * materials, devices and methods in about equal parts (no materials where a domain has none).
 */
export function drawInventionType(rng: Rng, domain: Domain, deviceOnly: boolean): InventionType {
  if (deviceOnly) return "device";
  const u = rng.float();
  if (domain.materials === undefined) return u < 0.5 ? "device" : "process";
  return u < 0.36 ? "material" : u < 0.7 ? "device" : "process";
}

/**
 * A Chinese application number: year, type digit (1 invention, 2 utility model), seven digits,
 * and the check digit after a dot (`201510123456.7`).
 */
export function chineseApplicationNumber(year: number, type: 1 | 2, serial: number): string {
  const digits = `${year}${type}${pad(serial % 10_000_000, 7)}`;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += (digits.charCodeAt(i) - 48) * ((i % 8) + 2);
  const check = sum % 11;
  return `${digits}.${check === 10 ? "X" : check}`;
}

/** The shared facts of family `key`. */
export function familyInfo(ctx: CorpusContext, key: number): FamilyInfo {
  const rng = streamRng(ctx, STREAM.family, key);
  const domain = rng.weighted(DOMAIN_TABLE);
  const type = drawInventionType(rng, domain, false);
  const year = rng.weighted(PRIORITY_YEARS);
  const priorityDay = dayInYear(rng, year);
  // key × odd constant mod 2^29, then the seed mask: a bijection on 29 bits, so ids are unique.
  const scrambled = ((Math.imul(key, 0x2c1b3c6d) & 0x1fffffff) ^ ctx.familyMask) >>> 0;
  return {
    key,
    id: String(100_000_000 + scrambled),
    domain,
    type,
    priorityDay,
    priorityNumber: chineseApplicationNumber(year, 1, rng.int(10_000_000)),
  };
}

/** Days from filing to publication, by category and variant. */
function publicationLag(rng: Rng, plan: RecordPlan): number {
  switch (plan.category) {
    case "cn-invention":
      return plan.variant === 0 ? rng.range(540, 730) : rng.range(730, 1095);
    case "cn-utility":
      return rng.range(365, 540);
    case "us-grant":
    case "jp-grant":
      return rng.range(800, 1095);
    case "ep":
      return plan.variant === 0 ? rng.range(540, 600) : rng.range(900, 1095);
    default:
      return rng.range(540, 600);
  }
}

/**
 * The dates and family of the patent at `plan.index`. Reads only the timeline stream (and the
 * family stream), so it is cheap enough to call for cited records.
 */
export function patentTimeline(ctx: CorpusContext, plan: RecordPlan): PatentTimeline {
  const rng = streamRng(ctx, STREAM.timeline, plan.index);
  const familyRoll = rng.float();
  const slot = rng.int(FAMILY_SLOTS);
  let family: FamilyInfo | undefined;
  if (familyRoll < FAMILY_SHARE) {
    const candidate = familyInfo(ctx, Math.floor(plan.index / FAMILY_BLOCK) * FAMILY_SLOTS + slot);
    if (plan.category !== "cn-utility" || candidate.type === "device") family = candidate;
  }
  const chinese = countryOf(plan.category) === "CN";
  if (family === undefined && plan.category === "cn-invention" && plan.variant === 0 && rng.chance(UNPUBLISHED_SHARE)) {
    return { applicationDay: LAST_DAY - rng.range(30, 540), publicationDay: -1, family: undefined };
  }
  let applicationDay: number;
  if (family !== undefined) {
    applicationDay = family.priorityDay + (chinese ? (rng.chance(0.7) ? 0 : rng.range(1, 60)) : rng.range(300, 365));
  } else {
    applicationDay = dayInYear(rng, rng.weighted(APPLICATION_YEARS));
  }
  let publicationDay = applicationDay + publicationLag(rng, plan);
  // Too late for the as-of date: publish within what is left, still a year or more after filing
  // (filings are never later than a year before the as-of date), rather than pile up on one day.
  if (publicationDay > LAST_DAY) publicationDay = applicationDay + 365 + rng.int(LAST_DAY - applicationDay - 364);
  return { applicationDay, publicationDay, family };
}

/** The publication year of a timeline (the filing year for unpublished applications). */
export function publicationYearOf(timeline: PatentTimeline): number {
  return yearOf(timeline.publicationDay >= 0 ? timeline.publicationDay : timeline.applicationDay);
}

