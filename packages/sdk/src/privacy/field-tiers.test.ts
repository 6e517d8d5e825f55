import * as proto from "@ipfed/proto";
import { Tier, fieldTierOptions } from "@ipfed/proto";
import { describe, expect, it } from "vitest";
import type { PolicyMessage } from "./field-tiers.js";
import { FieldTierPolicy } from "./field-tiers.js";
import { OVERRIDES } from "./privacy-fixtures.test-helper.js";

const { TIER_UNSPECIFIED: U, TIER_PUBLIC: P, TIER_REGISTERED: G, TIER_RESTRICTED: R, TIER_CONFIDENTIAL: C } = Tier;

function messages(m: PolicyMessage): PolicyMessage[] {
  return [m, ...m.fields.flatMap((f) => (f.message ? messages(f.message) : []))];
}

describe("FieldTierPolicy.schema", () => {
  const policy = FieldTierPolicy.schema();

  it("is built once and shared", () => {
    expect(FieldTierPolicy.schema()).toBe(policy);
    expect(FieldTierPolicy.withOverrides([])).toBe(policy);
    expect(FieldTierPolicy.forDataset({ fieldTiers: [] })).toBe(policy);
    expect(policy.ineffectiveOverrides).toEqual([]);
  });

  it("reads the record's tiers from the descriptors", () => {
    expect(policy.tierOfPath("id")).toBe(P);
    expect(policy.tierOfPath("titles")).toBe(P);
    expect(policy.tierOfPath("abstracts")).toBe(P);
    expect(policy.tierOfPath("applicants")).toBe(P);
    expect(policy.tierOfPath("claims")).toBe(G);
    expect(policy.tierOfPath("descriptions")).toBe(G);
    expect(policy.tierOfPath("extra")).toBe(G);
    expect(policy.tierOfPath("examination_notes")).toBe(C);
  });

  it("a field inside a tiered field needs at least its tier", () => {
    expect(policy.tierOfPath("claims.text")).toBe(G);
    expect(policy.tierOfPath("claims.number")).toBe(G);
    expect(policy.tierOfPath("examination_notes.lang")).toBe(C);
    expect(policy.tierOfPath("titles.text")).toBe(P);
  });

  it("applies the personal tier only to natural persons", () => {
    for (const list of ["applicants", "inventors", "owners", "agents"]) {
      for (const part of ["city", "state", "address", "postcode", "email", "phone"]) {
        expect(policy.tierOfPath(`${list}.${part}`), `${list}.${part}`).toBe(P);
        expect(policy.tierOfPath(`${list}.${part}`, true), `${list}.${part} of a person`).toBe(R);
      }
      expect(policy.tierOfPath(`${list}.name`, true)).toBe(P);
      expect(policy.tierOfPath(`${list}.country`, true)).toBe(P);
    }
    // A message without `natural_person` has no personal tier.
    expect(policy.tierOfPath("claims.text", true)).toBe(G);
    expect(policy.tierOfPath("titles.text", true)).toBe(P);
  });

  it("walks through the oneof cases, lists and maps by proto name", () => {
    expect(policy.tierOfPath("trademark")).toBe(P);
    expect(policy.tierOfPath("trademark.classes")).toBe(P);
    expect(policy.tierOfPath("trademark.classes.goods_services")).toBe(P);
    expect(policy.tierOfPath("geographical_indication.product.text")).toBe(P);
    expect(policy.tierOfPath("law.text.text")).toBe(P);
    expect(policy.tierOfPath("ic_layout.structure")).toBe(P);
    expect(policy.tierOfPath("provenance.updated_time")).toBe(P);
    expect(policy.hasPath("extra")).toBe(true);
    expect(policy.hasPath("extra.key")).toBe(false);
    expect(policy.hasPath("provenance.updated_time.seconds")).toBe(false);
    expect(policy.hasPath("trademarks")).toBe(false);
    expect(() => policy.tierOfPath("inventors.adress")).toThrow(RangeError);
  });

  it("every tier option in the descriptors shows up in the policy (no hard-coded list)", () => {
    const record = fieldTierOptions().get("ipfed.v1.Record") ?? [];
    for (const f of record) {
      expect(policy.tierOfPath(f.field), f.field).toBe(f.tier === 0 ? P : f.tier);
    }
    const party = fieldTierOptions().get("ipfed.v1.Party") ?? [];
    for (const f of party) {
      expect(policy.tierOfPath(`inventors.${f.field}`, true), f.field).toBe(Math.max(P, f.tier, f.personalTier));
    }
  });

  it("lists parents before their fields", () => {
    const paths = policy.paths();
    expect(paths.indexOf("inventors")).toBeLessThan(paths.indexOf("inventors.address"));
    expect(paths).toContain("trademark.classes.number");
    expect(new Set(paths).size).toBe(paths.length);
  });

  it("names every field by the property ts-proto generates", () => {
    const exported = proto as unknown as { [name: string]: { fromPartial?: (o: object) => object } };
    for (const m of messages(policy.root)) {
      const short = m.typeName.replace("ipfed.v1.", "");
      const base = exported[short]?.fromPartial?.({});
      expect(base, m.typeName).toBeDefined();
      const keys = Object.keys(base ?? {});
      for (const f of m.fields) {
        if (f.oneof) expect(keys, `${m.typeName} oneof ${f.oneof.key}`).toContain(f.oneof.key);
        else expect(keys, `${m.typeName}.${f.name}`).toContain(f.key);
      }
    }
    const detail = policy.root.fields.filter((f) => f.oneof).map((f) => [f.name, f.oneof?.key, f.oneof?.case]);
    expect(detail).toEqual([
      ["trademark", "detail", "trademark"],
      ["geographical_indication", "detail", "geographicalIndication"],
      ["ic_layout", "detail", "icLayout"],
      ["law", "detail", "law"],
    ]);
  });

  it("knows the highest tier inside each message, for pruning", () => {
    expect(policy.root.maxTier).toBe(C);
    const inventors = policy.root.fields.find((f) => f.name === "inventors");
    expect(inventors?.message?.maxTier).toBe(R);
    expect(inventors?.message?.naturalPersonKey).toBe("naturalPerson");
    const titles = policy.root.fields.find((f) => f.name === "titles");
    expect(titles?.message?.maxTier).toBe(P);
  });
});

