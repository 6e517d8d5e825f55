// Applicants, inventors and agents of patents. Applicants are drawn from Zipf-ranked pools per
// domain (a few companies and universities file a great deal, most rarely); about 15% of Chinese
// filings are by natural persons, who give their address and phone number.

import type { Party } from "@ipfed/proto";
import {
  chineseAgency,
  chineseCompany,
  chineseInstitute,
  chineseUniversity,
  FOREIGN_COUNTRIES,
  foreignCompany,
  foreignLawFirm,
} from "./names.js";
import { chinesePerson, copyParty, foreignPerson, organisationParty } from "./parties.js";
import type { Rng } from "./prng.js";
import { WeightedTable, zipfRank } from "./prng.js";
import type { Domain } from "./vocabulary.js";

/** Share of Chinese-origin patents filed by natural persons. */
export const PERSON_APPLICANT_SHARE = 0.17;

/** Who applied, as written to `extra.applicant_type`. */
export type ApplicantType = "individual" | "enterprise" | "university" | "institute" | "foreign";

/** The applicants of a patent. */
export interface Applicants {
  readonly parties: Party[];
  readonly type: ApplicantType;
  /** GB/T 2260 province code of the first Chinese applicant, or empty. */
  readonly region: string;
  /** Country of the first applicant. */
  readonly country: string;
}

const EUROPEAN = ["DE", "FR", "NL", "CH", "GB"];

/** The country of a foreign applicant, leaning to the office it files at. */
function applicantCountry(rng: Rng, office: string): string {
  const u = rng.float();
  if ((office === "US" || office === "JP") && u < 0.6) return office;
  if (office === "EP" && u < 0.55) return rng.pick(EUROPEAN);
  return rng.weighted(FOREIGN_COUNTRIES);
}

/**
 * Draws the applicants: Chinese organisations or persons for Chinese-origin inventions,
 * foreign companies otherwise (`office` is where the document is published).
 */
export function drawApplicants(rng: Rng, domain: Domain, foreignOrigin: boolean, office: string): Applicants {
  const parties: Party[] = [];
  const d = domain.data;
  if (foreignOrigin) {
    const country = applicantCountry(rng, office);
    if (rng.chance(0.04)) {
      parties.push(foreignPerson(rng, country, 1, "contact"));
      return { parties, type: "individual", region: "", country };
    }
    parties.push(organisationParty(foreignCompany(country, domain.index, zipfRank(rng, 600)), 1));
    if (rng.chance(0.1)) parties.push(organisationParty(foreignCompany(country, domain.index, zipfRank(rng, 600)), 2));
    return { parties, type: "foreign", region: "", country };
  }
  const u = rng.float();
  if (u < PERSON_APPLICANT_SHARE) {
    const first = chinesePerson(rng, 1, "contact");
    parties.push(first.party);
    if (rng.chance(0.2)) parties.push(chinesePerson(rng, 2, "contact").party);
    return { parties, type: "individual", region: first.region, country: "CN" };
  }
  let type: ApplicantType;
  let first;
  if (u < 0.6) {
    type = "enterprise";
    first = chineseCompany(d.industries, domain.index, zipfRank(rng, 5000));
  } else if (u < 0.88) {
    type = "university";
    first = chineseUniversity(d, domain.index, zipfRank(rng, 300));
  } else {
    type = "institute";
    first = chineseInstitute(d, domain.index, zipfRank(rng, 80));
  }
  parties.push(organisationParty(first, 1));
  if (rng.chance(type === "enterprise" ? 0.1 : 0.2)) {
    const partner = rng.chance(0.5)
      ? chineseCompany(d.industries, domain.index, zipfRank(rng, 5000))
      : chineseUniversity(d, domain.index, zipfRank(rng, 300));
    if (partner.name !== first.name) parties.push(organisationParty(partner, 2));
  }
  return { parties, type, region: first.region, country: "CN" };
}

const INVENTOR_COUNTS = new WeightedTable([1, 2, 3, 4, 5, 6], [18, 24, 22, 16, 11, 9]);

/**
 * Draws the inventors: individual applicants come first (they are usually their own inventors);
 * about 30% of the others are published with city and street address.
 */
export function drawInventors(rng: Rng, applicants: Applicants): Party[] {
  let count = rng.weighted(INVENTOR_COUNTS);
  if (applicants.type === "university") count += rng.int(3);
  const inventors: Party[] = [];
  if (applicants.type === "individual") {
    for (const person of applicants.parties) {
      const inventor = copyParty(person, inventors.length + 1);
      inventor.phone = "";
      inventor.email = "";
      inventors.push(inventor);
    }
  }
  while (inventors.length < count) {
    const sequence = inventors.length + 1;
    const withAddress = rng.chance(0.3);
    inventors.push(
      applicants.country === "CN"
        ? chinesePerson(rng, sequence, withAddress ? "address" : "name").party
        : foreignPerson(rng, applicants.country, sequence, withAddress ? "address" : "name"),
    );
  }
  return inventors;
}

/**
 * Draws the agents of a document published at `office`: a Chinese agency and one or two patent
 * attorneys for Chinese documents, a law firm (and an attorney) elsewhere; individuals hire an
 * agency less often.
 */
export function drawAgents(rng: Rng, office: string, individual: boolean): Party[] {
  const agents: Party[] = [];
  if (office === "CN") {
    if (!rng.chance(individual ? 0.6 : 0.88)) return agents;
    agents.push(organisationParty(chineseAgency(zipfRank(rng, 900), false), 1));
    const people = rng.chance(0.55) ? 2 : 1;
    for (let i = 0; i < people; i++) agents.push(chinesePerson(rng, agents.length + 1, "name").party);
    return agents;
  }
  if (!rng.chance(0.9)) return agents;
  agents.push(organisationParty(foreignLawFirm(office, zipfRank(rng, 300)), 1));
  if (rng.chance(0.5)) {
    const home = office === "EP" ? "DE" : office === "WO" ? "US" : office;
    agents.push(foreignPerson(rng, home, 2, "name"));
  }
  return agents;
}

/** Owners of a granted right: the applicants, in order. */
export function ownersOf(applicants: readonly Party[]): Party[] {
  return applicants.map((p, i) => copyParty(p, i + 1));
}

