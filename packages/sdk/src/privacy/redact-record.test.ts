import { Record, Tier } from "@ipfed/proto";
import { describe, expect, it } from "vitest";
import { FieldTierPolicy } from "./field-tiers.js";
import {
  OVERRIDES,
  TRADEMARK_WITHHELD,
  USPTO_OVERRIDE_WITHHELD,
  USPTO_WITHHELD,
  deepFreeze,
  giRecord,
  lawRecord,
  trademarkRecord,
  usptoRecord,
} from "./privacy-fixtures.test-helper.js";
import { redactRecord } from "./redact-record.js";
import { TIERS, tierName } from "./tier-order.js";

const { TIER_UNSPECIFIED: U, TIER_PUBLIC: P, TIER_REGISTERED: G, TIER_RESTRICTED: R, TIER_CONFIDENTIAL: C } = Tier;
const schema = FieldTierPolicy.schema();
const overridden = FieldTierPolicy.withOverrides(OVERRIDES);

type Json = { [key: string]: unknown };
const json = (r: Record): Json => Record.toJSON(r) as Json;
const parties = (j: Json, list: string): Json[] => (j[list] as Json[] | undefined) ?? [];

describe("redactRecord: a USPTO grant", () => {
  for (const tier of TIERS) {
    it(`withholds exactly what ${tierName(tier)} may not see`, () => {
      const { record, withheld } = redactRecord(usptoRecord(), tier, schema);
      expect(withheld).toEqual(USPTO_WITHHELD[tier]);
      expect(record.withheldFields).toEqual(USPTO_WITHHELD[tier]);
    });
  }

  it("PUBLIC: full text, notes, extra and the inventors' homes are absent from canonical JSON", () => {
    const j = json(redactRecord(usptoRecord(), P, schema).record);
    for (const key of ["claims", "descriptions", "examinationNotes", "extra"]) expect(j, key).not.toHaveProperty(key);
    for (const key of ["id", "titles", "abstracts", "applicants", "inventors", "owners", "agents", "ipc", "cpc", "citations", "legalEvents", "provenance", "familyId"]) {
      expect(j, key).toHaveProperty(key);
    }
    expect(parties(j, "inventors")).toEqual([
      { name: "Smith, John A.", country: "US", naturalPerson: true, sequence: 1 },
      { name: "Doe, Jane", country: "US", naturalPerson: true, sequence: 2 },
      { name: "Lee, Kim", country: "US", naturalPerson: true, sequence: 3 },
    ]);
    expect(j.withheldFields).toEqual(USPTO_WITHHELD[P]);
  });

  it("keeps the company's seat and the law firm's address at every tier", () => {
    for (const tier of TIERS) {
      const j = json(redactRecord(usptoRecord(), tier, schema).record);
      expect(parties(j, "applicants")[0]).toMatchObject({ city: "Austin", state: "TX", address: "1 Acme Way", postcode: "78701", phone: "+1 512 555 0100" });
      expect(parties(j, "owners")[0]).toMatchObject({ city: "Austin", address: "1 Acme Way" });
      expect(parties(j, "agents")[0]).toMatchObject({ city: "Boston", address: "1 Federal St" });
    }
  });

  it("REGISTERED: sees claims, descriptions and extra, not the inventors' homes nor the notes", () => {
    const { record } = redactRecord(usptoRecord(), G, schema);
    const j = json(record);
    expect(record.claims).toHaveLength(2);
    expect(record.descriptions).toHaveLength(1);
    expect(record.extra).toEqual({ assignee_type: "company", legal_status: "granted" });
    expect(j).not.toHaveProperty("examinationNotes");
    expect(parties(j, "inventors")[0]).not.toHaveProperty("address");
    expect(parties(j, "inventors")[1]).toEqual({ name: "Doe, Jane", country: "US", naturalPerson: true, sequence: 2 });
  });

  it("RESTRICTED: sees the inventors' homes, not the notes", () => {
    const { record } = redactRecord(usptoRecord(), R, schema);
    expect(record.inventors[0]).toMatchObject({ city: "Austin", state: "TX", address: "12 Elm Street", postcode: "78702", email: "john.smith@example.com" });
    expect(record.examinationNotes).toEqual([]);
  });

  it("CONFIDENTIAL: sees everything; the record equals the input but for the (empty) report", () => {
    const input = usptoRecord();
    const { record, withheld } = redactRecord(input, C, schema);
    expect(withheld).toEqual([]);
    expect(record).toEqual(input);
    expect(record).not.toBe(input);
  });

  it("sets withheld fields to their defaults, so the binary encoding round-trips to the same record", () => {
    for (const tier of TIERS) {
      const { record } = redactRecord(usptoRecord(), tier, schema);
      expect(Record.decode(Record.encode(record).finish())).toEqual(record);
      expect(Record.fromJSON(Record.toJSON(record))).toEqual(record);
    }
    const { record } = redactRecord(usptoRecord(), P, schema);
    expect(record.claims).toEqual([]);
    expect(record.extra).toEqual({});
    expect(record.inventors[0]?.address).toBe("");
  });
});

