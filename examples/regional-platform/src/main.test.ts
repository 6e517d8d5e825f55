import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it, onTestFailed } from "vitest";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** Runs the example's one command, as its README gives it, to completion. */
function runExample(): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile("pnpm", ["--filter", "@ipfed/example-regional-platform", "start"], { cwd: REPO_ROOT, maxBuffer: 16 << 20 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

// ti:电池 over records 0-149 of the seeded corpus: 8 patents, the same for both users (titles are PUBLIC).
const HITS = [
  "CN-103156109-A",
  "CN-117528810-A",
  "CN-123500626-A",
  "CN-142648436-A",
  "CN-204217273-U",
  "CN-210785763-U",
  "US-20031526215-A1",
  "WO-2024098625-A1",
];
const hitIds = (section: string) => [...section.matchAll(/^ {4}([A-Z]{2}-[A-Z0-9]+-[A-Z]\d?) +\S/gm)].map((m) => m[1]).sort();

describe("examples/regional-platform", () => {
  it("shows the same record with claims withheld from the visitor and visible to the registered user, the calls in the member's audit log", { timeout: 240_000 }, async () => {
    const { code, stdout, stderr } = await runExample();
    onTestFailed(() => console.log(`the example printed:\n${stdout}\n${stderr}`));
    expect(stderr).not.toMatch(/Error/);
    expect(code).toBe(0);
    const [, visitor, registered] = stdout.split(/^\n?(?:visitor \(not logged in\)|ent-0042 \(成都锂能科技有限公司\) logged in).*$/m);
    const [registeredPart, audit] = registered!.split("\nthe member's audit log, last 5 entries:\n");

    expect(visitor).toContain("GET /search?q=ti:电池 → tier public, 8 matches");
    expect(hitIds(visitor!)).toEqual(HITS);
    expect(visitor).toMatch(/GET \/record\?id=CN-204217273-U\n {4}claims: withheld\n {4}withheld_fields: claims, extra\n/);
    // A syntax error comes back from the member as its stable code and the position.
    expect(visitor).toContain('GET /search?q=ti:(电池 → 400 {"error":"QUERY_SYNTAX","message":"expected \')\' at position 7');

    expect(registeredPart).toContain("GET /search?q=ti:电池 → tier registered, 8 matches");
    expect(hitIds(registeredPart!)).toEqual(HITS);
    expect(registeredPart).toMatch(/GET \/record\?id=CN-204217273-U\n {4}claims: 10, the first: 1\. 一种电池模组，其特征在于/);
    expect(registeredPart).toContain("    withheld_fields: (none)\n");

    // The member recorded who asked: anonymous for the visitor, the platform's user under the platform's key.
    const entries = audit!.trim().split("\n").map((l) => l.trim().split(/\s+/));
    expect(entries.map((e) => [e[0], e[1], e[3], e[5], e[7], e[9]])).toEqual([
      ["Search", "OK", "anonymous", "-", "public", "8"],
      ["GetRecord", "OK", "anonymous", "-", "public", "1"],
      ["Search", "INVALID_ARGUMENT", "anonymous", "-", "public", "0"],
      ["Search", "OK", "ent-0042", "sc-ip-platform", "registered", "8"],
      ["GetRecord", "OK", "ent-0042", "sc-ip-platform", "registered", "1"],
    ]);
  });
});
