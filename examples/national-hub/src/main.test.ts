import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it, onTestFailed } from "vitest";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** Runs the example's one command, as its README gives it, to completion. */
function runExample(): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile("pnpm", ["--filter", "@ipfed/example-national-hub", "start"], { cwd: REPO_ROOT, maxBuffer: 16 << 20 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The status lines and hit lines printed for one query. */
function parseQuery(section: string) {
  const statuses: { [member: string]: { state: string; detail: string } } = {};
  for (const m of section.matchAll(/^ {2}(\S+) +(OK|UNAVAILABLE|TIMEOUT|DENIED|ERROR|SKIPPED) +(.*)$/gm)) statuses[m[1]!] = { state: m[2]!, detail: m[3]! };
  const hits = [...section.matchAll(/^ {2}#(\d+) +(\S+) +(.*) {2}\[(.*)\]$/gm)].map((m) => ({ rank: Number(m[1]), id: m[2], holders: m[4]!.split(", ").sort() }));
  const done = /^ {2}(\d+) matches, (\d+)\/(\d+) members answered$/m.exec(section);
  return { statuses, hits, total: Number(done?.[1]), answered: `${done?.[2]}/${done?.[3]}` };
}

// The seeded corpus makes every figure exact: ti:电池 matches 6 records of sc-regional's slice
// (records 0-99), 3 of scu-tisc's (60-159) and 3 of cd-library's (160-219); CN-103156109-A
// is in the slice both sc-regional and scu-tisc hold.
const REGIONAL = ["CN-103156109-A", "CN-117528810-A", "CN-123500626-A", "CN-142648436-A", "CN-210785763-U", "US-20031526215-A1"];
const TISC = ["CN-103156109-A", "CN-204217273-U", "WO-2024098625-A1"];
const LIBRARY = ["CN-102473284-B", "CN-152052805-A", "CN-201274835-U"];

describe("examples/national-hub", () => {
  it("prints every member's status, the merged hits with their holders, and UNAVAILABLE for a stopped member", { timeout: 240_000 }, async () => {
    const { code, stdout, stderr } = await runExample();
    onTestFailed(() => console.log(`the example printed:\n${stdout}\n${stderr}`));
    expect(stderr).not.toMatch(/Error/);
    expect(code).toBe(0);
    const [, first, second] = stdout.split(/^federated search at \S+: ti:电池$/m);
    expect(second).toBeDefined();

    const q1 = parseQuery(first!);
    expect(Object.fromEntries(Object.entries(q1.statuses).map(([id, s]) => [id, s.state]))).toEqual({
      hub: "OK",
      "sc-regional": "OK",
      "scu-tisc": "OK",
      "cd-library": "OK",
    });
    expect(q1.statuses["sc-regional"]!.detail).toMatch(/^took \d+ ms, 6 hits of 6$/);
    expect(q1.statuses["scu-tisc"]!.detail).toMatch(/^took \d+ ms, 3 hits of 3$/);
    expect(q1.statuses["cd-library"]!.detail).toMatch(/^took \d+ ms, 3 hits of 3$/);
    expect(q1.hits.map((h) => h.id).sort()).toEqual([...new Set([...REGIONAL, ...TISC, ...LIBRARY])].sort());
    expect(q1.hits.map((h) => h.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(q1.hits.find((h) => h.id === "CN-103156109-A")!.holders).toEqual(["sc-regional", "scu-tisc"]);
    for (const id of LIBRARY) expect(q1.hits.find((h) => h.id === id)!.holders).toEqual(["cd-library"]);
    expect(q1.total).toBe(11);
    expect(q1.answered).toBe("4/4");

    expect(stdout).toContain("\ncd-library stopped\n");
    const q2 = parseQuery(second!);
    expect(q2.statuses["cd-library"]!.state).toBe("UNAVAILABLE");
    expect(q2.statuses["sc-regional"]!.state).toBe("OK");
    expect(q2.statuses["scu-tisc"]!.state).toBe("OK");
    expect(q2.hits.map((h) => h.id).sort()).toEqual([...new Set([...REGIONAL, ...TISC])].sort());
    expect(q2.total).toBe(8);
    expect(q2.answered).toBe("3/4");
  });
});
