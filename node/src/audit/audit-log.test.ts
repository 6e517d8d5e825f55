import { appendFile, mkdir, readdir, stat, truncate, writeFile } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { IpfedError } from "@ipfed/sdk";
import { GENESIS_HASH, entryLine, sealEntry } from "./audit-entry.js";
import { AuditLog } from "./audit-log.js";
import { verifyAuditLog } from "./verify-audit-log.js";
import { fileLines, sampleEvent, tempDir, writeLines } from "./audit.fixtures.js";

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const seg1 = (): string => join(dir, "audit-000001.jsonl");
const parsed = async (file: string) => (await fileLines(file)).map((l) => JSON.parse(l) as { seq: number; prev: string; hash: string; status: string });

describe("AuditLog", () => {
  it("appends 1,000 concurrent entries in call order, batched, and the chain verifies", async () => {
    const log = await AuditLog.open(dir);
    expect(log.recovery).toBeUndefined();
    await Promise.all(Array.from({ length: 1000 }, (_, i) => log.append(sampleEvent(i))));
    expect(log.lastSeq).toBe(1000);
    await log.close();
    const entries = await parsed(seg1());
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(entries[0]!.prev).toBe(GENESIS_HASH);
    expect(entries[999]!.hash).toBe(log.lastHash);
    expect(await verifyAuditLog(dir)).toEqual({ ok: true, entries: 1000, lastHash: log.lastHash, segments: 1, partialTail: false });
  });

  it("groups the entries that arrive during a write into the next write", async () => {
    const log = await AuditLog.open(dir, { sync: "batch" });
    const writes: number[] = [];
    const fh = (log as unknown as { fh: FileHandle }).fh;
    const write = fh.write.bind(fh) as (b: Buffer, o: number, l: number) => ReturnType<FileHandle["write"]>;
    (fh as unknown as { write: typeof write }).write = (b, o, l) => {
      writes.push(b.toString("utf8", o, o + l).split("\n").length - 1);
      return write(b, o, l);
    };
    const first = log.append(sampleEvent(0)); // starts a write of one entry…
    await Promise.resolve();
    await Promise.resolve();
    const rest = Array.from({ length: 50 }, (_, i) => log.append(sampleEvent(i + 1))); // …these arrive meanwhile
    await Promise.all([first, ...rest]);
    await log.close();
    expect(writes.reduce((a, b) => a + b, 0)).toBe(51);
    expect(writes.length).toBeLessThanOrEqual(3);
    expect((await verifyAuditLog(dir)).ok).toBe(true);
  });

  it("continues the chain after a reopen (seq 1001, prev = last hash), reading only the file's end", async () => {
    const a = await AuditLog.open(dir, { sync: "none" });
    await Promise.all(Array.from({ length: 1000 }, (_, i) => a.append(sampleEvent(i))));
    await a.close();
    const b = await AuditLog.open(dir);
    expect([b.lastSeq, b.lastHash]).toEqual([1000, a.lastHash]);
    await b.append(sampleEvent(1000));
    await b.close();
    const last = (await parsed(seg1())).at(-1)!;
    expect(last).toMatchObject({ seq: 1001, prev: a.lastHash });
    expect(await verifyAuditLog(dir)).toMatchObject({ ok: true, entries: 1001 });

    // Open never reads the body of the file: 4 MB of lines that are not entries before the
    // last one do not stop it (verify, which reads everything, does stop at them).
    const big = join(dir, "big");
    await mkdir(big);
    await writeFile(join(big, "audit-000001.jsonl"), "not an entry\n".repeat(300_000) + entryLine(sealEntry(sampleEvent(0), 77, GENESIS_HASH)));
    const c = await AuditLog.open(big);
    expect(c.lastSeq).toBe(77);
    await c.close();
  });

  it("cuts a torn last line (a crash mid-append) at open, reports it, and the chain continues", async () => {
    const a = await AuditLog.open(dir);
    for (let i = 0; i < 5; i++) await a.append(sampleEvent(i));
    await a.close();
    const before = (await stat(seg1())).size;
    const torn = entryLine(sealEntry(sampleEvent(5), 6, a.lastHash)).slice(0, 90); // no newline
    await appendFile(seg1(), torn);
    expect(await verifyAuditLog(dir)).toMatchObject({ ok: true, entries: 5, partialTail: true });
    const warnings: unknown[] = [];
    const b = await AuditLog.open(dir, { logger: { warn: (o: unknown) => warnings.push(o), error: () => undefined, info: () => undefined } });
    expect(b.recovery).toEqual({ file: "audit-000001.jsonl", offset: before, bytes: 90, lines: 1 });
    expect(warnings).toHaveLength(1);
    expect(b.lastSeq).toBe(5);
    await b.append(sampleEvent(5));
    await b.close();
    expect(await verifyAuditLog(dir)).toMatchObject({ ok: true, entries: 6, partialTail: false });
  });

  it("also cuts a last complete line that is not JSON (zeros a crash left), but refuses a damaged entry", async () => {
    const a = await AuditLog.open(dir);
    for (let i = 0; i < 3; i++) await a.append(sampleEvent(i));
    await a.close();
    await appendFile(seg1(), "\0\0\0\0\n\0\0");
    const b = await AuditLog.open(dir);
    expect(b.recovery).toMatchObject({ bytes: 7, lines: 2 });
    await b.append(sampleEvent(3));
    await b.close();
    expect(await verifyAuditLog(dir)).toMatchObject({ ok: true, entries: 4 });

    const lines = await fileLines(seg1());
    await writeLines(seg1(), [...lines.slice(0, -1), lines.at(-1)!.replace('"status":"OK"', '"status":"DENIED"')]);
    await expect(AuditLog.open(dir)).rejects.toMatchObject({ code: "STORE_CORRUPT", message: expect.stringContaining("does not match its hash") });
  });

  it("rolls over to new segments at the size limit and the chain runs across them", async () => {
    const log = await AuditLog.open(dir, { maxSegmentBytes: 4096 });
    await Promise.all(Array.from({ length: 60 }, (_, i) => log.append(sampleEvent(i))));
    for (let i = 60; i < 100; i++) await log.append(sampleEvent(i));
    await log.close();
    const files = (await readdir(dir)).sort();
    expect(files.length).toBeGreaterThan(5);
    expect(files[0]).toBe("audit-000001.jsonl");
    for (const f of files) expect((await stat(join(dir, f))).size).toBeLessThanOrEqual(4096);
    const seqs = (await Promise.all(files.map((f) => parsed(join(dir, f))))).flat().map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(await verifyAuditLog(dir)).toMatchObject({ ok: true, entries: 100, segments: files.length });

    // Reopen on a fresh empty segment (a crash right after a rollover): the chain is found in the one before.
    await writeFile(join(dir, "audit-000099.jsonl"), "");
    const again = await AuditLog.open(dir, { maxSegmentBytes: 4096 });
    expect(again.lastSeq).toBe(100);
    await again.append(sampleEvent(100));
    await again.close();
    expect(await verifyAuditLog(dir)).toMatchObject({ ok: true, entries: 101 });
    expect((await fileLines(join(dir, "audit-000099.jsonl"))).length).toBe(1);
  });

  it("never rejects: a failed write is reported, kept, retried, and the chain on disk stays whole", async () => {
    const errors: IpfedError[] = [];
    const log = await AuditLog.open(dir, { onError: (e) => errors.push(e), maxRetryMs: 20 });
    await log.append(sampleEvent(0));
    const fh = (log as unknown as { fh: FileHandle }).fh;
    const write = fh.write.bind(fh);
    let failures = 2;
    (fh as unknown as { write: unknown }).write = async (b: Buffer, o: number, l: number) => {
      if (failures-- > 0) {
        await write(b, o, Math.min(l, 17)); // a partial write, then the failure
        throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
      }
      return write(b, o, l);
    };
    await expect(log.append(sampleEvent(1))).resolves.toBeUndefined();
    await expect(log.append(sampleEvent(2))).resolves.toBeUndefined();
    expect(errors[0]).toMatchObject({ code: "INTERNAL", message: expect.stringContaining("no space left") });
    await new Promise((r) => setTimeout(r, 200));
    expect(log.pending).toBe(0);
    await log.close();
    expect(errors).toHaveLength(2);
    expect(await verifyAuditLog(dir)).toMatchObject({ ok: true, entries: 3 });

    await expect(log.append(sampleEvent(3))).resolves.toBeUndefined();
    expect(errors[2]).toMatchObject({ code: "FAILED_PRECONDITION" });
    await log.close(); // idempotent
  });

  it("writes without fdatasync when sync is none, and truncate of a whole segment is recovered from", async () => {
    const log = await AuditLog.open(dir, { sync: "none" });
    await Promise.all(Array.from({ length: 10 }, (_, i) => log.append(sampleEvent(i))));
    await log.close();
    await truncate(seg1(), 0);
    const again = await AuditLog.open(dir);
    expect(again.lastSeq).toBe(0); // nothing left to chain to: a new chain, which verify accepts
    await again.append(sampleEvent(0));
    await again.close();
    expect(await verifyAuditLog(dir)).toMatchObject({ ok: true, entries: 1 });
  });
});
