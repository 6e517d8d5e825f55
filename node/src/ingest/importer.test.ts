import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Level } from "level";
import { Record, RecordKind } from "@ipfed/proto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LevelRecordStore } from "../store/level-record-store.js";
import { importFiles } from "./importer.js";
import type { Reject } from "./importer.js";
import { loadCsvMapping } from "./csv-mapping.js";

let dir: string;
let db: Level<string, Uint8Array>;
let store: LevelRecordStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "ipfed-import-"));
  db = new Level<string, Uint8Array>(join(dir, "store"), { valueEncoding: "view" });
  store = new LevelRecordStore(db, { memberId: "test-member" });
  await store.open();
});

afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const line = (id: string, extra: object = {}): string =>
  JSON.stringify({ id, kind: "RECORD_KIND_PATENT", country: id.slice(0, 2), publicationDate: "2021-03-04", titles: [{ lang: "zh", text: `标题 ${id}` }], ...extra });

async function rejectsOf(file: string | undefined): Promise<Reject[]> {
  if (!file) return [];
  return (await readFile(file, "utf8")).trim().split("\n").map((l) => JSON.parse(l) as Reject);
}

describe("importFiles: jsonl", () => {
  it("keeps valid lines beside broken ones, and names each broken line and field", async () => {
    const file = join(dir, "in.jsonl");
    await writeFile(
      file,
      [
        line("CN-100000001-A"),
        "{not json",
        line("CN-100000002-A", { publicationDate: "2021-13-01" }),
        "",
        line("CN-100000003-A", { titel: "typo" }),
        line("bad id"),
        '["an array"]',
        line("CN-100000004-A", { titles: [{ lang: "中文", text: "x" }] }),
        line("CN-100000005-A"),
      ].join("\n"),
    );
    const s = await importFiles({ store, datasetId: "ds", memberId: "m", files: [file], reportDir: join(dir, "reports") });
    expect(s).toMatchObject({ read: 8, imported: 2, updated: 0, unchanged: 0, rejected: 6 });
    const rejects = await rejectsOf(s.rejectsFile);
    expect(rejects.map((r) => [r.line, r.code, r.field ?? null])).toEqual([
      [2, "IMPORT_PARSE_ERROR", null],
      [3, "RECORD_INVALID", "publication_date"],
      [5, "RECORD_INVALID", "titel"],
      [6, "RECORD_INVALID", "id"],
      [7, "IMPORT_PARSE_ERROR", null],
      [8, "RECORD_INVALID", "titles[0].lang"],
    ]);
    expect(rejects[0]!.reason).toMatch(/^not valid JSON/);
    expect(rejects[1]!.reason).toBe('publication_date "2021-13-01" is not a date YYYY-MM-DD');
    expect(rejects.every((r) => r.file === "in.jsonl")).toBe(true);
    expect((await store.get("ds", "CN-100000005-A"))?.record.titles).toEqual([{ lang: "zh", text: "标题 CN-100000005-A" }]);
    const summary = JSON.parse(await readFile(s.summaryFile!, "utf8"));
    expect(summary.rejected).toBe(6);
  });

  it("is idempotent: the same import twice changes nothing", async () => {
    const file = join(dir, "in.jsonl");
    await writeFile(file, [line("CN-1-A"), line("CN-2-A"), line("CN-3-A")].join("\n") + "\n");
    const first = await importFiles({ store, datasetId: "ds", memberId: "m", files: [file] });
    const second = await importFiles({ store, datasetId: "ds", memberId: "m", files: [file] });
    expect([first.imported, first.unchanged]).toEqual([3, 0]);
    expect([second.imported, second.updated, second.unchanged]).toEqual([0, 0, 3]);
    expect((await store.datasetStats("ds"))?.recordCount).toBe(3);
    expect(await store.lastChange("ds")).toBe(3);
  });

  it("reads gzip, and reports a truncated gzip while keeping what came before", async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => line(`CN-${200000 + i}-A`, { abstracts: [{ lang: "en", text: "x".repeat(200 + (i % 17)) }] }));
    const full = gzipSync(lines.join("\n") + "\n");
    await writeFile(join(dir, "ok.jsonl.gz"), full);
    const ok = await importFiles({ store, datasetId: "ds", memberId: "m", files: [join(dir, "ok.jsonl.gz")] });
    expect(ok.imported).toBe(2000);
    await writeFile(join(dir, "cut.jsonl.gz"), full.subarray(0, Math.floor(full.length / 2)));
    const cut = await importFiles({ store, datasetId: "ds2", memberId: "m", files: [join(dir, "cut.jsonl.gz")], reportDir: join(dir, "r") });
    expect(cut.rejected).toBe(1);
    expect(cut.imported).toBeGreaterThan(100);
    expect(cut.imported).toBeLessThan(2000);
    const [r] = await rejectsOf(cut.rejectsFile);
    expect(r).toMatchObject({ file: "cut.jsonl.gz", code: "IMPORT_IO_ERROR" });
    expect(r!.reason).toContain("the gzip stream is truncated");
    expect((await store.datasetStats("ds2"))?.recordCount).toBe(cut.imported);
  });

  it("records full records: every field of the canonical JSON mapping survives", async () => {
    const rec = Record.fromPartial({
      id: "CN-112345678-A",
      kind: RecordKind.RECORD_KIND_PATENT,
      country: "CN",
      titles: [{ lang: "zh", text: "一种电池" }, { lang: "en", text: "A battery" }],
      inventors: [{ name: "张伟", naturalPerson: true, city: "成都", address: "人民南路1号", country: "CN" }],
      ipc: ["H01M 10/052"],
      extra: { region: "510000" },
      detail: { $case: "trademark", value: { markText: "X", feature: 1, classes: [{ number: 9, goodsServices: "batteries" }], registrationNumber: "", registrationDate: "", expiryDate: "" } },
    });
    const file = join(dir, "one.jsonl");
    await writeFile(file, JSON.stringify(Record.toJSON(rec)) + "\n");
    const s = await importFiles({ store, datasetId: "ds", memberId: "m", files: [file] });
    expect(s.imported).toBe(1);
    const got = (await store.get("ds", "CN-112345678-A"))!.record;
    expect({ ...got, provenance: undefined, datasetId: "" }).toEqual({ ...rec, provenance: undefined, datasetId: "" });
  });
});

