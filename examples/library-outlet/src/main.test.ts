import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

/** Runs the example's one command from the repository root, as its README says. */
async function start(args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run("pnpm", ["--filter", "@ipfed/example-library-outlet", "start", ...(args.length ? ["--", ...args] : [])], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

describe("examples/library-outlet", () => {
  it("serves the SQLite catalogue through the kit, joins a real hub, and is found by a federated search there", { timeout: 240_000 }, async () => {
    const r = await start();
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split("\n").map((l) => l.trimEnd());
    const after = (heading: string, n: number) => lines.slice(lines.indexOf(heading) + 1, lines.indexOf(heading) + 1 + n);
    expect(lines).toContain("Library catalogue: catalogue.db in a temporary directory (seeded 50 holdings)");
    expect(lines).toContain("  patents      44 records  public");
    expect(lines).toContain("  trademarks    6 records  public");
    expect(lines.some((l) => /^Hub: started national-hub \(a real ipfed node process\) at 127\.0\.0\.1:\d+$/.test(l))).toBe(true);
    expect(lines.some((l) => /^Serving gd-sz-library at 127\.0\.0\.1:\d+ \(key [A-Za-z0-9_-]{43}\)$/.test(l))).toBe(true);
    expect(lines).toContain("Joined hub national-hub: admitted (admitted with an enrolment token, up to registered)");
    expect(lines).toContain("Federated search at the hub: ti:电池 AND pd:[2022-10-01 TO 2023-12-31]");
    expect(after("Member statuses:", 2).sort()).toEqual(["  gd-sz-library   OK          6 hits", "  national-hub    OK          0 hits"]);
    const hits = after("Hits (6 of 6):", 6);
    expect(hits.map((l) => l.slice(0, 6))).toEqual(["   1. ", "   2. ", "   3. ", "   4. ", "   5. ", "   6. "]);
    expect(hits.map((l) => l.slice(6, 20)).sort()).toEqual(["CN-115222333-A", "CN-115345678-A", "CN-115888999-A", "CN-116000112-A", "CN-116678901-A", "CN-217333444-U"]);
    expect(hits.every((l) => l.endsWith("[holders: gd-sz-library]"))).toBe(true);
    expect(hits.some((l) => l.endsWith(". CN-115345678-A  氢燃料电池双极板及其制备方法 / Bipolar plate for hydrogen fuel cells and its preparation  [holders: gd-sz-library]"))).toBe(true);
    expect(lines).toContain("Withheld from this PUBLIC caller: inventors.address, inventors.city, inventors.postcode, inventors.state");
    expect(after("Members at the hub:", 2).sort()).toEqual(["  gd-sz-library   library   UP", "  national-hub    hub       UP"]);
    expect(lines).toContain("Done.");
  });

  it("refuses --hub without the hub's fingerprint and an enrolment token, naming the option", async () => {
    const r = await start(["--hub", "127.0.0.1:7400"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("library-outlet: INVALID_ARGUMENT: --hub needs --hub-fingerprint (the hub's key id) and --enrolment (a token from `ipfed members enrol`)");
  });
});
