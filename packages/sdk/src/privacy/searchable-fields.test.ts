import { Tier } from "@ipfed/proto";
import { describe, expect, it } from "vitest";
import { FIELD_NAMES } from "../query/query-fields.js";
import { SEARCH_FACETS } from "../server/search-service.js";
import { FieldTierPolicy } from "./field-tiers.js";
import { OVERRIDES } from "./privacy-fixtures.test-helper.js";
import { FACET_SOURCES, QUERY_FIELD_SOURCES, searchableQueryFields, visibleFacets } from "./searchable-fields.js";

const { TIER_UNSPECIFIED: U, TIER_PUBLIC: P, TIER_REGISTERED: G, TIER_RESTRICTED: R, TIER_CONFIDENTIAL: C } = Tier;
const schema = FieldTierPolicy.schema();
const ALL_FACETS = [...SEARCH_FACETS, "member"];

describe("the source tables", () => {
  it("cover every query field, and addr", () => {
    expect(Object.keys(QUERY_FIELD_SOURCES).sort()).toEqual([...FIELD_NAMES].sort());
  });

  it("cover every facet the search service counts", () => {
    for (const f of SEARCH_FACETS) expect(FACET_SOURCES, f).toHaveProperty(f);
  });

  it("name only real record field paths", () => {
    for (const sources of [...Object.values(QUERY_FIELD_SOURCES), ...Object.values(FACET_SOURCES)]) {
      for (const s of sources) expect(schema.hasPath(s.path), s.path).toBe(true);
    }
  });

  it("feed addr from the address parts of natural persons in every party list", () => {
    expect(QUERY_FIELD_SOURCES.addr).toHaveLength(16);
    expect(QUERY_FIELD_SOURCES.addr).toContainEqual({ path: "inventors.address", naturalPerson: true });
    expect(QUERY_FIELD_SOURCES.addr).toContainEqual({ path: "agents.postcode", naturalPerson: true });
  });
});

describe("searchableQueryFields (no oracle)", () => {
  it("PUBLIC: no claims, no full text, no personal addresses", () => {
    expect(searchableQueryFields(P, schema)).toEqual(["ti", "ab", "pa", "in", "ag", "ipc", "cpc", "nice", "cc", "kind", "pd", "ad", "id", "ds", "fam"]);
  });

  it("REGISTERED: adds claims and full text", () => {
    expect(searchableQueryFields(G, schema)).toEqual(["ti", "ab", "cl", "tx", "pa", "in", "ag", "ipc", "cpc", "nice", "cc", "kind", "pd", "ad", "id", "ds", "fam"]);
  });

  it("RESTRICTED and CONFIDENTIAL: add the addresses of natural persons", () => {
    const all = ["ti", "ab", "cl", "tx", "pa", "in", "ag", "ipc", "cpc", "nice", "cc", "kind", "pd", "ad", "id", "ds", "fam", "addr"];
    expect(searchableQueryFields(R, schema)).toEqual(all);
    expect(searchableQueryFields(C, schema)).toEqual(all);
  });

  it("no clearance: nothing", () => {
    expect(searchableQueryFields(U, schema)).toEqual([]);
    expect(searchableQueryFields(Tier.UNRECOGNIZED, schema)).toEqual([]);
  });

  it("follows dataset overrides: applicants REGISTERED removes pa below REGISTERED", () => {
    const policy = FieldTierPolicy.withOverrides(OVERRIDES);
    // trademark.classes REGISTERED feeds nice too (the Nice classes of the trademark part).
    expect(searchableQueryFields(P, policy)).toEqual(["ti", "ab", "in", "ag", "ipc", "cpc", "cc", "kind", "pd", "ad", "id", "ds", "fam"]);
    // claims.text RESTRICTED and law.text RESTRICTED keep cl and tx out at REGISTERED too.
    expect(searchableQueryFields(G, policy)).toEqual(["ti", "ab", "pa", "in", "ag", "ipc", "cpc", "nice", "cc", "kind", "pd", "ad", "id", "ds", "fam"]);
    // inventors.address CONFIDENTIAL keeps addr out at RESTRICTED.
    expect(searchableQueryFields(R, policy)).toEqual(["ti", "ab", "cl", "tx", "pa", "in", "ag", "ipc", "cpc", "nice", "cc", "kind", "pd", "ad", "id", "ds", "fam"]);
    expect(searchableQueryFields(C, policy)).toContain("addr");
  });

  it("an override of a feeding field removes every query field it feeds", () => {
    const marks = FieldTierPolicy.withOverrides([{ field: "trademark.mark_text", tier: G }]);
    expect(searchableQueryFields(P, marks)).not.toContain("ti");
    expect(searchableQueryFields(G, marks)).toContain("ti");
    const goods = FieldTierPolicy.withOverrides([{ field: "trademark.classes", tier: G }]);
    expect(searchableQueryFields(P, goods)).not.toContain("nice");
    const owners = FieldTierPolicy.withOverrides([{ field: "owners.name", tier: R }]);
    expect(searchableQueryFields(G, owners)).not.toContain("pa");
    const dates = FieldTierPolicy.withOverrides([{ field: "application_date", tier: G }]);
    expect(searchableQueryFields(P, dates)).not.toContain("ad");
    expect(searchableQueryFields(P, dates)).toContain("pd");
  });

  it("returns a fresh array each time", () => {
    const a = searchableQueryFields(P, schema);
    a.push("addr");
    expect(searchableQueryFields(P, schema)).not.toContain("addr");
  });
});

describe("visibleFacets", () => {
  it("schema: every facet at every tier (none counts a withheld field)", () => {
    for (const t of [P, G, R, C]) expect(visibleFacets(t, schema, ALL_FACETS)).toEqual(ALL_FACETS);
  });

  it("keeps the requested order and drops unknown facets", () => {
    expect(visibleFacets(P, schema, ["year", "kind", "colour", "toString", "dataset"])).toEqual(["year", "kind", "dataset"]);
  });

  it("follows dataset overrides, tier by tier", () => {
    const policy = FieldTierPolicy.withOverrides([
      { field: "applicants.name", tier: G },
      { field: "ipc", tier: R },
      { field: "publication_date", tier: C },
      { field: "trademark.classes.number", tier: G },
    ]);
    expect(visibleFacets(P, policy, ALL_FACETS)).toEqual(["kind", "country", "dataset", "member"]);
    expect(visibleFacets(G, policy, ALL_FACETS)).toEqual(["kind", "country", "nice", "applicant", "dataset", "member"]);
    expect(visibleFacets(R, policy, ALL_FACETS)).toEqual(["kind", "country", "ipc_section", "ipc_class", "nice", "applicant", "dataset", "member"]);
    expect(visibleFacets(C, policy, ALL_FACETS)).toEqual(ALL_FACETS);
  });

  it("no clearance: no facets, not even dataset", () => {
    expect(visibleFacets(U, schema, ALL_FACETS)).toEqual([]);
  });
});
