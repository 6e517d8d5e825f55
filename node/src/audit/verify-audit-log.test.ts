import { appendFile, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hashEntry } from "./audit-entry.js";
import type { AuditEntry } from "./audit-entry.js";
import { AuditLog } from "./audit-log.js";
import { verifyAuditLog } from "./verify-audit-log.js";
import { fileLines, sampleEvent, tempDir, writeLines } from "./audit.fixtures.js";

let dir: string;
let cleanup: () => Promise<void>;
let file: string;
let lines: string[];

async function fill(n: number, options: { maxSegmentBytes?: number } = {}): Promise<void> {
  const log = await AuditLog.open(dir, { sync: "none", ...options });
  await Promise.all(Array.from({ length: n }, (_, i) => log.append(sampleEvent(i))));
  await log.close();
}

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await fill(20);
  file = join(dir, "audit-000001.jsonl");
  lines = await fileLines(file);
});
afterEach(() => cleanup());

const entryAt = (i: number): AuditEntry => JSON.parse(lines[i]!) as AuditEntry;

describe("verifyAuditLog", () => {
  it("accepts an intact log and an empty one", async () => {
    expect(await verifyAuditLog(dir)).toMatchObject({ ok: true, entries: 20, lastHash: entryAt(19).hash });
    await rm(file);
    expect(await verifyAuditLog(dir)).toEqual({ ok: true, entries: 0, lastHash: "0".repeat(64), segments: 0, partialTail: false });
    expect(await verifyAuditLog(join(dir, "missing"))).toMatchObject({ ok: true, entries: 0 });
  });

  it("names the altered entry when a status is changed and the hash left as is", async () => {
    expect(entryAt(8).status).toBe("PERMISSION_DENIED");
    lines[8] = lines[8]!.replace('"status":"PERMISSION_DENIED"', '"status":"OK"');
    await writeLines(file, lines);
    expect(await verifyAuditLog(dir)).toEqual({
      ok: false,
      entries: 8,
      firstBroken: { seq: 9, file: "audit-000001.jsonl", line: 9, reason: "hash-mismatch", message: expect.stringContaining("altered") },
    });
  });

  it("names the NEXT entry when the altered entry was re-hashed too", async () => {
    const forged = { ...entryAt(8), status: "OK" };
    forged.hash = hashEntry(forged);
    lines[8] = JSON.stringify(forged);
    await writeLines(file, lines);
    expect(await verifyAuditLog(dir)).toMatchObject({
      ok: false,
      entries: 9,
      firstBroken: { seq: 10, line: 10, reason: "prev-mismatch", message: expect.stringContaining("does not link to entry #9") },
    });
  });

  it("names a seq gap when a line is deleted, and when lines are swapped", async () => {
    await writeLines(file, lines.filter((_, i) => i !== 11));
    expect(await verifyAuditLog(dir)).toMatchObject({ ok: false, entries: 11, firstBroken: { seq: 13, line: 12, reason: "seq-gap", message: expect.stringContaining("expected #12, found #13") } });
    await writeLines(file, [...lines.slice(0, 4), lines[5]!, lines[4]!, ...lines.slice(6)]);
    expect(await verifyAuditLog(dir)).toMatchObject({ ok: false, entries: 4, firstBroken: { seq: 6, line: 5, reason: "seq-gap" } });
  });

  it("names a prev mismatch when a forged entry is inserted with the right seq", async () => {
    const fake = { ...entryAt(3), subject: "nobody" };
    fake.hash = hashEntry(fake);
    await writeLines(file, [...lines.slice(0, 3), JSON.stringify(fake), ...lines.slice(4)]);
    expect(await verifyAuditLog(dir)).toMatchObject({ firstBroken: { seq: 5, line: 5, reason: "prev-mismatch" } });
  });

  it("names unparsable lines: garbage, an added field, a missing newline before the end", async () => {
    await writeLines(file, [...lines.slice(0, 2), "garbage", ...lines.slice(2)]);
    expect(await verifyAuditLog(dir)).toMatchObject({ entries: 2, firstBroken: { seq: 3, line: 3, reason: "unparsable", message: expect.stringContaining("not JSON") } });
    await writeLines(file, [...lines.slice(0, 2), lines[2]!.replace('{"seq"', '{"note":"x","seq"'), ...lines.slice(3)]);
    expect(await verifyAuditLog(dir)).toMatchObject({ firstBroken: { seq: 3, reason: "unparsable", message: expect.stringContaining('unknown field "note"') } });
  });

  it("treats a partial last line as a write in flight, not as damage", async () => {
    await appendFile(file, lines[0]!.slice(0, 40));
    expect(await verifyAuditLog(dir)).toMatchObject({ ok: true, entries: 20, partialTail: true });
  });

  it("checks seq continuity across segment files, and names the file", async () => {
    await rm(file);
    await fill(60, { maxSegmentBytes: 4096 });
    const files = (await readdir(dir)).sort();
    expect(files.length).toBeGreaterThan(3);
    expect(await verifyAuditLog(dir)).toMatchObject({ ok: true, entries: 60, segments: files.length });

    // Dropping a whole middle segment shows as a gap at the first entry of the next one.
    const third = await fileLines(join(dir, files[2]!));
    const firstOfFourth = JSON.parse((await fileLines(join(dir, files[3]!)))[0]!) as AuditEntry;
    await rm(join(dir, files[2]!));
    expect(await verifyAuditLog(dir)).toMatchObject({ ok: false, firstBroken: { seq: firstOfFourth.seq, file: files[3], line: 1, reason: "seq-gap" } });
    await writeLines(join(dir, files[2]!), third);

    // Damage in a later segment is named with that segment's file and line.
    const fourth = await fileLines(join(dir, files[3]!));
    fourth[1] = fourth[1]!.replace(/"resultCount":\d+/, '"resultCount":999');
    await writeLines(join(dir, files[3]!), fourth);
    expect(await verifyAuditLog(dir)).toMatchObject({ ok: false, firstBroken: { seq: firstOfFourth.seq + 1, file: files[3], line: 2, reason: "hash-mismatch" } });

    // Removing the first segment is caught too: the log must start at #1.
    await rm(join(dir, files[0]!));
    expect(await verifyAuditLog(dir)).toMatchObject({ ok: false, entries: 0, firstBroken: { file: files[1], line: 1, reason: "seq-gap" } });
  });
});
