import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { dirname, join, relative } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT, tempDir } from "../helpers/node-process.js";
import { usptoFiles } from "../helpers/shared-data.js";

// `pnpm demo` as a user runs it: through pnpm, from the repository root, in its own process
// group (a terminal's foreground job), stopped with SIGINT sent to the group as Ctrl-C does.

interface DemoLine {
  portal: string;
  token: string;
  hub: { grpc: string; http: string; tlsCert?: string };
  members: { id: string; kind: string; region: string; grpc: string; http: string; pid: number; records: number; datasets: { id: string; records: number }[]; tlsCert?: string }[];
  dir: string;
  kept: boolean;
  reused: boolean;
  uspto: { dir: string; records: number; member: string; sampleId?: string } | null;
  sample: { query: string; recordId: string; holders: string[] };
  pid: number;
  commands: string[];
}

interface RunningDemo {
  readonly proc: ChildProcess;
  readonly line: DemoLine;
  /** Everything the demo wrote to stderr so far (its progress in --json mode). */
  stderr(): string;
  /** Sends SIGINT to the process group, as Ctrl-C does, and waits for pnpm to exit. */
  interrupt(): Promise<number | null>;
}

const running: RunningDemo[] = [];
const dirs: { remove(): Promise<void> }[] = [];

afterAll(async () => {
  for (const d of running) if (d.proc.exitCode === null && d.proc.signalCode === null) await d.interrupt().catch(() => undefined);
  for (const d of dirs) await d.remove();
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function startDemo(args: string[]): Promise<RunningDemo> {
  const [grpc, http] = [await freePort(), await freePort()];
  const proc = spawn("pnpm", ["demo", "--json", "--hub-grpc", `127.0.0.1:${grpc}`, "--hub-http", `127.0.0.1:${http}`, ...args], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  proc.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  const line = await new Promise<DemoLine>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).on("line", (l) => {
      if (l.startsWith('{"portal"')) resolve(JSON.parse(l) as DemoLine);
    });
    void exited.then((code) => reject(new Error(`pnpm demo exited with ${code} before it was ready:\n${stderr}`)));
  });
  const demo: RunningDemo = {
    proc,
    line,
    stderr: () => stderr,
    async interrupt() {
      process.kill(-proc.pid!, "SIGINT");
      return exited;
    },
  };
  running.push(demo);
  return demo;
}

