import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Command } from "commander";
import { auditCommand } from "../cli/commands/audit.js";
import { AuditLog } from "./audit-log.js";
import { fileLines, sampleEvent, tempDir, writeLines } from "./audit.fixtures.js";

let dataDir: string;
let cleanup: () => Promise<void>;
let out: string[];
let err: string[];

beforeEach(async () => {
  ({ dir: dataDir, cleanup } = await tempDir());
  out = [];
  err = [];
  vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
  vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => (err.push(String(s)), true));
  const log = await AuditLog.open(join(dataDir, "audit"), { sync: "none" });
  await Promise.all(Array.from({ length: 12 }, (_, i) => log.append(sampleEvent(i))));
  await log.close();
});
afterEach(async () => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
  await cleanup();
});

/** Runs `ipfed audit …` in-process, as main.ts would, and returns the exit code. */
async function run(...args: string[]): Promise<number> {
  const cmd: Command = auditCommand();
  for (const c of [cmd, ...cmd.commands]) c.exitOverride();
  process.exitCode = undefined;
  await cmd.parseAsync(["node", "audit", ...args], { from: "node" });
  return Number(process.exitCode ?? 0);
}

describe("ipfed audit", () => {
  it("verify prints ok with the count and last hash, for a node dir or a copied audit folder", async () => {
    expect(await run("verify", "--dir", dataDir)).toBe(0);
    expect(out).toEqual([expect.stringMatching(/^ok: 12 entries, last hash [0-9a-f]{64}$/)]);
    out.length = 0;
    expect(await run("verify", "--dir", join(dataDir, "audit"), "--json")).toBe(0);
    expect(JSON.parse(out.join("\n"))).toMatchObject({ ok: true, entries: 12 });
  });

  it("verify names the first broken entry as STORE_CORRUPT and exits 1", async () => {
    const file = join(dataDir, "audit", "audit-000001.jsonl");
    const lines = await fileLines(file);
    lines[5] = lines[5]!.replace('"status":"PERMISSION_DENIED"', '"status":"OK"');
    await writeLines(file, lines);
    expect(await run("verify", "--dir", dataDir)).toBe(1);
    expect(err.join("")).toBe(`error STORE_CORRUPT: broken at entry #6 (${file}:6): hash mismatch: the entry was altered after it was written; the 5 entries before it are intact\n`);
    out.length = 0;
    expect(await run("verify", "--dir", dataDir, "--json")).toBe(1);
    expect(JSON.parse(out.join("\n"))).toMatchObject({ ok: false, firstBroken: { seq: 6, line: 6, reason: "hash-mismatch" } });
  });

  it("tail prints a table of the last entries, or JSON lines", async () => {
    expect(await run("tail", "--dir", dataDir, "-n", "3")).toBe(0);
    expect(out).toHaveLength(4);
    expect(out[0]).toMatch(/^\s+SEQ {2}TIME\s+RPC\s+SUBJECT\s+TIER\s+STATUS\s+RESULTS {2}DATASETS$/);
    expect(out[1]).toMatch(/^\s+10 {2}2025-06-01T08:00:00\.009Z {2}Exchange\/Export\s+user-2@tisc-scu\s+registered\s+OK\s+9 {2}cnipa-grants,uspto$/);
    expect(out[3]).toMatch(/Exchange\/Export\s+user-4@tisc-scu\s+public\s+PERMISSION_DENIED\s+0 {2}cnipa-grants,uspto$/);
    // Columns line up under the header.
    expect(out[1]!.indexOf("Exchange/")).toBe(out[0]!.indexOf("RPC"));
    expect(out[3]!.indexOf("PERMISSION_DENIED")).toBe(out[0]!.indexOf("STATUS"));
    out.length = 0;
    expect(await run("tail", "--dir", dataDir, "-n", "2", "--json")).toBe(0);
    expect(out.map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual([11, 12]);
  });

  it("refuses a bad -n (exit 2) and a folder without an audit log (exit 6)", async () => {
    expect(await run("tail", "--dir", dataDir, "-n", "ten")).toBe(2);
    expect(err.join("")).toContain("error INVALID_ARGUMENT: -n must be a whole number");
    const empty = join(dataDir, "empty");
    await mkdir(empty);
    await writeFile(join(empty, "ipfed.json"), "{}");
    expect(await run("verify", "--dir", empty)).toBe(6);
    expect(err.join("")).toContain("error NOT_FOUND: no audit log in");
  });
});
