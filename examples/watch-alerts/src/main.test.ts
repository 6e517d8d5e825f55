import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it, onTestFailed } from "vitest";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** Runs the example's one command, as its README gives it, to completion. */
function runExample(): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile("pnpm", ["--filter", "@ipfed/example-watch-alerts", "start"], { cwd: REPO_ROOT, maxBuffer: 16 << 20 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const alertsIn = (text: string) => [...text.matchAll(/^ALERT (\S+) +(.+) {2}\((\S+) #(\d+)\)$/gm)].map((m) => `${m[1]} ${m[3]} #${m[4]}`);

describe("examples/watch-alerts", () => {
  it("alerts exactly the published records that match the saved query, and a restart repeats none", { timeout: 240_000 }, async () => {
    const { code, stdout, stderr } = await runExample();
    onTestFailed(() => console.log(`the example printed:\n${stdout}\n${stderr}`));
    expect(stderr).not.toMatch(/Error/);
    expect(code).toBe(0);
    expect(stdout).toContain("saved query: ti:电池 AND ipc:H01M\n");
    // The 100 imported records are the baseline, not alerts.
    expect(stdout).toContain("watcher: sc-regional/cn-patents: first start, 100 earlier changes taken as the baseline\n");
    const [beforeStop, afterStop] = stdout.split("\nwatcher stopped\n");
    const [whileStopped, afterRestart] = afterStop!.split("\nwatcher restarted from its cursor file\n");

    expect(beforeStop).toContain("published CN-300000001-A, CN-300000002-A, CN-300000003-A, CN-300000004-A (created 4, rejected 0)");
    expect(alertsIn(beforeStop!)).toEqual(["CN-300000001-A sc-regional/cn-patents #101", "CN-300000003-A sc-regional/cn-patents #103"]);
    expect(beforeStop).toContain("ALERT CN-300000001-A  一种固态锂电池电解质及其制备方法  (sc-regional/cn-patents #101)");

    expect(whileStopped).toContain("published CN-300000005-A, CN-300000006-A (created 2, rejected 0)");
    expect(alertsIn(whileStopped!)).toEqual([]);
    // From its cursor file: the one match published while it was stopped, and nothing from before.
    expect(alertsIn(afterRestart!)).toEqual(["CN-300000005-A sc-regional/cn-patents #105"]);
    expect(stdout).not.toContain("first start, 106");
    expect(alertsIn(stdout)).toHaveLength(3);
  });
});
