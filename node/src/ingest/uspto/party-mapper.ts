import { Party } from "@ipfed/proto";
import { plainLine } from "./plain-text.js";
import { childElement, childElements, elementAt } from "./xml-tree.js";
import type { XmlElement } from "./xml-tree.js";
import { sequenceNumber } from "./uspto-normalise.js";

// Placeholders the USPTO prints where it has no country; they are not ST.3 codes.
const NO_COUNTRY = new Set(["", "OMITTED", "UNKNOWN", "XX"]);

function country(element: XmlElement | undefined): string {
  const value = plainLine(childElement(element, "country")).toUpperCase();
  return NO_COUNTRY.has(value) ? "" : value;
}

/**
 * Maps a USPTO party element (`applicant`, `us-applicant`, `inventor`, `assignee`, `agent`)
 * to a Party. The name is the orgname for organisations and `Last, First` for persons; the
 * address country falls back to residence, then nationality.
 *
 * @param element The party element; its `addressbook` child is read, or the element itself
 *   when the names sit directly in it (some assignees).
 * @param position The party's place in its list, from 1, used when it has no `sequence`.
 *
 * @example
 * ```ts
 * mapParty(applicantElement, 1).name; // "Cavin, Nicole"
 * ```
 */
export function mapParty(element: XmlElement, position: number): Party {
  const book = childElement(element, "addressbook") ?? element;
  const orgname = plainLine(childElement(book, "orgname"));
  const last = plainLine(childElement(book, "last-name"));
  const first = plainLine(childElement(book, "first-name"));
  const middle = plainLine(childElement(book, "middle-name"));
  const suffix = plainLine(childElement(book, "suffix"));
  const given = [first, middle].filter((s) => s !== "").join(" ");
  let name = orgname;
  if (name === "") {
    name = last !== "" && given !== "" ? `${last}, ${given}` : last || given;
    if (suffix !== "" && name !== "") name = `${name}, ${suffix}`;
  }
  if (name === "") name = plainLine(childElement(book, "name"));

  const address = childElement(book, "address");
  const street = [
    ...childElements(address, "street"),
    ...childElements(address).filter((e) => /^address-\d+$/.test(e.name)),
  ]
    .map((e) => plainLine(e))
    .filter((s) => s !== "")
    .join(", ");

  return Party.fromPartial({
    name,
    country:
      country(address) ||
      country(childElement(element, "residence")) ||
      country(childElement(element, "nationality")),
    naturalPerson: orgname === "" && (last !== "" || first !== ""),
    city: plainLine(childElement(address, "city")),
    state: plainLine(childElement(address, "state")),
    address: street,
    postcode: plainLine(childElement(address, "postcode")),
    email: plainLine(childElement(book, "email")),
    phone: plainLine(childElement(book, "phone")),
    sequence: sequenceNumber(element.attributes["sequence"], position),
  });
}

/** The parties of a USPTO grant, sorted into the Record's lists. */
export interface GrantParties {
  /** Applicants, including inventors who were applicants (pre-AIA grants). */
  applicants: Party[];
  /** Inventors: the inventor list, or the applicant-inventors when there is none. */
  inventors: Party[];
  /** Assignees. */
  owners: Party[];
  /** Attorneys, agents and firms. */
  agents: Party[];
}

function mapList(elements: XmlElement[]): Party[] {
  return elements.map((e, i) => mapParty(e, i + 1));
}

/**
 * Reads applicants, inventors, assignees and agents from a `us-bibliographic-data-grant`,
 * from `parties` (DTD v4.0–v4.2) or `us-parties` (v4.3 on).
 *
 * Until the AIA the inventors were the applicants: the v4.0–v4.2 DTDs list them only as
 * `applicant app-type="applicant-inventor"`, so those are also listed as inventors. When an
 * explicit inventor list exists, applicant-inventors missing from it are added to it.
 *
 * @example
 * ```ts
 * mapParties(biblio).inventors[0]?.name; // "Cavin, Nicole"
 * ```
 */
export function mapParties(biblio: XmlElement): GrantParties {
  const parties = childElement(biblio, "us-parties") ?? childElement(biblio, "parties");
  const applicantElements = [
    ...childElements(childElement(parties, "applicants"), "applicant"),
    ...childElements(childElement(parties, "us-applicants"), "us-applicant"),
  ];
  const applicants = mapList(applicantElements);
  const inventors = mapList(childElements(childElement(parties, "inventors"), "inventor"));
  const listed = new Set(inventors.map((p) => p.name));
  applicantElements.forEach((element, i) => {
    const party = applicants[i];
    if (party === undefined) return;
    if (element.attributes["app-type"] === "applicant-inventor" && !listed.has(party.name)) {
      // A copy, so redacting one list (tiers drop a person's address) cannot touch the other.
      inventors.push(Party.fromPartial(party));
    }
  });
  return {
    applicants,
    inventors,
    owners: mapList(childElements(elementAt(biblio, "assignees"), "assignee")),
    agents: mapList(childElements(childElement(parties, "agents"), "agent")),
  };
}
