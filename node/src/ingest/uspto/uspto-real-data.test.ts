import { createReadStream, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CitationSource, RecordKind } from "@ipfed/proto";
import type { Record } from "@ipfed/proto";
import { beforeAll, describe, expect, it } from "vitest";
import { parseUsptoXml } from "./uspto-xml.js";
import type { UsptoItem, UsptoRecordItem } from "./uspto-xml.js";

// The USPTO sample files live beside the repository, never in it.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
const dataDir = path.resolve(repoRoot, "../shared/data/uspto-grants");

const EXPECTED_COUNTS: { [file: string]: number } = {
  "ipg050104.xml": 25,
  "ipg060103.xml": 25,
  "ipg070102.xml": 25,
  "ipg080101.xml": 25,
  "ipg100105.xml": 25,
  "ipg110104.xml": 25,
  "ipg120103.xml": 25,
  "ipg120327.xml": 196,
};

async function parseFile(file: string, highWaterMark?: number): Promise<UsptoItem[]> {
  const items: UsptoItem[] = [];
  const input = createReadStream(path.join(dataDir, file), highWaterMark === undefined ? {} : { highWaterMark });
  for await (const item of parseUsptoXml(input, { file, datasetId: "uspto-grants", memberId: "hub" })) {
    items.push(item);
  }
  return items;
}

const byFile = new Map<string, UsptoItem[]>();
const byId = new Map<string, UsptoRecordItem>();

function item(id: string): UsptoRecordItem {
  const found = byId.get(id);
  if (found === undefined) throw new Error(`no record ${id}`);
  return found;
}

function record(id: string): Record {
  return item(id).record;
}

beforeAll(async () => {
  for (const file of readdirSync(dataDir).filter((f) => f.endsWith(".xml")).sort()) {
    const items = await parseFile(file);
    byFile.set(file, items);
    for (const i of items) if (i.ok) byId.set(i.record.id, i);
  }
});

