import { Record, RecordKind, Tier } from "@ipfed/proto";
import { beforeAll, describe, expect, it } from "vitest";
import { CORPUS_CAPACITY, corpusIdAt, corpusRecordAt, generateCorpus } from "./index.js";

const json = (r: Record): string => JSON.stringify(Record.toJSON(r));
const isPatent = (r: Record): boolean =>
  r.kind === RecordKind.RECORD_KIND_PATENT || r.kind === RecordKind.RECORD_KIND_UTILITY_MODEL;
const zhTitle = (r: Record): string => r.titles.find((t) => t.lang === "zh")?.text ?? "";

describe("determinism", () => {
  it("gives byte-identical records on two runs", () => {
    const a = [...generateCorpus({ size: 2000, seed: 7 })].map(json);
    const b = [...generateCorpus({ size: 2000, seed: 7 })].map(json);
    expect(a).toEqual(b);
  });

  it("makes record i depend on (seed, i) only, not on size or startIndex", () => {
    const whole = [...generateCorpus({ size: 400, seed: 11 })].map(json);
    const window = [...generateCorpus({ size: 50, seed: 11, startIndex: 300 })].map(json);
    expect(window).toEqual(whole.slice(300, 350));
    const tail = [...generateCorpus({ size: 1, seed: 11, startIndex: 399 })].map(json);
    expect(tail).toEqual(whole.slice(399));
    for (const i of [0, 1, 17, 255, 399]) {
      expect(json(corpusRecordAt(i, { seed: 11 }))).toBe(whole[i]);
      expect(corpusIdAt(i, { seed: 11 })).toBe(JSON.parse(whole[i] as string).id);
    }
  });

  it("pins the first records of seed 1 (changing them changes every corpus)", () => {
    const [first, second] = [...generateCorpus({ size: 2, seed: 1 })];
    expect(first?.id).toBe("CN-TM08497603-T");
    expect(zhTitle(first as Record)).toBe("宇邦");
    expect(second?.id).toBe("CN-130151663-A");
    expect(zhTitle(second as Record)).toBe("一种超声探头及其控制方法");
    expect(second?.titles.find((t) => t.lang === "en")?.text).toBe("Ultrasonic probe and control method thereof");
  });

  it("gives different corpora for different seeds, and honours dataset and member ids", () => {
    const a = corpusRecordAt(5, { seed: 1 });
    const b = corpusRecordAt(5, { seed: 2 });
    expect(a.id).not.toBe(b.id);
    const c = corpusRecordAt(5, { seed: 1, datasetId: "ds-x", memberId: "member-y" });
    expect(c.datasetId).toBe("ds-x");
    expect(c.provenance?.memberId).toBe("member-y");
    expect(c.provenance?.source).toBe("corpus:seed=1#5");
    expect(c.id).toBe(a.id);
  });
});