/** Runs a printed command as pasted into a shell at the repository root. */
async function paste(command: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = spawn("sh", ["-c", command], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  proc.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  proc.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => proc.once("exit", (c) => resolve(c)));
  return { code, stdout, stderr };
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The printed record JSON (pnpm's own `$ node …` echo line is not part of it). */
const recordJson = (stdout: string) => JSON.parse(stdout.slice(stdout.indexOf("{"))) as {
  id: string;
  country: string;
  claims?: unknown[];
  withheldFields?: string[];
  inventors?: { naturalPerson?: boolean; address?: string }[];
};

describe("pnpm demo", () => {
  it("starts five real nodes, prints commands that work when pasted, and leaves nothing behind on Ctrl-C", async () => {
    const uspto = dirname(usptoFiles()[0]!);
    const demo = await startDemo(["--size", "300", "--uspto", uspto]);
    const { line } = demo;

    expect(line.portal).toBe(`http://${line.hub.http}/`);
    expect(line.members.map((m) => [m.id, m.kind, m.region])).toEqual([
      ["hub", "hub", "100000"],
      ["sc-regional", "regional", "510000"],
      ["gd-regional", "regional", "440000"],
      ["scu-tisc", "tisc", "510000"],
      ["cd-library", "library", "510100"],
    ]);
    expect(line.members[0]!.grpc).toBe(line.hub.grpc);
    // 300 generated records cut into overlapping windows: 0-134, 105-179, 180-299, 255-299.
    const datasets = Object.fromEntries(line.members.flatMap((m) => m.datasets.map((d) => [`${m.id}/${d.id}`, d.records])));
    expect(datasets).toMatchObject({ "sc-regional/sc-patents": 135, "scu-tisc/scu-patents": 75, "gd-regional/gd-patents": 120, "cd-library/cd-collection": 45 });
    expect(line.uspto).toMatchObject({ dir: uspto, member: "gd-regional" });
    expect(line.uspto!.records).toBeGreaterThan(0);
    expect(datasets["gd-regional/uspto"]).toBe(line.uspto!.records);
    expect(line.members.find((m) => m.id === "gd-regional")!.records).toBe(120 + line.uspto!.records);
    expect(line.sample.holders).toEqual(["sc-regional", "scu-tisc"]);
    expect(line.reused).toBe(false);
    const shown = relative(REPO_ROOT, uspto).startsWith("../../..") ? uspto : relative(REPO_ROOT, uspto);
    expect(demo.stderr()).toContain(`USPTO grants: ${usptoFiles().length} file(s) from ${shown}`);

    const commands = line.commands;
    expect(commands).toHaveLength(7);
    for (const c of commands) expect(c.startsWith("pnpm ipfed ")).toBe(true);
    const [search, facets, get, anonymousGet, exportCmd, usptoGet, members] = commands as [string, string, string, string, string, string, string];
    // Pasted three at a time: each is a pnpm and a node process.
    const results = new Map<string, Awaited<ReturnType<typeof paste>>>();
    for (let i = 0; i < commands.length; i += 3) {
      await Promise.all(commands.slice(i, i + 3).map(async (c) => results.set(c, await paste(c))));
    }
    const result = (c: string) => results.get(c)!;

    // A federated search at the hub: the shared record is listed once, with both holders.
    // Every node serves gRPC over TLS with its own certificate; the commands pin the hub's.
    for (const m of line.members) expect(m.tlsCert).toBe(join(line.dir, m.id, "tls/cert.pem"));
    expect(line.hub.tlsCert).toBe(join(line.dir, "hub", "tls/cert.pem"));
    expect(search).toMatch(new RegExp(`--endpoint ${line.hub.grpc} --tls \\S*hub/tls/cert\\.pem --token ${line.token}`));
    const s = result(search);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toMatch(new RegExp(`${line.sample.recordId} .*\\[sc-regional, scu-tisc\\]`));
    for (const id of ["sc-regional", "gd-regional", "scu-tisc", "cd-library"]) expect(s.stdout).toMatch(new RegExp(`^${id} +OK `, "m"));
    expect(s.stdout).toMatch(/\d+ match(es)? for .* 4\/4 members answered\)/);

    const f = result(facets);
    expect(f.code, f.stderr).toBe(0);
    expect(f.stdout).toMatch(/^kind: patent \(\d+\)/m);
    expect(f.stdout).toMatch(/^year: \d{4} \(\d+\)/m);
    expect(f.stdout.match(/^ +\d+ {2}CN-\d+-[A-Z]\d? /gm)).toHaveLength(5);

    // The registered user sees the claims; anonymously they are withheld.
    const g = result(get);
    expect(g.code, g.stderr).toBe(0);
    const registered = recordJson(g.stdout);
    expect(registered.id).toBe(line.sample.recordId);
    expect(registered.claims!.length).toBeGreaterThan(0);
    expect(registered.withheldFields ?? []).not.toContain("claims");
    expect((registered.inventors ?? []).filter((p) => p.naturalPerson).every((p) => !p.address)).toBe(true);
    const a = result(anonymousGet);
    expect(a.code, a.stderr).toBe(0);
    const anonymous = recordJson(a.stdout);
    expect(anonymous.id).toBe(line.sample.recordId);
    expect(anonymous.claims ?? []).toEqual([]);
    expect(anonymous.withheldFields).toContain("claims");

    const library = line.members.find((m) => m.id === "cd-library")!;
    expect(exportCmd).toContain(`--endpoint ${library.grpc}`);
    const e = result(exportCmd);
    expect(e.code, e.stderr).toBe(0);
    const out = join(line.dir, "cd-collection.jsonl");
    expect(e.stdout).toContain(`Exported 45 records of cd-collection to ${out}`);
    expect((await readFile(out, "utf8")).trim().split("\n")).toHaveLength(45);

    const u = result(usptoGet);
    expect(u.code, u.stderr).toBe(0);
    expect(recordJson(u.stdout)).toMatchObject({ id: line.uspto!.sampleId, country: "US" });

    const m = result(members);
    expect(m.code, m.stderr).toBe(0);
    for (const [id, records] of [["sc-regional", 135], ["gd-regional", 120 + line.uspto!.records], ["scu-tisc", 75], ["cd-library", 45]] as const) {
      expect(m.stdout).toMatch(new RegExp(`^${id} +admitted .* up .* ${records}$`, "m"));
    }

    // Ctrl-C: every node stops, the demo exits, and its temporary directory is gone.
    const pids = [line.pid, ...line.members.map((x) => x.pid)];
    expect(pids.every(alive)).toBe(true);
    await demo.interrupt();
    for (let i = 0; i < 100 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 100));
    expect(pids.filter(alive)).toEqual([]);
    expect(demo.stderr()).toContain("SIGINT: stopping every node");
    expect(demo.stderr()).toContain("Stopped; the demo's data was removed.");
    expect(existsSync(line.dir)).toBe(false);
  }, 240_000);

  it("keeps the data with --dir, and a second run reuses it without importing", async () => {
    const dir = await tempDir("ipfed-demo-dir-");
    dirs.push(dir);
    const data = join(dir.path, "demo");
    const first = await startDemo(["--size", "200", "--no-uspto", "--dir", data]);
    expect(first.line).toMatchObject({ dir: data, kept: true, reused: false, uspto: null });
    expect(first.stderr()).toContain("USPTO grants: none (--no-uspto)");
    const records = Object.fromEntries(first.line.members.map((m) => [m.id, m.records]));
    expect(records).toEqual({ hub: 0, "sc-regional": 90, "gd-regional": 80, "scu-tisc": 50, "cd-library": 30 });
    await first.interrupt();
    for (let i = 0; i < 100 && first.line.members.some((m) => alive(m.pid)); i++) await new Promise((r) => setTimeout(r, 100));
    expect(first.line.members.filter((m) => alive(m.pid))).toEqual([]);
    expect(first.stderr()).toContain(`Stopped. The data stays in ${data}`);
    expect(existsSync(join(data, "demo.json"))).toBe(true);

    const second = await startDemo(["--size", "200", "--no-uspto", "--dir", data]);
    expect(second.line).toMatchObject({ dir: data, kept: true, reused: true, sample: first.line.sample });
    expect(second.stderr()).toContain(`Reusing the demo network in ${data}`);
    expect(second.stderr()).not.toContain("Generating");
    expect(Object.fromEntries(second.line.members.map((m) => [m.id, m.records]))).toEqual(records);
    const s = await paste(second.line.commands[0]!);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toMatch(new RegExp(`${second.line.sample.recordId} .*\\[sc-regional, scu-tisc\\]`));
    await second.interrupt();
    for (let i = 0; i < 100 && second.line.members.some((m) => alive(m.pid)); i++) await new Promise((r) => setTimeout(r, 100));
    expect(second.line.members.filter((m) => alive(m.pid))).toEqual([]);
    expect(alive(second.line.pid)).toBe(false);
  }, 240_000);
});
