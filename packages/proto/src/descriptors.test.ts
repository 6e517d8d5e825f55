import { describe, expect, it } from "vitest";
import { Tier } from "./index.js";
import { fieldTierOptions, protoRegistry } from "./descriptors.js";

function tierOf(message: string, field: string): { tier: number; personalTier: number } {
  const f = fieldTierOptions()
    .get(`ipfed.v1.${message}`)
    ?.find((x) => x.field === field);
  if (!f) throw new Error(`no field ${message}.${field}`);
  return { tier: f.tier, personalTier: f.personalTier };
}

describe("field tiers are read from the descriptors", () => {
  it("bibliographic data, abstracts, classifications and legal status are public", () => {
    for (const field of ["id", "titles", "abstracts", "ipc", "cpc", "applicants", "legal_events", "publication_date"]) {
      expect(tierOf("Record", field).tier, field).toBe(Tier.TIER_UNSPECIFIED);
    }
  });

  it("full text is REGISTERED", () => {
    expect(tierOf("Record", "claims").tier).toBe(Tier.TIER_REGISTERED);
    expect(tierOf("Record", "descriptions").tier).toBe(Tier.TIER_REGISTERED);
  });

  it("natural persons' addresses and contact details are RESTRICTED", () => {
    for (const field of ["address", "city", "state", "postcode", "email", "phone"]) {
      expect(tierOf("Party", field), field).toEqual({ tier: 0, personalTier: Tier.TIER_RESTRICTED });
    }
    expect(tierOf("Party", "name")).toEqual({ tier: 0, personalTier: 0 });
    expect(tierOf("Party", "country")).toEqual({ tier: 0, personalTier: 0 });
  });

  it("examination notes are CONFIDENTIAL", () => {
    expect(tierOf("Record", "examination_notes").tier).toBe(Tier.TIER_CONFIDENTIAL);
  });

  it("reports the JSON name and the message type of nested fields", () => {
    const f = fieldTierOptions()
      .get("ipfed.v1.Record")
      ?.find((x) => x.field === "examination_notes");
    expect(f?.jsonName).toBe("examinationNotes");
    expect(f?.messageType).toBe("ipfed.v1.LocalizedText");
  });

  it("the registry holds the four ipfed.v1 services", () => {
    const services = [...protoRegistry()].filter((t) => t.kind === "service").map((t) => t.typeName);
    expect(services.sort()).toEqual([
      "ipfed.v1.CatalogueService",
      "ipfed.v1.ExchangeService",
      "ipfed.v1.FederationService",
      "ipfed.v1.SearchService",
    ]);
  });
});