describe("a corpus of 100,000 records (seed 1)", () => {
  const N = 100_000;
  const ids = new Set<string>();
  const indexOf = new Map<string, number>();
  const kinds = new Map<RecordKind, number>();
  let patents = 0;
  let grapheneTitles = 0;
  let personApplicants = 0;
  let personWithContact = 0;
  let problems: string[] = [];
  const families = new Map<string, Set<string>>();
  const familySizes = new Map<string, number>();
  let confidential = 0;

  beforeAll(() => {
    let index = 0;
    for (const r of generateCorpus({ size: N, seed: 1 })) {
      ids.add(r.id);
      indexOf.set(r.id, index);
      kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1);
      const people = r.applicants.filter((p) => p.naturalPerson);
      if (people.length > 0) personApplicants++;
      if (people.length > 0 && people.every((p) => p.phone !== "" && p.address !== "" && p.city !== "")) personWithContact++;
      for (const d of [r.applicationDate, r.publicationDate, ...r.legalEvents.map((e) => e.date)]) {
        if (d !== "" && (d < "2000-01-01" || d > "2024-12-31")) problems.push(`${r.id}: date ${d}`);
      }
      for (let i = 1; i < r.legalEvents.length; i++) {
        if ((r.legalEvents[i]?.date ?? "") < (r.legalEvents[i - 1]?.date ?? "")) problems.push(`${r.id}: events out of order`);
      }
      if (r.accessTier === Tier.TIER_CONFIDENTIAL) {
        confidential++;
        if (r.publicationDate !== "") problems.push(`${r.id}: confidential but published`);
      }
      if (isPatent(r)) {
        patents++;
        if (zhTitle(r).includes("石墨烯")) grapheneTitles++;
        if (r.publicationDate !== "" && r.publicationDate <= r.applicationDate) problems.push(`${r.id}: published before filing`);
        if (r.claims.length < 3 || r.claims.length > 10) problems.push(`${r.id}: ${r.claims.length} claims`);
        for (const c of r.claims) if (c.dependsOn.some((d) => d >= c.number)) problems.push(`${r.id}: claim ${c.number} refers forward`);
        for (const c of r.citations) {
          if (c.id === "") continue;
          const cited = indexOf.get(c.id);
          if (cited === undefined || cited >= index) problems.push(`${r.id}: cites ${c.id}, not an earlier record`);
          if (c.date >= r.applicationDate) problems.push(`${r.id}: cites ${c.id} published ${c.date}, after filing`);
        }
        if (r.familyId !== "") {
          const titles = families.get(r.familyId) ?? new Set<string>();
          titles.add(zhTitle(r).replace(/^一种/, ""));
          families.set(r.familyId, titles);
          familySizes.set(r.familyId, (familySizes.get(r.familyId) ?? 0) + 1);
        }
        const sentences = (r.abstracts.find((a) => a.lang === "zh")?.text.match(/。/g) ?? []).length;
        if (sentences < 2 || sentences > 4) problems.push(`${r.id}: abstract of ${sentences} sentences`);
        if (!/^(CN-[12]\d{8}-(A|B|U)|US-\d{7,11}-(A1|B1|B2)|EP-\d{7}-(A1|A2|B1)|JP-\d{7,10}-(A|B2)|WO-\d{10}-(A1|A2))$/.test(r.id)) {
          problems.push(`${r.id}: unexpected id form`);
        }
      }
      index++;
    }
    problems = problems.slice(0, 20);
  });

  it("has unique ids", () => {
    expect(ids.size).toBe(N);
  });

  it("has the kinds in their shares", () => {
    const share = (k: RecordKind): number => (kinds.get(k) ?? 0) / N;
    expect(share(RecordKind.RECORD_KIND_TRADEMARK)).toBeCloseTo(0.1, 2);
    expect(share(RecordKind.RECORD_KIND_GEOGRAPHICAL_INDICATION)).toBeGreaterThan(0.007);
    expect(share(RecordKind.RECORD_KIND_GEOGRAPHICAL_INDICATION)).toBeLessThan(0.013);
    expect(share(RecordKind.RECORD_KIND_IC_LAYOUT)).toBeGreaterThan(0.007);
    expect(share(RecordKind.RECORD_KIND_IC_LAYOUT)).toBeLessThan(0.013);
    expect(patents / N).toBeGreaterThan(0.86);
    expect(patents / N).toBeLessThan(0.9);
    expect(share(RecordKind.RECORD_KIND_UTILITY_MODEL)).toBeGreaterThan(0.15);
  });

  it("mentions 石墨烯 in some patent titles but not most", () => {
    expect(grapheneTitles / patents).toBeGreaterThan(0.01);
    expect(grapheneTitles / patents).toBeLessThan(0.2);
  });

  it("has natural-person applicants, with their personal data, on about 15% of records", () => {
    expect(personApplicants / N).toBeGreaterThan(0.11);
    expect(personApplicants / N).toBeLessThan(0.19);
    expect(personWithContact).toBe(personApplicants);
  });

  it("keeps dates, events, claims, abstracts and citations consistent", () => {
    expect(problems).toEqual([]);
  });

  it("has families whose members share their invention, and a few confidential applications", () => {
    const multi = [...familySizes.values()].filter((n) => n >= 2);
    expect(multi.length).toBeGreaterThan(1000);
    const shared = [...families.values()].filter((titles) => titles.size === 1).length;
    expect(shared / families.size).toBeGreaterThan(0.9); // titles differ only where a U member drops a control method
    expect(confidential).toBeGreaterThan(10);
    expect(confidential / N).toBeLessThan(0.01);
  });
});