describe("redactRecord: a trademark of a natural person", () => {
  for (const tier of TIERS) {
    it(`withholds exactly what ${tierName(tier)} may not see`, () => {
      const { record, withheld } = redactRecord(trademarkRecord(), tier, schema);
      expect(withheld).toEqual(TRADEMARK_WITHHELD[tier]);
      expect(record.withheldFields).toEqual(TRADEMARK_WITHHELD[tier]);
    });
  }

  it("PUBLIC: keeps the mark, its classes and the agency's address; drops the holder's home", () => {
    const j = json(redactRecord(trademarkRecord(), P, schema).record);
    expect(j.trademark).toMatchObject({ markText: "云雀", classes: [{ number: 9, goodsServices: "计算机软件" }, { number: 35, goodsServices: "广告" }] });
    expect(j.nice).toEqual([9, 35]);
    expect(parties(j, "applicants")).toEqual([{ name: "张伟", country: "CN", naturalPerson: true, sequence: 1 }]);
    expect(parties(j, "agents")[0]).toMatchObject({ city: "杭州市", address: "上城区解放路2号" });
    expect(j).not.toHaveProperty("extra");
  });
});

describe("redactRecord: dataset overrides", () => {
  for (const tier of TIERS) {
    it(`withholds exactly what ${tierName(tier)} may not see of the USPTO grant`, () => {
      const { withheld } = redactRecord(usptoRecord(), tier, overridden);
      expect(withheld).toEqual(USPTO_OVERRIDE_WITHHELD[tier]);
    });
  }

  it("PUBLIC: applicants go whole; the company as owner stays with its address", () => {
    const j = json(redactRecord(usptoRecord(), P, overridden).record);
    expect(j).not.toHaveProperty("applicants");
    expect(parties(j, "owners")[0]).toMatchObject({ name: "Acme Energy Corp.", address: "1 Acme Way" });
  });

  it("REGISTERED: claims keep their numbers but lose their text", () => {
    const j = json(redactRecord(usptoRecord(), G, overridden).record);
    expect(j.claims).toEqual([{ number: 1, lang: "en" }, { number: 2, lang: "en", dependsOn: [1] }]);
    expect(parties(j, "applicants")[0]).toMatchObject({ address: "1 Acme Way" });
  });

  it("RESTRICTED: an inventor's street address stays hidden (CONFIDENTIAL), the city shows", () => {
    const { record } = redactRecord(usptoRecord(), R, overridden);
    expect(record.inventors[0]).toMatchObject({ city: "Austin", address: "", postcode: "78702" });
    expect(record.claims[0]?.text).toBe("A battery comprising a zygomorphic graphene anode.");
  });

  it("an override lowering a tier changes nothing: descriptions stay REGISTERED", () => {
    expect(redactRecord(usptoRecord(), P, overridden).record.descriptions).toEqual([]);
  });

  it("reaches into the oneof: trademark classes REGISTERED, a law's text RESTRICTED", () => {
    const tm = (t: Tier) => redactRecord(trademarkRecord(), t, overridden);
    expect(tm(P).withheld).toEqual(["applicants", "extra", "trademark.classes"]);
    expect(tm(G).withheld).toEqual(["applicants.address", "applicants.city", "applicants.phone", "applicants.postcode", "applicants.state"]);
    const pub = tm(P).record;
    expect(pub.detail?.$case).toBe("trademark");
    expect(pub.detail?.$case === "trademark" && pub.detail.value).toMatchObject({ markText: "云雀", classes: [] });

    const law = (t: Tier) => redactRecord(lawRecord(), t, overridden);
    expect(law(P).withheld).toEqual(["extra", "law.text"]);
    expect(law(G).withheld).toEqual(["law.text"]);
    expect(law(R).withheld).toEqual([]);
    expect(json(law(G).record).law).toEqual({ issuer: "全国人民代表大会常务委员会", documentNumber: "主席令第五十五号", effectiveDate: "2021-06-01", status: "in_force" });
  });

  it("can withhold a whole oneof case and a single field of a list inside one", () => {
    const policy = FieldTierPolicy.withOverrides([
      { field: "geographical_indication", tier: R },
      { field: "ic_layout.structure", tier: G },
    ]);
    const gi = redactRecord(giRecord(), G, policy);
    expect(gi.withheld).toEqual(["geographical_indication"]);
    expect(gi.record.detail).toBeUndefined();
    expect(json(gi.record)).not.toHaveProperty("geographicalIndication");
    expect(redactRecord(giRecord(), R, policy).record.detail).toEqual(giRecord().detail);
    // The trademark case is untouched by a rule on another case.
    expect(redactRecord(trademarkRecord(), P, policy).record.detail).toEqual(trademarkRecord().detail);
    const protectedArea = FieldTierPolicy.withOverrides([{ field: "geographical_indication.protected_area", tier: R }]);
    const area = redactRecord(giRecord(), P, protectedArea);
    expect(area.withheld).toEqual(["geographical_indication.protected_area"]);
    expect(json(area.record).geographicalIndication).not.toHaveProperty("protectedArea");
    expect(json(area.record).geographicalIndication).toHaveProperty("product");
  });

  it("withholds scalars and messages: family id, provenance, kind, the natural-person flag itself", () => {
    const policy = FieldTierPolicy.withOverrides([
      { field: "family_id", tier: G },
      { field: "provenance", tier: G },
      { field: "kind", tier: G },
      { field: "inventors.natural_person", tier: G },
    ]);
    const { record, withheld } = redactRecord(usptoRecord(), P, policy);
    expect(withheld).toEqual([
      "claims",
      "descriptions",
      "examination_notes",
      "extra",
      "family_id",
      "inventors.address",
      "inventors.city",
      "inventors.email",
      "inventors.natural_person",
      "inventors.postcode",
      "inventors.state",
      "kind",
      "provenance",
    ]);
    expect(record.familyId).toBe("");
    expect(record.kind).toBe(0);
    expect(record.provenance).toBeUndefined();
    // The flag is gone, and so is the address it protected.
    expect(record.inventors[0]).toMatchObject({ naturalPerson: false, address: "", city: "" });
    const j = json(record);
    for (const key of ["familyId", "kind", "provenance"]) expect(j).not.toHaveProperty(key);
  });
});