describe("parseUsptoXml on the USPTO sample files", () => {
  it("imports every grant of every file, with no errors and nothing skipped", () => {
    expect([...byFile.keys()]).toEqual(Object.keys(EXPECTED_COUNTS));
    const counts = Object.fromEntries([...byFile].map(([file, items]) => [file, items.filter((i) => i.ok).length]));
    expect(counts).toEqual(EXPECTED_COUNTS);
    const all = [...byFile.values()].flat();
    expect(all).toHaveLength(371);
    expect(all.filter((i) => !i.ok)).toEqual([]);
    expect(all.filter((i) => i.ok && i.skipped.length > 0)).toEqual([]);
    expect(byId.size).toBe(371);
  });

  it("counts the sequence listings of ipg060103.xml in the document index", () => {
    const documents = byFile.get("ipg060103.xml")!.map((i) => i.document);
    expect(documents).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27]);
  });

  it("tells designs from other patents", () => {
    const all = [...byId.values()].map((i) => i.record);
    const designs = all.filter((r) => r.kind === RecordKind.RECORD_KIND_DESIGN);
    expect(designs).toHaveLength(215);
    expect(designs.every((r) => /^US-D[1-9]\d*-S1$/.test(r.id))).toBe(true);
    expect(all.filter((r) => r.kind === RecordKind.RECORD_KIND_PATENT)).toHaveLength(156);
  });

  it("maps a v4.2 utility patent (US 8,088,512)", () => {
    const i = item("US-8088512-B2");
    expect([i.document, i.line]).toEqual([10, 6336]);
    const r = i.record;
    expect(r.publicationNumber).toBe("08088512");
    expect(r.docNumber).toBe("8088512");
    expect(r.kindCode).toBe("B2");
    expect(r.kind).toBe(RecordKind.RECORD_KIND_PATENT);
    expect(r.publicationDate).toBe("2012-01-03");
    expect(r.applicationNumber).toBe("12140058");
    expect(r.applicationDate).toBe("2008-06-16");
    expect(r.titles).toEqual([{ lang: "en", text: "Self organizing battery structure method" }]);
    expect(r.abstracts[0]?.text.startsWith("An electrochemical device includes a first electrode")).toBe(true);
    expect(r.descriptions[0]?.text.startsWith("RELATED APPLICATIONS\n")).toBe(true);
    expect(r.inventors.map((p) => p.name)).toEqual(["Gozdz, Antoni S.", "Holman, Richard K.", "Loxley, Andrew L.", "Wilkins, Ronnie"]);
    expect(r.inventors[0]).toMatchObject({ city: "Marlborough", state: "MA", country: "US", naturalPerson: true, sequence: 1 });
    expect(r.applicants).toHaveLength(4);
    expect(r.owners).toHaveLength(1);
    expect(r.owners[0]).toMatchObject({ name: "A123 Systems, Inc.", naturalPerson: false, city: "Waltham", state: "MA", country: "US" });
    expect(r.agents.map((p) => [p.name, p.naturalPerson, p.country])).toEqual([["Wilmer Cutler Pickering Hale and Dorr LLP", false, ""]]);
    expect(r.ipc).toEqual(["H01M 10/02", "H01M 4/04"]);
    expect(r.nationalClasses.map((c) => `${c.country} ${c.symbol}`)).toEqual(["US 429/189", "US 429/122", "US 429/249"]);
    expect(r.citations).toHaveLength(301);
    expect(r.citations.filter((c) => c.text !== "")).toHaveLength(77);
    expect(r.citations.filter((c) => c.source === CitationSource.CITATION_SOURCE_EXAMINER)).toHaveLength(2);
    expect(r.citations[0]).toMatchObject({ id: "US-3765943-A", country: "US", number: "3765943", kindCode: "A", date: "1973-10" });
    expect(r.citations.find((c) => c.text.includes("Unknown book chapter"))?.text).toBe("“Defects” Unknown book chapter, p. 339-424.");
    expect(r.claims).toHaveLength(15);
    expect(r.claims[1]).toMatchObject({ number: 2, lang: "en", dependsOn: [1] });
    expect(r.claims[1]?.text.startsWith("2. The method of claim 1, wherein the polymer precursor")).toBe(true);
    expect(r.extra["term_extension_days"]).toBe("755");
    expect(r.provenance?.source).toBe("uspto-xml:ipg120103.xml#10");
    expect(r.provenance?.memberId).toBe("hub");
    expect(r.datasetId).toBe("uspto-grants");
  });

  it("maps a v4.2 design patent (US D651,584)", () => {
    const i = item("US-D651584-S1");
    expect([i.document, i.line]).toEqual([3, 663]);
    const r = i.record;
    expect(r.kind).toBe(RecordKind.RECORD_KIND_DESIGN);
    expect(r.publicationNumber).toBe("D0651584");
    expect(r.docNumber).toBe("D651584");
    expect(r.titles[0]?.text).toBe("Parent unit for babyphone");
    expect(r.locarno).toEqual(["14-03"]);
    expect(r.ipc).toEqual([]);
    expect(r.nationalClasses).toEqual([{ country: "US", symbol: "D14/159" }]);
    expect(r.priorities).toEqual([{ country: "EM", number: "001753351-0001", date: "2010-09-10", kind: "regional" }]);
    expect(r.owners.map((p) => [p.name, p.naturalPerson, p.city, p.country])).toEqual([
      ["Koninklijke Philips Electronics N.V.", false, "Eindhoven", "NL"],
    ]);
    expect(r.inventors[0]).toMatchObject({ name: "Massee, Bart Johannes", city: "Haarlem", naturalPerson: true });
    expect(r.claims).toHaveLength(1);
    expect(r.abstracts).toEqual([]);
  });

  it("maps a v4.0 utility patent with the older printed classifications (US 6,836,899)", () => {
    const i = item("US-6836899-B1");
    expect([i.document, i.line]).toEqual([1, 1]);
    const r = i.record;
    expect(r.extra["dtd_version"]).toBe("v40 2004-12-02");
    expect(r.ipc).toEqual(["A45F 5/04"]);
    expect(r.nationalClasses.map((c) => c.symbol)).toEqual(["2/52", "2/336", "2/323", "24/9", "24/303", "24/3.4"]);
    expect(r.applicants).toEqual(r.inventors);
    expect(r.inventors[0]).toMatchObject({
      name: "Glasmire, Samuel G.",
      naturalPerson: true,
      address: "146 Bentwood Cir.",
      city: "Bath",
      state: "PA",
      postcode: "18014-8224",
      country: "US",
    });
    expect(r.citations).toHaveLength(39);
    expect(r.citations.every((c) => c.source === CitationSource.CITATION_SOURCE_EXAMINER)).toBe(true);
    expect(r.citations[0]).toMatchObject({ id: "US-675108-A", date: "1901-05" });
  });

  it("maps a v4.1 statutory invention registration and a plant patent", () => {
    const sir = record("US-H2140-H1");
    expect(sir.kind).toBe(RecordKind.RECORD_KIND_PATENT);
    expect(sir.ipc).toEqual(["C22B 3/18"]);
    expect(sir.priorities).toEqual([{ country: "AU", number: "PP 7180", date: "1998-11-18", kind: "national" }]);
    expect(sir.nationalClasses.map((c) => c.symbol)).toEqual(["210/610", "210/220", "210/620", "261/112.1", "261/124", "261/DIG70"]);
    expect(sir.extra).toMatchObject({ appl_type: "sir", pct_filing_number: "PCT/AU99/00917", pct_filing_date: "1999-10-22" });

    const plant = record("US-PP18398-P2");
    expect(plant.kind).toBe(RecordKind.RECORD_KIND_PATENT);
    expect(plant.docNumber).toBe("PP18398");
    expect(plant.nationalClasses).toEqual([{ country: "US", symbol: "PLT/263" }]);
    expect(plant.ipc).toEqual(["A01H 5/00"]);
    expect(plant.extra).toMatchObject({ appl_type: "plant", botanic_latin_name: "Sedum telephium", botanic_variety: "Beka" });
  });

  it("reads a file in tiny chunks to the same records", async () => {
    const small = await parseFile("ipg080101.xml", 7);
    expect(small).toEqual(byFile.get("ipg080101.xml"));
  });
});