describe("importFiles: csv", () => {
  it("maps columns, quoted fields and lists; rejects short rows and bad values by line", async () => {
    const mappingFile = join(dir, "map.json");
    await writeFile(
      mappingFile,
      JSON.stringify({ kind: "patent", columns: { id: "pub", "titles.zh": "题名", "titles.en": "title", applicants: { column: "who", split: ";" }, ipc: { column: "ipc", split: ";" }, publicationDate: "date" } }),
    );
    const csv = join(dir, "in.csv");
    await writeFile(
      csv,
      [
        "pub,题名,title,who,ipc,date",
        'CN-300000001-A,石墨烯电池,"Graphene, battery",甲公司; 乙大学,H01M 4/62;C01B 32/184,2020-01-02',
        "CN-300000002-A,短行",
        'CN-300000003-A,"多行',
        '标题",Multi,丙,H01M,2020-02-30',
        "CN-300000004-A,好,Good,丁,A01B,2020-03-03",
      ].join("\r\n"),
    );
    const s = await importFiles({ store, datasetId: "ds", memberId: "m", files: [csv], csvMapping: await loadCsvMapping(mappingFile), reportDir: join(dir, "r") });
    expect(s).toMatchObject({ read: 4, imported: 2, rejected: 2 });
    expect((await rejectsOf(s.rejectsFile)).map((r) => [r.line, r.code, r.field ?? null, r.reason])).toEqual([
      [3, "IMPORT_PARSE_ERROR", null, "row has 2 fields, the header has 6"],
      [4, "RECORD_INVALID", "publication_date", 'publication_date "2020-02-30" is not a date YYYY-MM-DD'],
    ]);
    const r = (await store.get("ds", "CN-300000001-A"))!.record;
    expect(r.titles).toEqual([{ lang: "zh", text: "石墨烯电池" }, { lang: "en", text: "Graphene, battery" }]);
    expect(r.applicants.map((p) => p.name)).toEqual(["甲公司", "乙大学"]);
    expect(r.ipc).toEqual(["H01M 4/62", "C01B 32/184"]);
    expect(r.kind).toBe(RecordKind.RECORD_KIND_PATENT);
  });

  it("a header without a mapped column rejects the file, naming the column", async () => {
    const mappingFile = join(dir, "map.json");
    await writeFile(mappingFile, JSON.stringify({ kind: "patent", columns: { id: "pub", "titles.en": "title" } }));
    const csv = join(dir, "wrong.csv");
    await writeFile(csv, "publication,title\nCN-1-A,x\n");
    const s = await importFiles({ store, datasetId: "ds", memberId: "m", files: [csv], csvMapping: await loadCsvMapping(mappingFile), reportDir: join(dir, "r") });
    expect(s).toMatchObject({ imported: 0, rejected: 1 });
    const [r] = await rejectsOf(s.rejectsFile);
    expect(r).toMatchObject({ file: "wrong.csv", code: "IMPORT_MAPPING_INVALID", field: "pub" });
    expect(r!.reason).toBe('wrong.csv:1: the mapping\'s column "pub" (for id) is not in the header (publication, title)');
  });

  it("the example mapping reads the example library catalogue", async () => {
    const root = new URL("../../../examples/csv/", import.meta.url);
    const s = await importFiles({
      store,
      datasetId: "library",
      memberId: "m",
      files: [new URL("library-catalogue.csv", root).pathname],
      csvMapping: await loadCsvMapping(new URL("mapping.json", root).pathname),
    });
    expect(s).toMatchObject({ read: 3, imported: 3, rejected: 0 });
    const tm = (await store.get("library", "CN-TM00012345-T"))!.record;
    expect(tm.kind).toBe(RecordKind.RECORD_KIND_TRADEMARK);
    expect(tm.nice).toEqual([30, 35]);
    const p = (await store.get("library", "CN-114000001-A"))!.record;
    expect(p.inventors).toEqual([
      expect.objectContaining({ name: "张伟", naturalPerson: true, sequence: 1 }),
      expect.objectContaining({ name: "李娜", naturalPerson: true, sequence: 2 }),
    ]);
  });
});

