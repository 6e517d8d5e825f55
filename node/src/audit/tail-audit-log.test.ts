import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AuditLog } from "./audit-log.js";
import { tailAuditLog } from "./tail-audit-log.js";
import type { TailOptions } from "./tail-audit-log.js";
import { sampleEvent, tempDir } from "./audit.fixtures.js";

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

async function fill(from: number, to: number, options: { maxSegmentBytes?: number } = {}): Promise<void> {
  const log = await AuditLog.open(dir, { sync: "none", ...options });
  for (let i = from; i < to; i++) await log.append(sampleEvent(i));
  await log.close();
}

async function seqs(options: TailOptions): Promise<number[]> {
  const out: number[] = [];
  for await (const e of tailAuditLog(dir, options)) out.push(e.seq);
  return out;
}

const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);

/** Resolves once `check` holds, polling; fails the test after two seconds. */
async function until(check: () => boolean): Promise<void> {
  for (let t = 0; !check(); t += 10) {
    if (t > 2000) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("tailAuditLog", () => {
  it("reads every entry, or the last n, within one segment", async () => {
    await fill(0, 30);
    expect(await seqs({})).toEqual(range(1, 30));
    expect(await seqs({ last: 5 })).toEqual(range(26, 30));
    expect(await seqs({ last: 0 })).toEqual([]);
    expect(await seqs({ last: 100 })).toEqual(range(1, 30));
  });

  it("reads the last n across segment files, walking back from the end", async () => {
    await fill(0, 50, { maxSegmentBytes: 2048 });
    expect(await seqs({ last: 17 })).toEqual(range(34, 50));
    expect(await seqs({ last: 50 })).toEqual(range(1, 50));
    expect(await seqs({})).toEqual(range(1, 50));
  });

  it("reads nothing from an empty or missing log", async () => {
    expect(await seqs({ last: 10 })).toEqual([]);
    expect(await seqs({})).toEqual([]);
  });

  it("follows appends made after it started, across a rollover, and stops on abort", async () => {
    await fill(0, 5, { maxSegmentBytes: 2048 });
    const ac = new AbortController();
    const got: number[] = [];
    const done = (async () => {
      for await (const e of tailAuditLog(dir, { last: 2, follow: true, signal: ac.signal, pollMs: 10 })) got.push(e.seq);
    })();
    await until(() => got.length === 2);
    expect(got).toEqual([4, 5]);

    const log = await AuditLog.open(dir, { maxSegmentBytes: 2048 });
    for (let i = 5; i < 25; i++) await log.append(sampleEvent(i)); // rolls over several times
    await until(() => got.length === 22);
    await Promise.all(Array.from({ length: 10 }, (_, i) => log.append(sampleEvent(25 + i))));
    await until(() => got.length === 32);
    await log.close();
    ac.abort();
    await done; // ends without an error
    expect(got).toEqual(range(4, 35));
  });

  it("follows a log that does not exist yet, and never reads a line before its newline", async () => {
    const ac = new AbortController();
    const got: number[] = [];
    const done = (async () => {
      for await (const e of tailAuditLog(dir, { follow: true, signal: ac.signal, pollMs: 10 })) got.push(e.seq);
    })();
    await new Promise((r) => setTimeout(r, 30));
    await fill(0, 3);
    await until(() => got.length === 3);
    ac.abort();
    await done;
    expect(got).toEqual([1, 2, 3]);
  });
});