describe("redactRecord: guarantees", () => {
  it("never changes its input (frozen deeply; JSON identical after)", () => {
    for (const make of [usptoRecord, trademarkRecord, giRecord, lawRecord]) {
      const input = deepFreeze(make());
      const before = JSON.stringify(Record.toJSON(input));
      for (const policy of [schema, overridden]) {
        for (const tier of [U, ...TIERS]) redactRecord(input, tier, policy);
      }
      expect(JSON.stringify(Record.toJSON(input))).toBe(before);
    }
  });

  it("returns fresh top-level objects and arrays, and shares the parts nothing was withheld from", () => {
    const input = usptoRecord();
    const { record, withheld } = redactRecord(input, P, schema);
    expect(record).not.toBe(input);
    expect(withheld).not.toBe(record.withheldFields);
    expect(record.withheldFields).not.toBe(input.withheldFields);
    expect(record.inventors).not.toBe(input.inventors);
    expect(record.titles).toBe(input.titles);
    expect(record.applicants).toBe(input.applicants);
    // Lee, Kim: a natural person with nothing to withhold is shared, not copied.
    expect(record.inventors[2]).toBe(input.inventors[2]);
  });

  it("merges what an upstream member already withheld, deduplicated and sorted", () => {
    const input = { ...usptoRecord(), withheldFields: ["inventors.city", "agents.phone", "claims"] };
    expect(redactRecord(input, P, schema).withheld).toEqual([
      "agents.phone",
      "claims",
      "descriptions",
      "examination_notes",
      "extra",
      "inventors.address",
      "inventors.city",
      "inventors.email",
      "inventors.postcode",
      "inventors.state",
    ]);
    expect(redactRecord(input, C, schema).withheld).toEqual(["agents.phone", "claims", "inventors.city"]);
  });

  it("a caller without clearance gets an empty record that lists every field it had", () => {
    for (const tier of [U, Tier.UNRECOGNIZED]) {
      const { record, withheld } = redactRecord(trademarkRecord(), tier, schema);
      expect(withheld).toEqual([
        "agents",
        "applicants",
        "application_date",
        "application_number",
        "country",
        "dataset_id",
        "doc_number",
        "id",
        "kind",
        "kind_code",
        "legal_events",
        "nice",
        "provenance",
        "publication_date",
        "publication_number",
        "titles",
        "trademark",
        "vienna",
        "extra",
      ].sort());
      expect(Record.toJSON(record)).toEqual({ withheldFields: withheld });
    }
  });

  it("uses the schema's policy by default", () => {
    expect(redactRecord(usptoRecord(), P).withheld).toEqual(USPTO_WITHHELD[P]);
  });
});