describe("importFiles: uspto-xml", () => {
  it("a broken document between good ones: the good ones land, the broken one is named", async () => {
    const doc = (n: string, body = "") =>
      `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE us-patent-grant SYSTEM "us-patent-grant-v42-2006-08-23.dtd" [ ]>\n<us-patent-grant lang="EN" dtd-version="v4.2 2006-08-23" file="US0${n}-20120103.XML" status="PRODUCTION" id="us-patent-grant" country="US" date-produced="20111219" date-publ="20120103">\n<us-bibliographic-data-grant>\n<publication-reference><document-id><country>US</country><doc-number>0${n}</doc-number><kind>B2</kind><date>20120103</date></document-id></publication-reference>\n<invention-title id="d2e43">Widget ${n}${body}</invention-title>\n</us-bibliographic-data-grant>\n</us-patent-grant>\n`;
    const file = join(dir, "grants.xml");
    await writeFile(file, doc("8000001") + doc("8000002", "<b>unclosed") + doc("8000003"));
    const s = await importFiles({ store, datasetId: "uspto", memberId: "m", files: [file], reportDir: join(dir, "r") });
    expect(s).toMatchObject({ read: 3, imported: 2, rejected: 1 });
    const [r] = await rejectsOf(s.rejectsFile);
    expect(r).toMatchObject({ file: "grants.xml", document: 2, line: 9, code: "IMPORT_PARSE_ERROR" });
    expect((await store.get("uspto", "US-8000003-B2"))?.record.titles).toEqual([{ lang: "en", text: "Widget 8000003" }]);
  });
});
