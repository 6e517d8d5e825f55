import { CitationSource, RecordKind } from "@ipfed/proto";
import { describe, expect, it } from "vitest";
import { parseUsptoXml } from "./uspto-xml.js";
import type { UsptoErrorItem, UsptoItem, UsptoRecordItem } from "./uspto-xml.js";

// Small grant documents written for these tests (not taken from USPTO data). Each is 13 lines
// plus what `biblio` and `body` add, so document N of a file of plain ones starts on line
// 1 + 13 * (N - 1).
interface GrantOptions {
  number?: string;
  kind?: string;
  dtd?: string;
  title?: string;
  biblio?: string;
  body?: string;
}

function grantXml(o: GrantOptions = {}): string {
  const number = o.number === undefined ? "<doc-number>09876543</doc-number>" : o.number === "" ? "" : `<doc-number>${o.number}</doc-number>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE us-patent-grant SYSTEM "us-patent-grant-v42-2006-08-23.dtd" [ ]>',
    `<us-patent-grant lang="EN" dtd-version="${o.dtd ?? "v4.2 2006-08-23"}" country="US">`,
    "<us-bibliographic-data-grant>",
    `<publication-reference><document-id><country>US</country>${number}<kind>${o.kind ?? "B2"}</kind><date>20240102</date></document-id></publication-reference>`,
    '<application-reference appl-type="utility"><document-id><country>US</country><doc-number>17000001</doc-number><date>20220315</date></document-id></application-reference>',
    `<invention-title id="t1">${o.title ?? "Widget"}</invention-title>`,
    ...(o.biblio === undefined ? [] : [o.biblio]),
    "</us-bibliographic-data-grant>",
    ...(o.body === undefined ? [] : [o.body]),
    '<claims id="claims">',
    '<claim id="CLM-00001" num="00001"><claim-text>1. A widget.</claim-text></claim>',
    '<claim id="CLM-00002" num="00002"><claim-text>2. The widget of <claim-ref idref="CLM-00001">claim 1</claim-ref>, made of steel.</claim-text></claim>',
    "</claims>",
    "</us-patent-grant>",
    "",
  ].join("\n");
}

async function* chunked(text: string, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text, "utf8");
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function parseAll(text: string, chunkSize = 64 * 1024): Promise<UsptoItem[]> {
  const items: UsptoItem[] = [];
  const options = { file: "/data/test.xml", datasetId: "us-grants", memberId: "member-1" };
  for await (const item of parseUsptoXml(chunked(text, chunkSize), options)) items.push(item);
  return items;
}

function records(items: UsptoItem[]): UsptoRecordItem[] {
  return items.filter((i): i is UsptoRecordItem => i.ok);
}

function errors(items: UsptoItem[]): UsptoErrorItem[] {
  return items.filter((i): i is UsptoErrorItem => !i.ok);
}

describe("parseUsptoXml on written documents", () => {
  it("maps a minimal grant", async () => {
    const items = await parseAll(grantXml());
    expect(items).toHaveLength(1);
    const [item] = records(items);
    expect(item?.document).toBe(1);
    expect(item?.line).toBe(1);
    expect(item?.skipped).toEqual([]);
    const r = item!.record;
    expect(r.id).toBe("US-9876543-B2");
    expect(r.publicationNumber).toBe("09876543");
    expect(r.docNumber).toBe("9876543");
    expect(r.kind).toBe(RecordKind.RECORD_KIND_PATENT);
    expect(r.datasetId).toBe("us-grants");
    expect(r.publicationDate).toBe("2024-01-02");
    expect(r.applicationNumber).toBe("17000001");
    expect(r.applicationDate).toBe("2022-03-15");
    expect(r.titles).toEqual([{ lang: "en", text: "Widget" }]);
    expect(r.claims.map((c) => [c.number, c.text, c.dependsOn])).toEqual([
      [1, "1. A widget.", []],
      [2, "2. The widget of claim 1, made of steel.", [1]],
    ]);
    expect(r.provenance).toEqual({ memberId: "member-1", source: "uspto-xml:test.xml#1", updatedTime: undefined, version: 0 });
    expect(r.legalEvents).toEqual([
      { date: "2024-01-02", category: "E", code: "grant", description: "Patent granted", country: "US" },
    ]);
    expect(r.familyId).toBe("");
  });

  it("reports a broken document between two good ones and keeps going", async () => {
    // Document 2 closes <b> with </i> on its line 7, which is line 14 + 6 = 20 of the file;
    // the parser stops at the `>` of `</i>`, column 41.
    const broken = grantXml({ number: "09876544", title: "Half <b>bold</i> title" });
    const text = grantXml({ number: "09876543" }) + broken + grantXml({ number: "09876545" });
    const items = await parseAll(text);
    expect(items.map((i) => [i.ok, i.document, i.line])).toEqual([
      [true, 1, 1],
      [false, 2, 14],
      [true, 3, 27],
    ]);
    const [error] = errors(items);
    expect(error?.code).toBe("IMPORT_PARSE_ERROR");
    expect(error?.field).toBeUndefined();
    expect(error?.reason).toBe("test.xml:20:41: unexpected close tag.");
    expect(records(items).map((i) => i.record.id)).toEqual(["US-9876543-B2", "US-9876545-B2"]);
    expect(records(items).map((i) => i.record.provenance?.source)).toEqual([
      "uspto-xml:test.xml#1",
      "uspto-xml:test.xml#3",
    ]);
  });

  it("keeps the earlier documents of a file whose last document is cut off", async () => {
    const whole = grantXml({ number: "09876543" }) + grantXml({ number: "09876544" }) + grantXml({ number: "09876545" });
    const cut = whole.slice(0, whole.lastIndexOf("<claims"));
    const items = await parseAll(cut);
    expect(items.map((i) => [i.ok, i.document, i.line])).toEqual([
      [true, 1, 1],
      [true, 2, 14],
      [false, 3, 27],
    ]);
    const [error] = errors(items);
    expect(error?.code).toBe("IMPORT_PARSE_ERROR");
    // The parser notices at the end of input: the empty line 9 of the third document.
    expect(error?.reason).toBe("test.xml:35:0: unclosed tag: us-patent-grant");
  });

  it("imports a document of a newer DTD and names what it skipped", async () => {
    const biblio = [
      "<us-new-thing><whatever>1</whatever></us-new-thing>",
      "<classifications-cpc><main-cpc><classification-cpc><section>H</section><class>01</class><subclass>M</subclass><main-group>10</main-group><subgroup>0525</subgroup></classification-cpc></main-cpc>",
      "<further-cpc><classification-cpc><section>Y</section><class>02</class><subclass>E</subclass><main-group>60</main-group><subgroup>10</subgroup></classification-cpc></further-cpc></classifications-cpc>",
      "<us-references-cited><us-citation><patcit num=\"00001\"><document-id><country>JP</country><doc-number>2001-012345</doc-number><kind>A</kind><date>20010119</date></document-id></patcit><category>cited by applicant</category></us-citation>",
      "<us-citation><nplcit num=\"00002\"><othercit>Smith, <i>Widgets</i>, 1999.</othercit></nplcit><category>cited by examiner</category></us-citation></us-references-cited>",
      "<us-parties><us-applicants><us-applicant sequence=\"001\" app-type=\"applicant\"><addressbook><orgname>Acme Widgets Corp.</orgname><address><city>Springfield</city><state>OR</state><country>US</country></address></addressbook><residence><country>US</country></residence></us-applicant></us-applicants>",
      "<inventors><inventor sequence=\"001\"><addressbook><last-name>Doe</last-name><first-name>Jane</first-name><address><city>Eugene</city><state>OR</state><country>US</country></address></addressbook></inventor></inventors></us-parties>",
    ].join("\n");
    const text = grantXml({
      dtd: "v4.9 2030-01-01",
      biblio,
      body: '<us-holographic-model id="h1"/>\n<abstract id="abstract"><p id="p-1">First part.</p><p id="p-2">Second part.</p></abstract>',
    });
    const items = await parseAll(text);
    expect(items).toHaveLength(1);
    const [item] = records(items);
    expect(item?.skipped).toEqual(["us-new-thing", "us-holographic-model"]);
    const r = item!.record;
    expect(r.id).toBe("US-9876543-B2");
    expect(r.cpc).toEqual(["H01M 10/0525", "Y02E 60/10"]);
    expect(r.abstracts).toEqual([{ lang: "en", text: "First part.\nSecond part." }]);
    expect(r.applicants.map((p) => [p.name, p.naturalPerson, p.city, p.country, p.sequence])).toEqual([
      ["Acme Widgets Corp.", false, "Springfield", "US", 1],
    ]);
    expect(r.inventors.map((p) => [p.name, p.naturalPerson, p.city])).toEqual([["Doe, Jane", true, "Eugene"]]);
    expect(r.citations).toEqual([
      {
        id: "JP-2001012345-A",
        country: "JP",
        number: "2001-012345",
        kindCode: "A",
        date: "2001-01-19",
        text: "",
        source: CitationSource.CITATION_SOURCE_APPLICANT,
        category: "",
      },
      {
        id: "",
        country: "",
        number: "",
        kindCode: "",
        date: "",
        text: "Smith, Widgets, 1999.",
        source: CitationSource.CITATION_SOURCE_EXAMINER,
        category: "",
      },
    ]);
    expect(r.extra["dtd_version"]).toBe("v4.9 2030-01-01");
  });

  it("decodes numeric and named entities and flattens inline markup", async () => {
    const title = "Caf&eacute; &amp; &#x201c;bar&#x201d; H<sub>2</sub>O &mdash; 10&deg;C, 5&#160;&#956;m &lt;x&gt; &unknownthing;";
    const items = await parseAll(grantXml({ title }));
    const [item] = records(items);
    expect(item?.record.titles[0]?.text).toBe("Café & “bar” H2O — 10°C, 5 μm <x> &unknownthing;");
  });

  it("collapses whitespace and keeps paragraphs, headings and tables on lines of their own", async () => {
    const body = [
      '<description id="description">',
      '<heading id="h-1" level="1">BACKGROUND</heading>',
      '<p id="p-1">The   widget\n   of <figref idref="F1">FIG. 1</figref> is x<sup>2</sup>&#x2003;wide.</p>',
      '<p id="p-2"><tables id="T1"><table><tgroup cols="2"><tbody><row><entry>a</entry><entry>b</entry></row><row><entry>c</entry><entry>d</entry></row></tbody></tgroup></table></tables></p>',
      '<?DETDESC description="Detailed Description" end="lead"?>',
      '<p id="p-3">y = <maths id="M1"><math><mrow><mfrac><mi>a</mi><mrow><mi>b</mi><mo>+</mo><mn>1</mn></mrow></mfrac></mrow></math></maths></p>',
      "</description>",
    ].join("\n");
    const [item] = records(await parseAll(grantXml({ body })));
    expect(item?.record.descriptions).toEqual([
      { lang: "en", text: "BACKGROUND\nThe widget of FIG. 1 is x2 wide.\na b\nc d\ny = a/(b+1)" },
    ]);
  });

  it("rejects a grant without its publication number as RECORD_INVALID", async () => {
    const text = grantXml({ number: "" }) + grantXml({ number: "D0612345", kind: "S1" });
    const items = await parseAll(text);
    expect(items[0]).toEqual({
      ok: false,
      document: 1,
      line: 1,
      field: "publication-reference/document-id/doc-number",
      code: "RECORD_INVALID",
      reason: "the publication doc-number is missing.",
    });
    const [design] = records(items);
    expect(design?.record.id).toBe("US-D612345-S1");
    expect(design?.record.kind).toBe(RecordKind.RECORD_KIND_DESIGN);
  });

  it("keeps going after a document nested too deeply to map", async () => {
    const deep = `${"<b>".repeat(200_000)}deep${"</b>".repeat(200_000)}`;
    const items = await parseAll(grantXml({ number: "09876543", title: deep }) + grantXml({ number: "09876544" }));
    expect(items.map((i) => [i.ok, i.document, i.line, i.ok ? i.record.id : i.code])).toEqual([
      [false, 1, 1, "RECORD_INVALID"],
      [true, 2, 14, "US-9876544-B2"],
    ]);
    expect(errors(items)[0]?.reason).toBe("the document could not be mapped: Maximum call stack size exceeded");
  });

  it("passes over sequence-listing documents but counts them", async () => {
    const listing = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<!DOCTYPE sequence-cwu SYSTEM "us-sequence-listing-2004-03-09.dtd" [ ]>',
      "<sequence-cwu><number-of-sequences>1</number-of-sequences></sequence-cwu>",
      "",
    ].join("\n");
    const items = await parseAll(grantXml({ number: "09876543" }) + listing + grantXml({ number: "09876544" }));
    expect(items.map((i) => [i.ok, i.document, i.line])).toEqual([
      [true, 1, 1],
      [true, 3, 17],
    ]);
  });

  it("gives the same result whatever the chunk size, with multi-byte characters split", async () => {
    const text =
      "\n\n" +
      grantXml({ number: "09876543", title: "Ångström – “µ” 日本" }) +
      grantXml({ number: "09876544", title: "<?xml-stylesheet is no boundary?>Plain" }) +
      grantXml({ number: "09876545" });
    const expected = await parseAll(text);
    expect(expected.map((i) => [i.ok, i.document, i.line])).toEqual([
      [true, 1, 3],
      [true, 2, 16],
      [true, 3, 29],
    ]);
    expect(records(expected).map((i) => i.record.titles[0]?.text)).toEqual(["Ångström – “µ” 日本", "Plain", "Widget"]);
    for (const size of [1, 2, 3, 5, 7, 64]) {
      expect(await parseAll(text, size)).toEqual(expected);
    }
  });
});
