// Party objects (applicants, inventors, owners, agents) built from names and organisations.
// Natural persons carry personal data (city, address, phone...) that members must redact below
// the RESTRICTED tier; organisations carry their public seat and identifier.

import type { Party } from "@ipfed/proto";
import type { Organisation } from "./names.js";
import { chineseName, foreignCity, foreignPersonName, foreignStreet } from "./names.js";
import type { Rng } from "./prng.js";
import { CITY_TABLE, mobilePhone, postcodeIn, provinceCode, streetAddress } from "./regions.js";

/** A Party with every field at its proto3 default, as `Party.fromJSON({})` makes it. */
export function emptyParty(name: string, country: string, naturalPerson: boolean, sequence: number): Party {
  return {
    name,
    country,
    naturalPerson,
    city: "",
    state: "",
    address: "",
    postcode: "",
    email: "",
    phone: "",
    identifier: "",
    sequence,
  };
}

/** An organisation as a party at position `sequence`. */
export function organisationParty(org: Organisation, sequence: number): Party {
  const party = emptyParty(org.name, org.country, false, sequence);
  party.city = org.city;
  party.state = org.state;
  party.address = org.address;
  party.postcode = org.postcode;
  party.identifier = org.identifier;
  party.phone = org.phone;
  return party;
}

/** How much personal data a natural person comes with. */
export type PersonDetail = "name" | "address" | "contact";

/** A Chinese person plus the GB/T 2260 province code of where they live. */
export interface PersonParty {
  readonly party: Party;
  readonly region: string;
}

/**
 * A Chinese natural person: name only, name and address (`address`), or address with phone and
 * sometimes e-mail (`contact`, as individual applicants give).
 */
export function chinesePerson(rng: Rng, sequence: number, detail: PersonDetail): PersonParty {
  const party = emptyParty(chineseName(rng), "CN", true, sequence);
  if (detail === "name") return { party, region: "" };
  const city = rng.weighted(CITY_TABLE);
  party.city = city.name;
  party.state = city.province;
  party.address = streetAddress(rng, city, true);
  party.postcode = postcodeIn(rng, city);
  if (detail === "contact") {
    party.phone = mobilePhone(rng);
    if (rng.chance(0.35)) party.email = rng.chance(0.6) ? `${rng.range(10_000_000, 2_999_999_999)}@qq.com` : `ip${rng.range(1000, 999_999)}@163.com`;
  }
  return { party, region: provinceCode(city) };
}

const CALLING_CODES: Readonly<Record<string, string>> = { US: "1", JP: "81", DE: "49", KR: "82", FR: "33", GB: "44", NL: "31", CH: "41" };

/**
 * A foreign natural person: name only, with city and street (`address`), or with a telephone
 * too (`contact`, as individual applicants give).
 */
export function foreignPerson(rng: Rng, country: string, sequence: number, detail: PersonDetail): Party {
  const party = emptyParty(foreignPersonName(rng, country), country, true, sequence);
  if (detail !== "name") {
    const [city, state] = foreignCity(rng, country);
    party.city = city;
    party.state = state;
    party.address = foreignStreet(rng, country);
  }
  if (detail === "contact") party.phone = `+${CALLING_CODES[country] ?? "1"} ${rng.range(20, 99)} ${rng.range(1000, 9999)} ${rng.range(1000, 9999)}`;
  return party;
}

/** A copy of a party at another position (owners repeat applicants). */
export function copyParty(party: Party, sequence: number): Party {
  return { ...party, sequence };
}