describe("records", () => {
  const sample = [...generateCorpus({ size: 5000, seed: 3, startIndex: 12_345 })];

  it("round-trip through Record.toJSON / Record.fromJSON unchanged", () => {
    for (const r of sample) {
      expect(Record.fromJSON(Record.toJSON(r))).toStrictEqual(r);
      expect(Record.fromJSON(JSON.parse(JSON.stringify(Record.toJSON(r))))).toStrictEqual(r);
    }
  });

  it("round-trip through the binary encoding unchanged", () => {
    for (const r of sample.slice(0, 500)) {
      expect(Record.decode(Record.encode(r).finish())).toStrictEqual(r);
    }
  });

  it("give patents zh and en titles and abstracts, and every kind its detail", () => {
    for (const r of sample) {
      if (isPatent(r)) {
        expect(r.titles.map((t) => t.lang)).toEqual(["zh", "en"]);
        expect(r.abstracts.map((t) => t.lang)).toEqual(["zh", "en"]);
        for (const t of [...r.titles, ...r.abstracts]) expect(t.text.length).toBeGreaterThan(1);
        expect(r.ipc.length).toBeGreaterThan(0);
        expect(r.ipc[0]).toMatch(/^[A-H]\d{2}[A-Z] \d{1,4}\/\d{2,6}$/);
        expect(r.inventors.every((p) => p.naturalPerson)).toBe(true);
        expect(r.detail).toBeUndefined();
      } else if (r.kind === RecordKind.RECORD_KIND_TRADEMARK) {
        expect(r.id).toMatch(/^CN-TM\d{8}-T$/);
        expect(r.detail?.$case).toBe("trademark");
        const tm = r.detail?.$case === "trademark" ? r.detail.value : undefined;
        expect(tm?.classes.map((c) => c.number)).toEqual(r.nice);
        for (const n of r.nice) expect(n >= 1 && n <= 45).toBe(true);
      } else if (r.kind === RecordKind.RECORD_KIND_GEOGRAPHICAL_INDICATION) {
        expect(r.id).toMatch(/^CN-GI\d{9}-G$/);
        expect(r.detail?.$case).toBe("geographicalIndication");
      } else {
        expect(r.kind).toBe(RecordKind.RECORD_KIND_IC_LAYOUT);
        expect(r.id).toMatch(/^CN-BS\d{8}-L$/);
        expect(r.detail?.$case).toBe("icLayout");
      }
      if (r.country === "CN" && r.applicants[0]?.country === "CN") expect(r.extra.region).toMatch(/^\d{2}0000$/);
    }
  });
});

describe("ids and options", () => {
  it("keeps ids unique at the far end of the index space", () => {
    const ids = new Set<string>();
    const start = CORPUS_CAPACITY - 100_000;
    for (let i = start; i < CORPUS_CAPACITY; i++) ids.add(corpusIdAt(i, { seed: 99 }));
    expect(ids.size).toBe(100_000);
  });

  it("follows trademarkShare", () => {
    const count = (share: number): number =>
      [...generateCorpus({ size: 5000, trademarkShare: share })].filter((r) => r.kind === RecordKind.RECORD_KIND_TRADEMARK).length;
    expect(count(0)).toBe(0);
    expect(count(0.3) / 5000).toBeGreaterThan(0.27);
    expect(count(0.3) / 5000).toBeLessThan(0.33);
  });

  it("rejects bad options when called, not on the first next()", () => {
    expect(() => generateCorpus({ size: -1 })).toThrow(RangeError);
    expect(() => generateCorpus({ size: 1.5 })).toThrow(/size/);
    expect(() => generateCorpus({ size: 1, seed: 0.5 })).toThrow(/seed/);
    expect(() => generateCorpus({ size: 1, trademarkShare: 2 })).toThrow(/trademarkShare/);
    expect(() => generateCorpus({ size: 2, startIndex: CORPUS_CAPACITY - 1 })).toThrow(/capacity/);
    expect(() => generateCorpus({ size: 1, datasetId: "" })).toThrow(TypeError);
    expect(() => corpusRecordAt(-1)).toThrow(RangeError);
    expect(() => corpusRecordAt(CORPUS_CAPACITY)).toThrow(RangeError);
    expect([...generateCorpus({ size: 0 })]).toEqual([]);
  });
});