describe("FieldTierPolicy.withOverrides", () => {
  const policy = FieldTierPolicy.withOverrides(OVERRIDES);

  it("raises the tiers of the named paths and everything inside them", () => {
    expect(policy.tierOfPath("applicants")).toBe(G);
    expect(policy.tierOfPath("applicants.name")).toBe(G);
    expect(policy.tierOfPath("applicants.city", true)).toBe(R);
    expect(policy.tierOfPath("trademark.classes.number")).toBe(G);
    expect(policy.tierOfPath("trademark.mark_text")).toBe(P);
    expect(policy.tierOfPath("law.text.text")).toBe(R);
    expect(policy.tierOfPath("claims")).toBe(G);
    expect(policy.tierOfPath("claims.text")).toBe(R);
    expect(policy.tierOfPath("claims.number")).toBe(G);
  });

  it("applies to the named path only, not to the same type elsewhere", () => {
    expect(policy.tierOfPath("owners.name")).toBe(P);
    expect(policy.tierOfPath("inventors.address")).toBe(C);
    expect(policy.tierOfPath("inventors.address", true)).toBe(C);
    expect(policy.tierOfPath("owners.address")).toBe(P);
    expect(policy.tierOfPath("inventors.city", true)).toBe(R);
  });

  it("never lowers a tier below the schema, and reports the overrides that changed nothing", () => {
    expect(policy.tierOfPath("descriptions")).toBe(G);
    expect(policy.tierOfPath("abstracts")).toBe(P);
    expect(policy.ineffectiveOverrides).toEqual(["abstracts", "descriptions"]);
    const lowered = FieldTierPolicy.withOverrides([
      { field: "inventors.address", tier: P },
      { field: "examination_notes", tier: G },
      { field: "extra", tier: U },
    ]);
    expect(lowered.tierOfPath("inventors.address", true)).toBe(R);
    expect(lowered.tierOfPath("examination_notes")).toBe(C);
    expect(lowered.tierOfPath("extra")).toBe(G);
    expect(lowered.ineffectiveOverrides).toEqual(["examination_notes", "extra", "inventors.address"]);
  });

  it("a raised base tier below the personal tier reaches organisations too", () => {
    const p = FieldTierPolicy.withOverrides([{ field: "owners.address", tier: G }]);
    expect(p.tierOfPath("owners.address")).toBe(G);
    expect(p.tierOfPath("owners.address", true)).toBe(R);
  });

  it("keeps the highest of several overrides of one path", () => {
    const p = FieldTierPolicy.withOverrides([
      { field: "titles", tier: C },
      { field: "titles", tier: G },
    ]);
    expect(p.tierOfPath("titles")).toBe(C);
  });

  it("refuses paths that are not fields, the redaction report, and values that are not tiers", () => {
    expect(() => FieldTierPolicy.withOverrides([{ field: "inventors.adress", tier: R }])).toThrow(/inventors\.adress/);
    expect(() => FieldTierPolicy.withOverrides([{ field: "extra.legal_status", tier: R }])).toThrow(RangeError);
    expect(() => FieldTierPolicy.withOverrides([{ field: "examinationNotes", tier: R }])).toThrow(RangeError);
    expect(() => FieldTierPolicy.withOverrides([{ field: "", tier: R }])).toThrow(RangeError);
    expect(() => FieldTierPolicy.withOverrides([{ field: "withheld_fields", tier: R }])).toThrow(/withheld_fields/);
    expect(() => FieldTierPolicy.withOverrides([{ field: "claims", tier: Tier.UNRECOGNIZED }])).toThrow(/unknown\(-1\)/);
    expect(() => FieldTierPolicy.withOverrides([{ field: "claims", tier: 5 as Tier }])).toThrow(RangeError);
  });

  it("builds from a dataset's field_tiers", () => {
    const p = FieldTierPolicy.forDataset({ fieldTiers: [{ field: "agents", tier: R }] });
    expect(p.tierOfPath("agents.name")).toBe(R);
    expect(p).not.toBe(FieldTierPolicy.schema());
    // The schema policy is untouched.
    expect(FieldTierPolicy.schema().tierOfPath("agents.name")).toBe(P);
  });
});
